"""Sums of money and parts of the debt ("500 zł", "200 Euro", "połowę", "the rest").

A number counts as money only with a currency next to it: a bare "500" may be a day, a
count or an invoice number.  Separators follow the writer: "1 500,50", "1.500,50" and
"1,500.50" are all 1500.50; a single separator followed by exactly three digits groups
thousands, anything else is the decimal point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from . import lexicon as lx
from .text import compile_folded

HALF = Decimal("0.5")
_NUMBER_START = r"(?<![\d.,])"
_NUMBER = r"(?P<n>\d{1,3}(?:[ .,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)(?:\s*,-|\.-)?"


@dataclass(frozen=True)
class AmountMention:
    """Money ("500 zł") or a part of the debt: share 0.5 for a half, `rest` for the remainder."""

    start: int
    end: int
    value: Decimal | None = None
    currency: str | None = None
    share: Decimal | None = None
    rest: bool = False

    @property
    def is_money(self) -> bool:
        return self.value is not None


def parse_number(raw: str) -> Decimal:
    """Decimal value of "1 500,50", "1.500,50", "1,500.50", "500" or "13.05"."""
    raw = raw.replace(" ", "")
    if "," in raw and "." in raw:
        decimal_sep = "," if raw.rfind(",") > raw.rfind(".") else "."
        group_sep = "." if decimal_sep == "," else ","
        return Decimal(raw.replace(group_sep, "").replace(decimal_sep, "."))
    for sep in ",.":
        if sep in raw:
            head, _, tail = raw.rpartition(sep)
            if raw.count(sep) > 1 or len(tail) == 3:
                return Decimal(raw.replace(sep, ""))
            return Decimal(head.replace(sep, "") + "." + tail)
    return Decimal(raw)


@lru_cache(maxsize=None)
def _patterns(lang: str) -> list[tuple[re.Pattern[str], str]]:
    currency = "|".join(f"(?P<c{code}>{pattern})" for code, pattern in lx.CURRENCIES.items())
    money_after = compile_folded(rf"{_NUMBER_START}{_NUMBER}\s*(?:{currency})(?![a-z])")
    money_before = compile_folded(rf"(?<![a-z])(?:{currency})\s*{_NUMBER}")
    shares = [(compile_folded(rf"\b(?:{pattern})(?![a-z])"), kind) for kind, pattern in lx.SHARES[lang].items()]
    return [(money_after, "money"), (money_before, "money"), *shares]


def _currency(match: re.Match[str]) -> str:
    for name, value in match.groupdict().items():
        if value is not None and name.startswith("c"):
            return name[1:]
    raise ValueError("no currency group matched")


def find_amounts(text: str, lang: str) -> list[AmountMention]:
    """Money and debt shares in folded, digit-normalised text, in text order."""
    found: list[AmountMention] = []
    for pattern, kind in _patterns(lang):
        for m in pattern.finditer(text):
            if any(m.start() < f.end and f.start < m.end() for f in found):
                continue
            if kind == "money":
                mention = AmountMention(m.start(), m.end(), parse_number(m["n"]), _currency(m))
            elif kind == "half":
                mention = AmountMention(m.start(), m.end(), share=HALF)
            elif kind == "full":
                mention = AmountMention(m.start(), m.end(), share=Decimal(1))
            else:
                mention = AmountMention(m.start(), m.end(), rest=True)
            found.append(mention)
    return sorted(found, key=lambda a: a.start)


def mask(text: str, mentions: list[AmountMention]) -> str:
    """Replace money by `#` so its digits are not read as dates ("13,05 zł" is not 13 May)."""
    for mention in mentions:
        if mention.is_money:
            text = text[: mention.start] + "#" * (mention.end - mention.start) + text[mention.end :]
    return text

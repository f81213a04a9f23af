"""Invoice numbers as people type them in transfer titles, reduced to comparable keys.

An invoice number is keyed by its digit groups as integers: "FV/2024/05/0123", "fv2024-05-123",
"fv 2024 05 0123" and "FV/2024/05/123" all give (2024, 5, 123); "FV 123/05/2024" gives the
reverse, which the engine also looks up. The letters in front ("FV", "FVE") are compared
separately, because the same digits exist under several prefixes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rapidfuzz.distance import OSA

_DIGITS = re.compile(r"\d+")
_LETTERS = re.compile(r"[^\W\d_]+")
# digit groups joined by separators people use inside one number; a comma ends a number
_RUN = re.compile(r"\d+(?:[/\-._\\\s]+\d+)*")
_SPACE = re.compile(r"\s")
_PIECE = re.compile(r"\S+")
_DIGIT_SPAN = re.compile(r"\d(?:.*\d)?")
_AMOUNT_TAIL = re.compile(r",\d{2}(?!\d)")
_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]")
_COUNTRY = re.compile(r"([A-Za-z]{2})[ \-]?$")
WORDS_BEFORE = 14  # characters before a number searched for its prefix ("FV ", "nr ", "fv")


class NumberRun:
    """Digit groups that may form one invoice number, and the words just in front of them.

    Built for every payment, so the parts only some payments need (integers, words, whether it
    looks like an amount) are worked out on first use.
    """

    __slots__ = ("_groups", "_words", "end", "raw", "start", "title")

    def __init__(self, title: str, raw: list[str], start: int, end: int) -> None:
        self.title, self.raw, self.start, self.end = title, raw, start, end
        self._groups: tuple[int, ...] | None = None
        self._words: tuple[str, ...] | None = None

    def __repr__(self) -> str:
        return f"NumberRun({'/'.join(self.raw)!r}, words={self.words})"

    @property
    def groups(self) -> tuple[int, ...]:
        if self._groups is None:
            self._groups = tuple(int(g) for g in self.raw)
        return self._groups

    @property
    def words(self) -> tuple[str, ...]:
        """Up to two words right before the number, upper case ("FV", "NR")."""
        if self._words is None:
            found = _LETTERS.findall(self.title, max(0, self.start - WORDS_BEFORE), self.start)[-2:]
            self._words = tuple(w.upper() for w in found)
        return self._words

    def prefixed_by(self, prefix: str) -> bool:
        """Whether `prefix` is written right before the number: "FV/2024", "fv2024", "FV 123/05"."""
        head = self.title[max(0, self.start - len(prefix) - 3):self.start].rstrip(" /-.:#_\\").upper()
        if not head.endswith(prefix):
            return False
        return len(head) == len(prefix) or not head[-len(prefix) - 1].isalpha()

    @property
    def amount_like(self) -> bool:
        """A lone number that is part of an amount: "1500" or "45" in "1500,45"."""
        if len(self.raw) != 1:
            return False
        title, start = self.title, self.start
        cents = start >= 2 and title[start - 1] == "," and title[start - 2].isdigit()
        return cents or bool(_AMOUNT_TAIL.match(title, self.end))

    def keys(self, lengths: set[int] | frozenset[int]) -> list[tuple[str, str | None, int]]:
        """(key, reversed key or None, size) of every slice whose length is an invoice key length."""
        canon = [g.lstrip("0") or "0" for g in self.raw]
        n = len(canon)
        found = []
        for size in lengths:
            for at in range(n - size + 1):
                part = canon[at:at + size] if size != n else canon
                key = "/".join(part)
                if size > 1:
                    back = "/".join(part[::-1])
                    found.append((key, back if back != key else None, size))
                else:
                    found.append((key, None, 1))
        return found

    def windows(self, lengths: set[int] | frozenset[int]) -> Iterator[tuple[tuple[int, ...], str]]:
        """Every slice whose length is one of `lengths`, as integers and as the digits written."""
        groups, n = self.groups, len(self.raw)
        for size in lengths:
            for at in range(n - size + 1):
                yield groups[at:at + size], "".join(self.raw[at:at + size])

    def tax_keys(self) -> Iterator[str]:
        """Strings that may be a tax id: 9-12 digits written as one number or in 4+ groups
        ("525-244-84-87"), also with the country code written in front ("PL", "DE")."""
        raw = self.raw
        if len(raw) < 4 and max(map(len, raw)) < 9:
            return
        found = _COUNTRY.search(self.title, max(0, self.start - 3), self.start)
        country = found.group(1).upper() if found else ""
        for at in range(len(raw)):
            joined = ""
            for piece in raw[at:]:
                joined += piece
                if len(joined) > 12:
                    break
                if len(joined) >= 9:
                    yield joined
                    if country and at == 0:
                        yield country + joined


def number_groups(number: str) -> tuple[str, ...]:
    """The digit groups of an invoice number as written (zeros kept)."""
    return tuple(_DIGITS.findall(number))


def number_key(number: str) -> tuple[int, ...]:
    return tuple(int(g) for g in _DIGITS.findall(number))


def number_prefix(number: str) -> str:
    """The letters before the first digit, upper case: "FV" for "FV/2024/05/0123"."""
    head = _DIGITS.split(number, maxsplit=1)[0]
    found = _LETTERS.findall(head)
    return found[-1].upper() if found else ""


def canonical(groups: tuple[int, ...]) -> str:
    return "/".join(map(str, groups))


def sequence_group(groups: tuple[int, ...]) -> int | None:
    """The running number of an invoice: the group that is neither its year nor first of two."""
    if not groups:
        return None
    if len(groups) == 1:
        return groups[0]
    if _year_like(groups[-1]) and not _year_like(groups[0]):
        return groups[0]
    return groups[-1]


def _year_like(value: int) -> bool:
    return 1990 <= value <= 2100


def title_runs(title: str | None) -> list[NumberRun]:
    """The numbers in a title. Space-separated single groups ("fv 2024 05 0123") form one run;
    otherwise whitespace splits numbers ("2024/05/1 2024/05/2" is two)."""
    if not title:
        return []
    runs: list[NumberRun] = []
    for match in _RUN.finditer(title):
        text = match.group()
        if text.isdigit():
            runs.append(NumberRun(title, [text], match.start(), match.end()))
            continue
        raw = _DIGITS.findall(text)
        if _SPACE.search(text):
            pieces = [p for p in _PIECE.finditer(text) if _DIGIT_SPAN.search(p.group())]
            if any(not p.group().isdigit() for p in pieces):
                base = match.start()
                for piece in pieces:
                    digits = _DIGIT_SPAN.search(piece.group())
                    at = base + piece.start() + digits.start()
                    runs.append(NumberRun(title, _DIGITS.findall(digits.group()), at, at + len(digits.group())))
                continue
        runs.append(NumberRun(title, raw, match.start(), match.end()))
    return runs


def normalize_tax_id(tax_id: str | None) -> set[str]:
    """The keys a customer's tax id is found by: "PL525-244-84-87" -> {"5252448487", "PL5252448487"}."""
    if not tax_id:
        return set()
    compact = _NOT_ALNUM.sub("", tax_id).upper()
    if not compact:
        return set()
    if compact.isdigit():
        return {compact, "PL" + compact} if len(compact) == 10 else {compact}
    if compact[:2] == "PL" and compact[2:].isdigit():
        return {compact, compact[2:]}
    return {compact}


def near_miss(title_groups: tuple[int, ...], invoice_groups: tuple[int, ...], title_raw: str = "",
              invoice_raw: str = "") -> bool:
    """One typo apart: a swapped, missing, extra or wrong digit (optimal string alignment),
    compared on the numbers and, when given, on the digits as written."""
    if title_groups == invoice_groups:
        return False
    if OSA.distance(canonical(title_groups), canonical(invoice_groups), score_cutoff=1) <= 1:
        return True
    return bool(title_raw and invoice_raw) and OSA.distance(title_raw, invoice_raw, score_cutoff=1) <= 1

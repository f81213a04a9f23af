"""The intent of a debtor's answer, from phrase patterns (intents.yaml) and the date found.

Patterns give evidence; :func:`decide` turns evidence into one intent with a fixed order of
precedence, because answers often carry several signals ("I already paid, stop calling").
When a sentence turns round on "ale / aber / but", the part after it decides.  Without any
evidence the answer is left to the statistical model (:mod:`.intent_model`): rules decide
what they know, the model only what they do not.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml

from . import lexicon as lx
from .text import compile_folded

INTENTS = (
    "promise_to_pay", "already_paid", "dispute", "installments", "callback",
    "consultant", "wrong_person", "refuse", "question", "unknown",
)
# Strongest first.  `promise` (explicit "I will pay") beats a question; a bare date comes after.
PRECEDENCE = (
    "wrong_person", "consultant", "already_paid", "dispute", "installments", "caller_question", "callback", "refuse",
)
# Evidence names that are not intents themselves.
ALIASES = {"caller_question": "question"}


@lru_cache(maxsize=None)
def _patterns() -> dict[str, dict[str, list[re.Pattern[str]]]]:
    raw = yaml.safe_load(resources.files(__package__).joinpath("intents.yaml").read_text(encoding="utf-8"))
    return {
        name: {lang: [compile_folded(p) for p in patterns] for lang, patterns in by_lang.items()}
        for name, by_lang in raw.items()
    }


def evidence(folded: str, lang: str) -> set[str]:
    """Names from intents.yaml whose patterns occur in the folded text."""
    return {name for name, by_lang in _patterns().items() if any(p.search(folded) for p in by_lang[lang])}


def decide(signals: set[str], *, has_date: bool, date_answer: bool, has_plan: bool) -> str | None:
    """One intent from the evidence, a valid date and a payment plan of two or more parts.

    `date_answer` says the answer is essentially a date ("w piątek", "Ja, bis Freitag") or a
    date with words about paying: that alone is a promise, "what's the weather today" is not.
    None means no evidence at all, so the statistical model may decide; a `non_answer`
    ("Nie wiem", "Hallo?", "Let me think") is a sure `unknown`.
    """
    if "settled" in signals:
        signals = signals | {"promise" if has_date else "already_paid"}
    if has_plan and not signals & {"wrong_person", "consultant", "already_paid", "dispute"}:
        return "installments"
    for name in PRECEDENCE:
        if name not in signals:
            continue
        if name == "refuse" and "promise" in signals and has_date:
            return "promise_to_pay"
        return ALIASES.get(name, name)
    if "promise" in signals:
        return "promise_to_pay"
    if "question" in signals:
        return "question"
    if has_date and date_answer:
        return "promise_to_pay"
    return "unknown" if signals else None


def classify(folded: str, lang: str, *, has_date: bool, date_answer: bool, has_plan: bool) -> str | None:
    """Intent of a folded answer, None without evidence; after a contrast word the rest decides."""
    flags = {"has_date": has_date, "date_answer": date_answer, "has_plan": has_plan}
    parts = compile_folded(lx.CONTRAST[lang]).split(folded)
    if len(parts) > 1:
        tail = evidence(parts[-1], lang)
        if tail:
            return decide(tail, **flags)
    return decide(evidence(folded, lang), **flags)

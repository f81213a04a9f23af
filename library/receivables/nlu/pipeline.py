"""From a debtor's free answer to an :class:`Understanding`: language, date, amount, intent."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from . import lexicon as lx
from .amounts import AmountMention, find_amounts, mask
from .dates import DateMention, chosen_date, find_dates
from .fallback import dateparser_dates, looks_like_date
from .intent_model import shipped_model
from .intents import classify
from .language import LANGUAGES, detect_language
from .model import Installment, Understanding
from .numbers import numbers_to_digits
from .text import compile_folded, fold, with_apostrophes


MODEL_MIN_WORDS = 3  # shorter answers without rule evidence stay `unknown` (see _model_intent)
_PAY_WORDS = {lang: f"(?:{pattern})" for lang, pattern in lx.PAY_WORDS.items()}


@dataclass(frozen=True)
class _Part:
    date: date
    amount: AmountMention | None


def understand(
    text: str,
    today: date,
    lang: str = "auto",
    *,
    owed: Decimal | None = None,
    owed_currency: str | None = None,
    use_dateparser: bool = True,
    use_model: bool = True,
) -> Understanding:
    """Understand one answer given on `today`.

    `owed` (and its currency) lets "half now" and "the rest" become sums; without it they
    stay in the plan with no amount.  `use_dateparser=False` measures the date rules alone,
    `use_model=False` the intent rules alone (without the statistical model).
    """
    if lang == "auto":
        lang = detect_language(text)
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)} or auto, not {lang!r}")
    folded = fold(text)
    if lang == "en":
        folded = with_apostrophes(folded, lx.APOSTROPHES)
    digits = numbers_to_digits(folded, lang)
    amounts = find_amounts(digits, lang)
    masked = mask(digits, amounts)
    mentions = find_dates(masked, today, lang)
    source = "rules"
    if not mentions and use_dateparser and looks_like_date(masked, lang):
        mentions = dateparser_dates(masked, today, lang)
        source = "dateparser"
    chosen = chosen_date(mentions, today)
    plan = _plan(digits, today, lang)

    intent = classify(
        folded,
        lang,
        has_date=chosen is not None,
        date_answer=_date_answer(masked, mentions, lang),
        has_plan=len(plan) >= 2,
    )
    if intent is None:
        intent = _model_intent(folded) if use_model else "unknown"
    if intent == "promise_to_pay" and chosen is None and any(not m.weak for m in mentions):
        intent = "unknown"

    money = next((a for a in amounts if a.is_money), None)
    amount = money.value if money else None
    currency = money.currency if money else None
    if intent == "callback":
        chosen = chosen_date([m for m in mentions if not m.weak], today)
    promised = chosen.value if chosen and intent in ("promise_to_pay", "installments", "callback") else None
    installments: list[Installment] = []
    if intent == "installments" and len(plan) >= 2:
        installments = [Installment(p.date, _sum(p.amount, owed, plan, i)) for i, p in enumerate(plan)]
        promised = installments[0].date
        amount = installments[0].amount
        if amount is not None and currency is None:
            currency = owed_currency
    elif intent == "promise_to_pay" and amount is None and owed is not None:
        share = next((a for a in amounts if a.share is not None), None)
        if share is not None:
            amount, currency = owed * share.share, owed_currency
    return Understanding(
        intent=intent,
        date=promised,
        amount=amount,
        currency=currency,
        language=lang,
        installments=installments,
        date_source=source if promised else None,
    )


def _model_intent(folded: str) -> str:
    """The statistical model's intent for an answer without rule evidence.

    One or two words without a known phrase ("Nie.", "Was?", "Right.") are too little for
    the model to guess from: they stay `unknown`.
    """
    if len(re.findall(r"[^\W\d_]+", folded)) < MODEL_MIN_WORDS:
        return "unknown"
    return shipped_model().predict(folded)


def _date_answer(masked: str, mentions: list[DateMention], lang: str) -> bool:
    """Is the answer a date and little else, or a date with words about paying?"""
    rest = masked
    for mention in mentions:
        rest = rest[: mention.start] + " " * (mention.end - mention.start) + rest[mention.end :]
    if compile_folded(_PAY_WORDS[lang]).search(rest):
        return True
    if compile_folded(lx.STATE_VERBS[lang]).search(rest) and not compile_folded(lx.AGREEMENT[lang]).search(rest):
        return False
    return len(re.findall(r"[^\W\d_]+", rest)) <= 2


def _sum(part: AmountMention | None, owed: Decimal | None, plan: list[_Part], index: int) -> Decimal | None:
    """The sum of one plan part: said outright, a share of `owed`, or what remains of it."""
    if part is None:
        return None
    if part.value is not None:
        return part.value
    if owed is None:
        return None
    if part.share is not None:
        return owed * part.share
    earlier = [_sum(p.amount, owed, plan, i) for i, p in enumerate(plan[:index])]
    if any(value is None for value in earlier):
        return None
    return owed - sum(earlier, Decimal(0))


def _plan(digits: str, today: date, lang: str) -> list[_Part]:
    """Parts of a payment plan: clauses that each name a date, most also a sum or share.

    A plan needs two parts with different dates and at least one sum or share, so that
    "on Friday or Monday" stays a single promise; a denied "now" ("teraz nie mam") is no part.
    """
    parts: list[_Part] = []
    pending: AmountMention | None = None
    for clause in compile_folded(lx.CLAUSE_BREAKS[lang]).split(digits):
        amounts = find_amounts(clause, lang)
        amount = amounts[0] if amounts else None
        chosen = chosen_date(find_dates(mask(clause, amounts), today, lang), today)
        if chosen is not None and chosen.weak and compile_folded(lx.NEGATION[lang]).search(clause):
            chosen = None  # "teraz nie mam": a "now" that is denied is no part of a plan
        if chosen is None or chosen.value is None:
            if amount is not None:
                if parts and parts[-1].amount is None:
                    parts[-1] = _Part(parts[-1].date, amount)
                else:
                    pending = amount
            continue
        if amount is None and pending is not None:
            amount, pending = pending, None
        if parts and parts[-1].date == chosen.value:
            if parts[-1].amount is None:
                parts[-1] = _Part(chosen.value, amount)
            continue
        parts.append(_Part(chosen.value, amount))
    if len(parts) < 2 or all(p.amount is None for p in parts):
        return []
    return sorted(parts, key=lambda p: p.date)

"""Every prompt twice: `text` for people (babel formats: "1 234,56 zł", "poniedziałek, 13 maja") and
`speech` for the synthesizer (amounts, dates and digits in words, from `voicebot.speech.verbalize`).

Until the speech package provides `verbalize`, speech is the text.
"""

from __future__ import annotations

import importlib
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any, Protocol

from babel.dates import format_date

from receivables.documents.fmt import LOCALES, formatter, group_iban

DAY_FORMATS = {"pl": "d MMMM (EEEE)", "de": "EEEE, d. MMMM", "en": "EEEE d MMMM"}


class Style(Protocol):
    def money(self, amount: Decimal, currency: str) -> str: ...

    def date(self, value: date) -> str: ...

    def code(self, value: str) -> str: ...

    def digits(self, value: str) -> str: ...


class TextStyle:
    """How a person reads it in the transcript, the console and the SMS."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._fmt = formatter(language)

    def money(self, amount: Decimal, currency: str) -> str:
        return self._fmt.money(amount, currency)

    def date(self, value: date) -> str:
        return _day(value, self.language)

    def code(self, value: str) -> str:
        return value

    def digits(self, value: str) -> str:
        return group_iban(value) if value[:2].isalpha() and len(value) > 12 else value


class SpeechStyle:
    """How the synthesizer says it: words, so espeak never reads "1 234,56" as two numbers."""

    def __init__(self, language: str, verbalize: Any) -> None:
        self.language, self._v = language, verbalize

    def money(self, amount: Decimal, currency: str) -> str:
        return self._v.amount_words(amount, currency, self.language)

    def date(self, value: date) -> str:
        # Polish prompts put the date after "do" (genitive): "do ósmego maja", no weekday in front
        return self._v.date_words(value, self.language, weekday=self.language != "pl")

    def code(self, value: str) -> str:
        """An invoice number character by character, as a debtor types it."""
        return self._v.digits_words(value, self.language)

    def digits(self, value: str) -> str:
        return self._v.digits_words(value, self.language)


@lru_cache(maxsize=4096)
def _day(value: date, language: str) -> str:
    return format_date(value, DAY_FORMATS[language], locale=LOCALES[language])


def verbalizer() -> Any | None:
    """`voicebot.speech.verbalize` when the speech package is installed, else None."""
    try:
        module = importlib.import_module("voicebot.speech.verbalize")
    except ImportError:
        return None
    needed = ("amount_words", "date_words", "digits_words")
    return module if all(hasattr(module, n) for n in needed) else None


@lru_cache(maxsize=8)
def styles(language: str) -> tuple[Style, Style | None]:
    """(text style, speech style or None when speech is the text)."""
    v = verbalizer()
    return TextStyle(language), (SpeechStyle(language, v) if v is not None else None)

"""dateparser as the second opinion, for date phrases the rules do not know.

It is called only when the rules found nothing and the text still looks date-like (a digit,
a month or a weekday name), because its first call costs ~100 ms and each search ~5 ms.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

from . import lexicon as lx
from .dates import DateMention
from .text import compile_folded


@lru_cache(maxsize=None)
def _date_like(lang: str) -> re.Pattern[str]:
    names = [*lx.MONTHS[lang].values(), *lx.WEEKDAYS[lang].values()]
    return compile_folded(r"\d|\b(?:" + "|".join(names) + r")\b")


_NUMERIC_DATE = re.compile(r"\d[./-]\d")


@lru_cache(maxsize=None)
def _names(lang: str) -> re.Pattern[str]:
    names = [*lx.MONTHS[lang].values(), *lx.WEEKDAYS[lang].values()]
    return compile_folded(r"\b(?:" + "|".join(names) + r")")


def looks_like_date(text: str, lang: str) -> bool:
    """Is there anything a date could be made of: a digit, a month or weekday name?"""
    return _date_like(lang).search(text) is not None


def dateparser_dates(text: str, today: date, lang: str) -> list[DateMention]:
    """Dates dateparser finds in the text, as mentions (positions are approximate).

    Only phrases with a numeric date or a month or weekday name count: dateparser also reads
    a lone "15." or "20.05" as a time of day, which is never what a debtor means.
    """
    from dateparser.search import search_dates

    settings = {
        "DATE_ORDER": "DMY",
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": datetime(today.year, today.month, today.day),
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    found = search_dates(text, languages=[lang], settings=settings) or []
    mentions = []
    for phrase, when in found:
        if not (_NUMERIC_DATE.search(phrase) or _names(lang).search(phrase)):
            continue
        start = max(text.find(phrase), 0)
        mentions.append(DateMention(start, start + len(phrase), when.date(), source="dateparser"))
    return mentions

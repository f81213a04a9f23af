"""When the debtor says they paid: a spoken date in the past ("wczoraj", "am 20. November", "last Friday").

receivables.nlu reads promises, so it resolves dates forward; this question needs them backward.
dateparser's search (explicit language, day-month order, past preferred) is slow only on its
first call, and debtors rarely say they have paid.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

LOOKBACK_DAYS = 366  # a payment further back is not what the debtor means


def spoken_past_date(text: str, today: date, lang: str) -> date | None:
    """The longest date phrase in `text` that names a day within the last year, or None."""
    from dateparser.search import search_dates

    settings = {"PREFER_DATES_FROM": "past", "RELATIVE_BASE": datetime.combine(today, datetime.min.time()),
                "DATE_ORDER": "DMY", "RETURN_AS_TIMEZONE_AWARE": False}
    found = search_dates(text, languages=[lang], settings=settings) or []
    days = [(len(phrase), value.date()) for phrase, value in found
            if today - timedelta(days=LOOKBACK_DAYS) <= value.date() <= today]
    return max(days, key=lambda item: item[0])[1] if days else None

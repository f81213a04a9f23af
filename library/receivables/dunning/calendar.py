"""When a reminder may go out: the debtor's working days (public holidays by country) and office hours."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays


@lru_cache(maxsize=256)
def _holidays(country: str, year: int) -> holidays.HolidayBase | frozenset:
    try:
        return holidays.country_holidays(country.upper(), years=year)
    except NotImplementedError:  # a country the package does not know: weekends only
        return frozenset()


def is_working_day(day: date, country: str) -> bool:
    """Monday to Friday and not a public holiday in the debtor's country (PL, DE, ...)."""
    return day.weekday() < 5 and day not in _holidays(country, day.year)


def within_hours(now: datetime, timezone: str, hours: tuple[int, int] | None) -> bool:
    """`now` (aware) falls into [from, to) local hours; no window means any hour."""
    if hours is None:
        return True
    local = now.astimezone(ZoneInfo(timezone))
    return hours[0] <= local.hour < hours[1]

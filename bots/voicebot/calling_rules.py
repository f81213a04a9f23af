"""When a debtor may be called: local hours on working days, attempts per day, interval, caps.

Every rule is checked at the moment an attempt is reserved, against the debtor's own time zone
and country (public holidays from the `holidays` package via `dunning.calendar`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from receivables.dunning.calendar import is_working_day

from voicebot.settings import Schedule


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def in_window(now: datetime, tz: str, country: str, schedule: Schedule) -> bool:
    """`now` falls in the debtor's calling hours on one of the debtor's working days."""
    local = now.astimezone(zone(tz))
    if not schedule.hours[0] <= local.hour < schedule.hours[1]:
        return False
    return not schedule.working_days_only or is_working_day(local.date(), country)


def next_window_start(after: datetime, tz: str, country: str, schedule: Schedule) -> datetime:
    """The first moment at or after `after` when the debtor may be called."""
    if in_window(after, tz, country, schedule):
        return after
    local = after.astimezone(zone(tz))
    day = local.date()
    if local.hour >= schedule.hours[0]:
        day += timedelta(days=1)
    for _ in range(366):
        if not schedule.working_days_only or is_working_day(day, country):
            return datetime.combine(day, time(schedule.hours[0]), zone(tz)).astimezone(after.tzinfo)
        day += timedelta(days=1)
    raise ValueError(f"no working day within a year for {country}")


def local_day(now: datetime, tz: str) -> str:
    return now.astimezone(zone(tz)).date().isoformat()


def blocked_until(now: datetime, tz: str, schedule: Schedule, campaign_times: Sequence[datetime],
                  all_times: Sequence[datetime]) -> datetime | None:
    """None if another attempt may start now by the count rules; else the earliest time it may.

    `campaign_times`: this campaign's attempts at the debtor; `all_times`: every campaign's,
    for the rolling cap (no more than cap_attempts in cap_days).
    """
    if campaign_times:
        last = max(campaign_times)
        if now < last + timedelta(minutes=schedule.interval_minutes):
            return last + timedelta(minutes=schedule.interval_minutes)
        today = local_day(now, tz)
        if sum(1 for t in campaign_times if local_day(t, tz) == today) >= schedule.attempts_per_day:
            midnight = datetime.combine(now.astimezone(zone(tz)).date() + timedelta(days=1), time(0), zone(tz))
            return midnight.astimezone(now.tzinfo)
    window = timedelta(days=schedule.cap_days)
    recent = sorted(t for t in all_times if t > now - window)
    if len(recent) >= schedule.cap_attempts:
        return recent[len(recent) - schedule.cap_attempts] + window
    return None

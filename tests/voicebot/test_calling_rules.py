from datetime import UTC, datetime, timedelta

from voicebot.calling_rules import blocked_until, in_window, next_window_start
from voicebot.settings import Schedule

S = Schedule()  # 9-20 local, working days, 3 a day, 120 min apart, 7 in 7 days


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_local_hours_follow_the_debtors_time_zone():
    # 08:30 UTC on Wednesday 6 May 2026 is 10:30 in Warsaw (CEST, UTC+2) but 09:30 in London (BST, UTC+1)
    at = utc(2026, 5, 6, 8, 30)
    assert in_window(at, "Europe/Warsaw", "PL", S)
    assert in_window(at, "Europe/London", "GB", S)
    # 07:30 UTC is 09:30 in Warsaw, 08:30 in London: only Warsaw may be called
    early = utc(2026, 5, 6, 7, 30)
    assert in_window(early, "Europe/Warsaw", "PL", S) and not in_window(early, "Europe/London", "GB", S)
    # 18:00 UTC = 20:00 Warsaw: the window is [9, 20)
    assert not in_window(utc(2026, 5, 6, 18, 0), "Europe/Warsaw", "PL", S)


def test_weekends_and_public_holidays_are_not_working_days():
    assert not in_window(utc(2026, 5, 9, 10), "Europe/Warsaw", "PL", S)  # Saturday
    assert not in_window(utc(2026, 5, 1, 10), "Europe/Berlin", "DE", S)  # 1 May, a holiday in Germany
    assert not in_window(utc(2026, 11, 11, 10), "Europe/Warsaw", "PL", S)  # Polish Independence Day
    assert in_window(utc(2026, 11, 11, 10), "Europe/Berlin", "DE", S)  # an ordinary Wednesday in Germany


def test_next_window_skips_the_night_weekend_and_holiday():
    # Thursday 30 April 2026, 20:30 Warsaw -> 1 May holiday, 2-3 May weekend -> Monday 4 May 09:00 (07:00 UTC)
    after = utc(2026, 4, 30, 18, 30)
    assert next_window_start(after, "Europe/Warsaw", "PL", S) == utc(2026, 5, 4, 7, 0)
    inside = utc(2026, 5, 6, 10)
    assert next_window_start(inside, "Europe/Warsaw", "PL", S) == inside


def test_interval_attempts_per_day_and_rolling_cap():
    tz = "Europe/Warsaw"
    first = utc(2026, 5, 6, 7, 0)  # 09:00 local
    assert blocked_until(first + timedelta(minutes=60), tz, S, [first], [first]) == first + timedelta(minutes=120)
    assert blocked_until(first + timedelta(minutes=120), tz, S, [first], [first]) is None
    three = [first, first + timedelta(hours=2), first + timedelta(hours=4)]
    # a fourth attempt on the same local day waits for local midnight (22:00 UTC in May)
    assert blocked_until(first + timedelta(hours=7), tz, S, three, three) == utc(2026, 5, 6, 22, 0)
    # 7 attempts in the last 7 days from other campaigns: the next one waits until the oldest is 7 days old
    others = [first - timedelta(days=6, hours=h) for h in range(7)]
    oldest_of_seven = min(others)
    assert blocked_until(first, tz, S, [], others) == oldest_of_seven + timedelta(days=7)
    assert blocked_until(first, tz, S, [], others[:6]) is None

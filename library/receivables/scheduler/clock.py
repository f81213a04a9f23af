"""Time for the scheduler: the system clock, or a fake one that tests move forward at will.

The `schedule` package reads `datetime.datetime.now()` itself. Its module-level `datetime` is
replaced once by a stand-in whose `now()` asks the clock of the calling thread (set by a running
`Scheduler`) and falls back to the real time everywhere else. The scheduler hands `schedule` naive
wall-clock time of the plan's time zone, so `at: "09:00"` means 09:00 there whatever the host's zone.
"""

from __future__ import annotations

import datetime as _dt
import threading
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol
from zoneinfo import ZoneInfo

import schedule

from receivables.ledger.types import utcnow


class Clock(Protocol):
    def now(self) -> _dt.datetime: ...  # aware UTC

    def sleep(self, seconds: float, stop: threading.Event) -> None: ...


class SystemClock:
    def now(self) -> _dt.datetime:
        return utcnow()

    def sleep(self, seconds: float, stop: threading.Event) -> None:
        stop.wait(seconds)  # a stop request wakes it at once


class FakeClock:
    """Starts at `start` (aware) and moves only when slept on or advanced."""

    def __init__(self, start: _dt.datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware start time")
        self.t = start.astimezone(_dt.UTC)

    def now(self) -> _dt.datetime:
        return self.t

    def sleep(self, seconds: float, stop: threading.Event) -> None:
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        self.t += _dt.timedelta(seconds=seconds)


_local = threading.local()


class _Datetime(_dt.datetime):
    @classmethod
    def now(cls, tz: _dt.tzinfo | None = None) -> _dt.datetime:  # type: ignore[override]
        active = getattr(_local, "active", None)
        if active is None:
            return _dt.datetime.now(tz)
        clock, zone = active
        moment = clock.now().astimezone(zone)
        return moment.replace(tzinfo=None) if tz is None else moment.astimezone(tz)


if not isinstance(schedule.datetime, types.SimpleNamespace):
    schedule.datetime = types.SimpleNamespace(datetime=_Datetime, time=_dt.time, timedelta=_dt.timedelta,
                                              date=_dt.date, timezone=_dt.timezone)


@contextmanager
def driving_schedule(clock: Clock, zone: ZoneInfo) -> Iterator[None]:
    """Within this block, `schedule` in this thread sees `clock` as naive local time of `zone`."""
    previous = getattr(_local, "active", None)
    _local.active = (clock, zone)
    try:
        yield
    finally:
        _local.active = previous


def to_aware(naive_local: _dt.datetime, zone: ZoneInfo) -> _dt.datetime:
    """A `schedule` next_run (naive, the plan's wall clock) as an aware UTC time."""
    return naive_local.replace(tzinfo=zone).astimezone(_dt.UTC)

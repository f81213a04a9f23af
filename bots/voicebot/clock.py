"""Time for the campaign runner: the wall clock in production, a simulated one for the demo and tests.

The simulated clock jumps to the next moment anything is due, so a week-long campaign with
attempt intervals, local calling hours and holidays runs in seconds and never sleeps.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...

    async def sleep_until(self, when: datetime) -> None: ...


class RealClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep_until(self, when: datetime) -> None:
        delay = (when - self.now()).total_seconds()
        if delay > 0:
            await asyncio.sleep(delay)


class SimulatedClock:
    """Starts at `start` (aware); sleeping moves time forward at once, never back."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the simulated clock needs an aware start time")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    async def sleep_until(self, when: datetime) -> None:
        if when > self._now:
            self._now = when.astimezone(UTC)
        await asyncio.sleep(0)

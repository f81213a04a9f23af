"""config/schedule.yaml: which robot runs when, validated before anything runs.

    timezone: Europe/Warsaw         # `at` times, windows and working days are read here
    holidays: PL                    # working days = Monday-Friday without this country's holidays
    jobs:
      - robot: bank-statements
        every: hour                 # N seconds|minutes|hours|days|weeks, or monday..sunday
        at: ":05"                   # schedule's `at`: ":MM" for hours, "HH:MM" for days and weekdays
        working_days: true
      - robot: reconcile
        after: bank-statements      # after each successful run of that robot
      - robot: voice-calls
        every: 30 minutes
        between: ["10:00", "18:00"] # local [from, to)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import schedule
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from receivables.config import SettingsError, config_dir, describe_validation_error, load_yaml

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
INTERVAL = re.compile(r"^(?:(\d+)\s+)?(second|minute|hour|day|week)s?$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Retry(_Strict):
    first_delay_seconds: float = Field(default=300, gt=0)
    max_delay_seconds: float = Field(default=3600, gt=0)

    def delay(self, failures: int) -> float:
        """Doubling from the first delay, capped: 5, 10, 20, 40, 60, 60 ... minutes by default."""
        return min(self.first_delay_seconds * 2 ** (failures - 1), self.max_delay_seconds)


class Lock(_Strict):
    heartbeat_seconds: float = Field(default=30, gt=0)
    stale_after_seconds: float = Field(default=300, gt=0, description="a holder silent this long has crashed")

    @model_validator(mode="after")
    def _margin(self) -> Lock:
        if self.stale_after_seconds < 3 * self.heartbeat_seconds:
            raise ValueError("stale_after_seconds must be at least 3 heartbeats, or a slow beat loses a live lock")
        return self


class Job(_Strict):
    robot: str
    every: str | None = None
    at: str | None = None
    after: str | None = None
    working_days: bool = False
    between: tuple[time, time] | None = None
    options: dict[str, Any] = Field(default_factory=dict, description="keyword options for the robot")

    @field_validator("every")
    @classmethod
    def _every(cls, value: str | None) -> str | None:
        if value is None:
            return value
        value = " ".join(value.lower().split())
        if value not in WEEKDAYS and not INTERVAL.match(value):
            raise ValueError(f"'N minutes|hours|days|weeks' or a weekday (monday..sunday), not {value!r}")
        return value

    @model_validator(mode="after")
    def _trigger(self) -> Job:
        if (self.every is None) == (self.after is None):
            raise ValueError("a job needs exactly one of `every` (a schedule) or `after` (another robot)")
        if self.at and not self.every:
            raise ValueError("`at` needs `every`")
        if self.every:
            try:
                schedule_job(schedule.Scheduler(), self)
            except (schedule.ScheduleValueError, schedule.IntervalError, ValueError) as exc:
                raise ValueError(f"every {self.every!r} at {self.at!r}: {exc}") from None
        if self.between and not self.between[0] < self.between[1]:
            raise ValueError("between must be [from, to) with from < to")
        return self

    @property
    def name(self) -> str:
        trigger = f"after {self.after}" if self.after else f"every {self.every}" + (f" at {self.at}" if self.at else "")
        return f"{self.robot} ({trigger})"


class Plan(_Strict):
    timezone: str = "Europe/Warsaw"
    holidays: str = Field(default="PL", pattern=r"^[A-Z]{2}$", description="country of the working-day calendar")
    retry: Retry = Retry()
    lock: Lock = Lock()
    jobs: list[Job] = Field(min_length=1)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"an IANA time zone such as Europe/Warsaw, not {value!r}") from None
        return value

    @model_validator(mode="after")
    def _chains(self) -> Plan:
        robots = {job.robot for job in self.jobs}
        for n, job in enumerate(self.jobs):
            if job.after and job.after not in robots:
                raise ValueError(f"jobs.{n}.after: {job.after!r} is not a robot of this plan")
        follows = {job.robot: job.after for job in self.jobs if job.after}
        for robot in follows:
            seen, step = {robot}, follows.get(robot)
            while step:
                if step in seen:
                    raise ValueError(f"jobs: 'after' goes round in a circle through {robot!r}")
                seen.add(step)
                step = follows.get(step)
        return self


def schedule_job(scheduler: schedule.Scheduler, job: Job) -> schedule.Job:
    """The `schedule` package's job for a plan entry (not yet given its function)."""
    if job.every in WEEKDAYS:
        entry = getattr(scheduler.every(), job.every)
    else:
        count, unit = INTERVAL.match(job.every).groups()
        entry = getattr(scheduler.every(int(count or 1)), unit + "s")
    return entry.at(job.at) if job.at else entry


def unknown_robots(plan: Plan, known: Iterable[str]) -> list[str]:
    known = set(known)
    return [f"jobs.{n}.robot: {job.robot!r}" for n, job in enumerate(plan.jobs) if job.robot not in known]


def load_plan(path: Path | None = None, known: Iterable[str] | None = None) -> Plan:
    """The plan, validated; with `known`, every robot must be one of them. Errors name file and key."""
    path = path or config_dir() / "schedule.yaml"
    data = load_yaml(path)
    try:
        plan = Plan(**data)
    except ValidationError as exc:
        raise SettingsError(describe_validation_error(path, exc)) from None
    if known is not None:
        unknown = unknown_robots(plan, known)
        if unknown:
            raise SettingsError(f"{path}: not a robot: " + "; ".join(unknown)
                                + f" (robots: {', '.join(sorted(set(known)))})")
    return plan

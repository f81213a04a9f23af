"""The scheduler's loop: due jobs from `schedule`, their `after` chains, retries with backoff, a lock per run.

Due jobs are collected first and run afterwards, one at a time, in the order `schedule` found them
due; a job that succeeds runs the jobs chained `after` it. A failed run (recorded as failed in the
runs table by `run_robot`) is logged and retried after a doubling delay; the other jobs go on. A stop
request lets the running robot finish and starts nothing new.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import schedule

from receivables.dunning.calendar import is_working_day
from receivables.scheduler.clock import Clock, SystemClock, driving_schedule, to_aware
from receivables.ledger.locks import RobotLocks
from receivables.scheduler.plan import Job, Plan, schedule_job

log = logging.getLogger(__name__)
MAX_SLEEP = 60.0

Runner = Callable[..., Any]  # runner(robot, **options); raises when the run failed


@dataclass(frozen=True)
class Outcome:
    at: datetime  # aware UTC, when the run started
    robot: str
    status: str  # ok | failed | busy | skipped
    reason: str  # schedule | after <robot> | retry
    detail: str = ""


@dataclass
class _Retry:
    failures: int
    at: datetime


@dataclass
class Scheduler:
    plan: Plan
    runner: Runner
    locks: RobotLocks | None = None
    clock: Clock = field(default_factory=SystemClock)
    stop: threading.Event = field(default_factory=threading.Event)
    on_outcome: Callable[[Outcome], None] | None = None

    def __post_init__(self) -> None:
        self.zone = ZoneInfo(self.plan.timezone)
        self.outcomes: deque[Outcome] = deque(maxlen=10_000)
        self._due: list[int] = []
        self._retries: dict[int, _Retry] = {}
        self._schedule = schedule.Scheduler()
        with driving_schedule(self.clock, self.zone):
            for index, job in enumerate(self.plan.jobs):
                if job.every:
                    schedule_job(self._schedule, job).do(self._due.append, index)

    def run(self, until: datetime | None = None, once: bool = False) -> list[Outcome]:
        """Run until stopped (or `until` on the clock, or one pass with `once`)."""
        with driving_schedule(self.clock, self.zone):
            while not self.stop.is_set():
                self.tick()
                if once or (until is not None and self.clock.now() >= until):
                    break
                wait = self.idle_seconds()
                if until is not None:
                    wait = min(wait, max((until - self.clock.now()).total_seconds(), 0.0))
                self.clock.sleep(wait, self.stop)
        return list(self.outcomes)

    def run_each_once(self) -> list[Outcome]:
        """Every scheduled job now, in plan order, with its chains, whatever the clock and calendar;
        a robot already run in this pass is not run again."""
        done: set[str] = set()
        for index, job in enumerate(self.plan.jobs):
            if self.stop.is_set():
                break
            if job.every and job.robot not in done:
                self._execute(index, "once", calendar=False, done=done)
        return list(self.outcomes)

    def tick(self) -> None:
        """Run what is due now: scheduled jobs in order, then retries whose time has come."""
        with driving_schedule(self.clock, self.zone):
            self._schedule.run_pending()
        due = list(self._due)
        self._due.clear()
        for index in due:
            if self.stop.is_set():
                return
            self._execute(index, "schedule")
        now = self.clock.now()
        for index, retry in sorted(self._retries.items(), key=lambda item: item[1].at):
            if self.stop.is_set():
                return
            if retry.at <= now and index in self._retries:
                self._execute(index, "retry")

    def idle_seconds(self) -> float:
        """Until the next scheduled job or retry, at most a minute (so a stop is noticed with any clock)."""
        candidates = [MAX_SLEEP]
        with driving_schedule(self.clock, self.zone):
            idle = self._schedule.idle_seconds
        if idle is not None:
            candidates.append(idle)
        now = self.clock.now()
        candidates += [(r.at - now).total_seconds() for r in self._retries.values()]
        return max(min(candidates), 0.0)

    def next_runs(self) -> list[tuple[datetime, str]]:
        """When each scheduled job is due next (aware UTC), soonest first."""
        return sorted((to_aware(j.next_run, self.zone), self.plan.jobs[j.job_func.args[0]].name)
                      for j in self._schedule.jobs)

    def _eligible(self, job: Job, now: datetime) -> str | None:
        local = now.astimezone(self.zone)
        if job.working_days and not is_working_day(local.date(), self.plan.holidays):
            return "not a working day"
        if job.between and not job.between[0] <= local.time() < job.between[1]:
            return f"outside {job.between[0]:%H:%M}-{job.between[1]:%H:%M}"
        return None

    def _execute(self, index: int, reason: str, calendar: bool = True, done: set[str] | None = None) -> None:
        job, now = self.plan.jobs[index], self.clock.now()
        if done is not None:
            if job.robot in done:
                return
            done.add(job.robot)
        skip = self._eligible(job, now) if calendar else None
        if skip:
            self._retries.pop(index, None)  # the next eligible regular run takes over
            self._record(Outcome(now, job.robot, "skipped", reason, skip))
            return
        ok = self._attempt(index, job, reason, now)
        if ok:
            for follower, other in enumerate(self.plan.jobs):
                if other.after == job.robot and not self.stop.is_set():
                    self._execute(follower, f"after {job.robot}", calendar, done)

    def _attempt(self, index: int, job: Job, reason: str, now: datetime) -> bool:
        if self.locks is None:
            return self._call(index, job, reason, now)
        with self.locks.held(job.robot, self.plan.lock.heartbeat_seconds) as mine:
            if not mine:
                self._record(Outcome(now, job.robot, "busy", reason, "another run holds the lock"))
                return False
            return self._call(index, job, reason, now)

    def _call(self, index: int, job: Job, reason: str, now: datetime) -> bool:
        try:
            self.runner(job.robot, **job.options)
        except Exception as exc:  # a failed run must not stop the others
            failures = self._retries[index].failures + 1 if index in self._retries else 1
            delay = self.plan.retry.delay(failures)
            self._retries[index] = _Retry(failures, self.clock.now() + timedelta(seconds=delay))
            log.error("%s failed (%s: %s); retry %d in %gs", job.robot, type(exc).__name__, exc, failures, delay)
            self._record(Outcome(now, job.robot, "failed", reason, f"{type(exc).__name__}: {exc}"[:500]))
            return False
        self._retries.pop(index, None)
        self._record(Outcome(now, job.robot, "ok", reason))
        return True

    def _record(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        if outcome.status != "ok":
            log.info("%s %s (%s) %s", outcome.robot, outcome.status, outcome.reason, outcome.detail)
        if self.on_outcome:
            self.on_outcome(outcome)

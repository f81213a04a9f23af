"""The scheduler's loop on a fake clock: order, working days and windows, chains, retries, stop."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from receivables.scheduler.clock import FakeClock
from receivables.scheduler.loop import Scheduler
from receivables.scheduler.plan import Plan

WARSAW = ZoneInfo("Europe/Warsaw")


def local(day: str, hm: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{hm}").replace(tzinfo=WARSAW)


def plan(*jobs: dict, **kw) -> Plan:
    return Plan(jobs=list(jobs), **kw)


def played(scheduler: Scheduler, until: datetime, status: str | None = "ok") -> list[tuple[str, str, str]]:
    return [(o.at.astimezone(WARSAW).strftime("%H:%M"), o.robot, o.reason)
            for o in scheduler.run(until=until) if status is None or o.status == status]


class Recorder:
    def __init__(self, fail: dict[str, int] | None = None) -> None:
        self.calls: list[str] = []
        self.fail = dict(fail or {})

    def __call__(self, robot: str, **options) -> None:
        self.calls.append(robot)
        if self.fail.get(robot, 0) > 0:
            self.fail[robot] -= 1
            raise RuntimeError(f"{robot} broke")


WORKDAY_PLAN = (
    {"robot": "bank-statements", "every": "hour", "at": ":05", "working_days": True},
    {"robot": "reconcile", "after": "bank-statements"},
    {"robot": "reminders", "every": "day", "at": "09:00", "working_days": True},
    {"robot": "voice-calls", "every": "30 minutes", "working_days": True, "between": ["10:00", "18:00"]},
    {"robot": "reports", "every": "monday", "at": "08:00"},
)


def test_a_working_monday_morning_runs_in_order():
    clock = FakeClock(local("2026-03-09", "07:00"))  # Monday
    scheduler = Scheduler(plan(*WORKDAY_PLAN), Recorder(), clock=clock)
    assert played(scheduler, local("2026-03-09", "10:31")) == [
        ("07:05", "bank-statements", "schedule"), ("07:05", "reconcile", "after bank-statements"),
        ("08:00", "reports", "schedule"),
        ("08:05", "bank-statements", "schedule"), ("08:05", "reconcile", "after bank-statements"),
        ("09:00", "reminders", "schedule"),
        ("09:05", "bank-statements", "schedule"), ("09:05", "reconcile", "after bank-statements"),
        ("10:00", "voice-calls", "schedule"),
        ("10:05", "bank-statements", "schedule"), ("10:05", "reconcile", "after bank-statements"),
        ("10:30", "voice-calls", "schedule"),
    ]
    skipped = [(o.at.astimezone(WARSAW).strftime("%H:%M"), o.robot, o.detail) for o in scheduler.outcomes
               if o.status == "skipped"]
    assert skipped == [(t, "voice-calls", "outside 10:00-18:00") for t in ("07:30", "08:00", "08:30", "09:00", "09:30")]


def test_a_public_holiday_runs_only_the_jobs_not_bound_to_working_days():
    clock = FakeClock(local("2026-01-06", "08:30"))  # Tuesday, Epiphany: a public holiday in Poland
    scheduler = Scheduler(plan(*WORKDAY_PLAN, {"robot": "mail-classifier", "every": "hour", "at": ":10"}),
                          Recorder(), clock=clock)
    assert played(scheduler, local("2026-01-06", "10:59")) == [
        ("09:10", "mail-classifier", "schedule"), ("10:10", "mail-classifier", "schedule")]
    assert {o.detail for o in scheduler.outcomes if o.status == "skipped"} >= {"not a working day"}


def test_a_failed_run_is_retried_with_backoff_and_blocks_nothing_else():
    clock = FakeClock(local("2026-03-09", "07:00"))
    runner = Recorder(fail={"bank-statements": 2})
    scheduler = Scheduler(plan({"robot": "bank-statements", "every": "hour", "at": ":05"},
                               {"robot": "reconcile", "after": "bank-statements"},
                               {"robot": "mail-classifier", "every": "15 minutes"},
                               retry={"first_delay_seconds": 300, "max_delay_seconds": 3600}),
                          runner, clock=clock)
    outcomes = played(scheduler, local("2026-03-09", "08:06"), status=None)
    bank = [o for o in outcomes if o[1] != "mail-classifier"]
    # 07:05 fails -> retry after 300 s (07:10) fails -> after 600 s (07:20) works, and reconcile follows it
    assert bank == [("07:05", "bank-statements", "schedule"), ("07:10", "bank-statements", "retry"),
                    ("07:20", "bank-statements", "retry"), ("07:20", "reconcile", "after bank-statements"),
                    ("08:05", "bank-statements", "schedule"), ("08:05", "reconcile", "after bank-statements")]
    statuses = [o.status for o in scheduler.outcomes if o.robot == "bank-statements"]
    assert statuses == ["failed", "failed", "ok", "ok"]
    assert [o[0] for o in outcomes if o[1] == "mail-classifier"] == ["07:15", "07:30", "07:45", "08:00"]


def test_a_stop_lets_the_running_robot_finish_and_starts_nothing_new():
    clock = FakeClock(datetime(2026, 3, 9, 6, 0, tzinfo=UTC))
    runner = Recorder()
    scheduler = Scheduler(plan({"robot": "bank-statements", "every": "hour", "at": ":05"},
                               {"robot": "reconcile", "after": "bank-statements"},
                               {"robot": "reports", "every": "hour", "at": ":05"}), runner, clock=clock)

    def stopping(robot: str, **options) -> None:
        runner(robot)
        scheduler.stop.set()  # as SIGTERM does while a robot runs

    scheduler.runner = stopping
    scheduler.run(until=clock.now() + timedelta(hours=5))
    assert runner.calls == ["bank-statements"]  # neither its chain nor the other due job started
    assert clock.now() < datetime(2026, 3, 9, 7, 0, tzinfo=UTC)


def test_once_runs_each_scheduled_robot_once_in_plan_order_whatever_the_day():
    clock = FakeClock(local("2026-01-06", "03:00"))  # a holiday at night
    runner = Recorder()
    scheduler = Scheduler(plan(*WORKDAY_PLAN, {"robot": "bank-statements", "every": "day", "at": "23:00"}),
                          runner, clock=clock)
    scheduler.run_each_once()
    assert runner.calls == ["bank-statements", "reconcile", "reminders", "voice-calls", "reports"]


def test_next_runs_reads_the_plan_in_its_time_zone():
    clock = FakeClock(local("2026-03-09", "07:00"))
    scheduler = Scheduler(plan({"robot": "reminders", "every": "day", "at": "09:00"}, timezone="Europe/Warsaw"),
                          Recorder(), clock=clock)
    [(when, name)] = scheduler.next_runs()
    assert when == datetime(2026, 3, 9, 8, 0, tzinfo=UTC) and name == "reminders (every day at 09:00)"

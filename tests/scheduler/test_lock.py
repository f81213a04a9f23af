"""Robot locks in the ledger (SQLite and PostgreSQL): contention, heartbeat, stale takeover, across processes."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from receivables.ledger.locks import RobotLocks
from receivables.ledger.models import RobotLock, Run
from receivables.pipeline import RobotBusy, run_robot
from receivables.scheduler.clock import FakeClock
from receivables.scheduler.loop import Scheduler
from receivables.scheduler.plan import Plan

from ..conftest import REPO, wait_for

T0 = datetime(2026, 3, 9, 6, 0, tzinfo=UTC)


def test_one_holder_at_a_time_and_a_silent_holder_is_taken_over(ledger):
    clock = [T0]
    a = RobotLocks(ledger, "a", stale_after=300, now=lambda: clock[0])
    b = RobotLocks(ledger, "b", stale_after=300, now=lambda: clock[0])
    assert a.acquire("reconcile") and not b.acquire("reconcile")
    assert b.acquire("reports")  # other robots are free
    clock[0] += timedelta(seconds=200)
    assert a.heartbeat("reconcile")
    clock[0] += timedelta(seconds=299)  # 299 s since a's last beat: still alive
    assert not b.acquire("reconcile")
    clock[0] += timedelta(seconds=2)  # 301 s: a has crashed as far as anyone can tell
    assert b.acquire("reconcile")
    assert not a.heartbeat("reconcile")  # a learns it lost the lock
    a.release("reconcile")  # and cannot release b's
    assert b.holders() == {"reconcile": "b", "reports": "b"}
    b.release("reconcile")
    assert a.acquire("reconcile")


def test_the_heartbeat_thread_keeps_a_long_run_fresh_and_release_happens_on_error(ledger):
    locks = RobotLocks(ledger, "a")
    try:
        with locks.held("reconcile", heartbeat_seconds=0.05) as mine:
            assert mine
            with ledger.session() as s:
                first = s.scalar(select(RobotLock.heartbeat_at))
            wait_for(lambda: _beat(ledger) > first, timeout=5)
            raise RuntimeError("robot failed")
    except RuntimeError:
        pass
    assert locks.holders() == {}


def _beat(ledger):
    with ledger.session() as s:
        return s.scalar(select(RobotLock.heartbeat_at))


def test_a_busy_robot_is_skipped_by_a_second_scheduler(ledger):
    other = RobotLocks(ledger, "other scheduler")
    assert other.acquire("reconcile")
    calls = []
    clock = FakeClock(T0)
    plan = Plan(jobs=[{"robot": "bank-statements", "every": "hour", "at": ":05"},
                      {"robot": "reconcile", "after": "bank-statements"}])
    scheduler = Scheduler(plan, lambda robot, **o: calls.append(robot), RobotLocks(ledger, "me", now=clock.now),
                          clock=clock)
    scheduler.run(until=T0 + timedelta(minutes=6))
    assert calls == ["bank-statements"]
    assert [(o.robot, o.status) for o in scheduler.outcomes] == [("bank-statements", "ok"), ("reconcile", "busy")]
    other.release("reconcile")
    scheduler.run(until=T0 + timedelta(hours=1, minutes=6))
    assert calls == ["bank-statements", "bank-statements", "reconcile"]
    assert RobotLocks(ledger).holders() == {}


HOLDER = """
import sys, time
from receivables.ledger import open_ledger
from receivables.ledger.locks import RobotLocks
locks = RobotLocks(open_ledger(sys.argv[1]), "crashing process", stale_after=1)
assert locks.acquire("reconcile")
print("held", flush=True)
time.sleep(60)
"""


def test_the_lock_holds_across_processes_and_outlives_a_killed_holder(ledger):
    process = subprocess.Popen([sys.executable, "-c", HOLDER, ledger.engine.url.render_as_string(hide_password=False)],
                               stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        assert process.stdout.readline().strip() == "held"
        me = RobotLocks(ledger, "me", stale_after=1)
        assert not me.acquire("reconcile")
        process.kill()  # a crash: no release, no more heartbeats
        process.wait(10)
        assert me.holders() == {"reconcile": "crashing process"}
        time.sleep(1.1)
        assert me.acquire("reconcile")
        assert me.holders() == {"reconcile": "me"}
    finally:
        process.kill()
        process.wait(10)


def test_a_robot_run_by_hand_waits_for_nobody_but_never_overlaps_a_running_one(ledger, settings):
    other = RobotLocks(ledger, "control-room:worker-7")
    assert other.acquire("ledger-export")
    with pytest.raises(RobotBusy, match="control-room:worker-7"):
        run_robot("ledger-export", settings, ledger)
    with ledger.session() as s:
        assert s.scalar(select(Run.id).where(Run.robot == "ledger-export")) is None  # refused before any run began
    other.release("ledger-export")
    assert run_robot("ledger-export", settings, ledger)["workbook"]
    with ledger.session() as s:
        assert s.scalars(select(RobotLock.robot)).all() == []  # released after the run

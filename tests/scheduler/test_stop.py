"""A scheduler process stopped by SIGTERM: the running robot finishes, its lock is released, exit code 0."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from receivables.ledger import open_ledger
from receivables.ledger.models import Run
from receivables.ledger.locks import RobotLocks

from ..conftest import REPO, wait_for

HERE = Path(__file__).resolve().parent


def test_sigterm_mid_run_finishes_the_robot_and_releases_its_lock(ledger, tmp_path):
    url = ledger.engine.url.render_as_string(hide_password=False)
    process = subprocess.Popen([sys.executable, str(HERE / "slow_scheduler.py"), url, str(tmp_path)], cwd=REPO,
                               stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: any(tmp_path.glob("started-*")), timeout=30)
        assert RobotLocks(ledger).holders().keys() == {"reconcile"}
        process.send_signal(signal.SIGTERM)
        assert process.wait(20) == 0, process.stderr.read()
    finally:
        process.kill()
    [started] = tmp_path.glob("started-*")
    assert (tmp_path / started.name.replace("started", "finished")).exists()
    assert RobotLocks(ledger).holders() == {}
    with ledger.session() as s:
        assert s.scalars(select(Run.status)).all() == ["ok"]  # one run, finished, nothing started after the stop


def test_the_command_runs_a_real_plan_once_and_stops_cleanly_when_idle(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text("jobs:\n  - {robot: ledger-export, every: day, at: '03:00'}\n")
    env = {**os.environ, "RECEIVABLES_LEDGER_URL": f"sqlite:///{tmp_path / 'l.sqlite'}",
           "RECEIVABLES_PATHS__OUTPUT": str(tmp_path / "out")}
    once = subprocess.run([sys.executable, "-m", "receivables.scheduler", "--plan", str(plan), "--once", "--json"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert once.returncode == 0, once.stderr
    assert json.loads(once.stdout) == [{"robot": "ledger-export", "status": "ok", "why": "once", "detail": ""}]
    idle = subprocess.Popen([sys.executable, "-m", "receivables.scheduler", "--plan", str(plan)], cwd=REPO, env=env,
                            stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: (tmp_path / "l.sqlite").exists(), timeout=30)
        assert any("INFO scheduler " in idle.stderr.readline() for _ in range(20))  # the loop is up
        idle.send_signal(signal.SIGTERM)
        assert idle.wait(20) == 0
    finally:
        idle.kill()
    ledger = open_ledger(env["RECEIVABLES_LEDGER_URL"])
    with ledger.session() as s:
        assert [(r.robot, r.status) for r in s.scalars(select(Run))] == [("ledger-export", "ok")]
    assert RobotLocks(ledger).holders() == {}
    ledger.dispose()


def test_unknown_robots_stop_the_command_before_anything_runs(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text("jobs:\n  - {robot: ledger-export, every: hour}\n  - {robot: fortune-teller, every: hour}\n")
    result = subprocess.run([sys.executable, "-m", "receivables.scheduler", "--plan", str(plan), "--once"],
                            cwd=REPO, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "RECEIVABLES_LEDGER_URL": f"sqlite:///{tmp_path / 'l.sqlite'}"})
    assert result.returncode == 2
    assert "jobs.1.robot: 'fortune-teller'" in result.stderr and not (tmp_path / "l.sqlite").exists()

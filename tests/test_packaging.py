"""Robocorp packaging: every robot is a task, the environments agree, the tasks really run."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import yaml

from receivables.pipeline import PIPELINE

REPO = Path(__file__).resolve().parents[1]


def test_every_robot_is_a_task_and_every_task_a_robot():
    tasks = yaml.safe_load((REPO / "robot.yaml").read_text())["tasks"]
    commands = {name: t["shell"] for name, t in tasks.items()}
    modules = {}
    for name, shell in commands.items():
        m = re.fullmatch(r"python -m robocorp\.tasks run (robots/\w+\.py) -t (\w+)", shell)
        assert m, f"{name}: {shell}"
        assert (REPO / m.group(1)).exists()
        modules[m.group(2).replace("_", "-")] = m.group(1)
    assert set(modules) == {r.name for r in PIPELINE}


def test_conda_yaml_pins_the_same_versions_as_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    conda = yaml.safe_load((REPO / "conda.yaml").read_text())["dependencies"]
    pip = next(d["pip"] for d in conda if isinstance(d, dict))
    assert sorted(pip) == sorted(project)
    assert all("==" in dep for dep in project)


def test_robocorp_task_runs_the_robot(tmp_path):
    env = {**os.environ, "RECEIVABLES_PATHS__OUTPUT": str(tmp_path),
           "RECEIVABLES_LEDGER_URL": f"sqlite:///{tmp_path / 'ledger.sqlite'}", "ROBOT_ARTIFACTS": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "robocorp.tasks", "run", "robots/ledger_export.py", "-t", "ledger_export",
         "--output-dir", str(tmp_path / "log")],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "master_ledger.xlsx").stat().st_size > 0


def test_cli_help_answers_fast():
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "receivables", "--help"], capture_output=True, text=True, timeout=60)
    elapsed = time.perf_counter() - start
    assert proc.returncode == 0 and "demo" in proc.stdout
    heavy = subprocess.run(
        [sys.executable, "-c", "import sys, receivables.cli; print(sorted(m for m in ('pandas','playwright','sklearn',"
         "'openpyxl','sqlalchemy','lxml','dateparser') if m in sys.modules))"],
        capture_output=True, text=True, timeout=60)
    assert heavy.stdout.strip() == "[]"
    assert elapsed < 5  # generous for a loaded CI machine; the import check above is the real guard

"""config/schedule.yaml: the shipped plan is valid; mistakes are named by file and key."""

from __future__ import annotations

import pytest

from receivables.config import SettingsError
from receivables.scheduler.plan import load_plan


def write(tmp_path, text):
    path = tmp_path / "schedule.yaml"
    path.write_text(text)
    return path


def test_the_shipped_plan_covers_every_robot_of_the_issue():
    plan = load_plan()
    robots = {j.robot for j in plan.jobs}
    assert {"bank-statements", "reconcile", "mail-classifier", "reminders", "call-list", "voice-calls", "reports",
            "payment-notifier"} <= robots
    reconcile = next(j for j in plan.jobs if j.robot == "reconcile")
    assert reconcile.after == "bank-statements"


@pytest.mark.parametrize("jobs, expected", [
    ("- {robot: reconcile, every: fortnight}", "jobs.0.every: expected 'N minutes|hours|days|weeks'"),
    ("- {robot: reconcile, every: day, at: '25:00'}", "jobs.0: expected every 'day' at '25:00'"),
    ("- {robot: reconcile}", "a job needs exactly one of `every`"),
    ("- {robot: reconcile, every: hour, after: x}", "a job needs exactly one of `every`"),
    ("- {robot: reconcile, after: bank-statements}", "'bank-statements' is not a robot of this plan"),
    ("- {robot: a, after: b}\n- {robot: b, after: a}", "goes round in a circle"),
    ("- {robot: reconcile, every: hour, between: ['18:00', '10:00']}", "between must be [from, to)"),
    ("- {robot: reconcile, every: hour, when: now}", "jobs.0.when: unknown key"),
])
def test_plan_errors_name_the_key(tmp_path, jobs, expected):
    path = write(tmp_path, "jobs:\n" + "\n".join("  " + line for line in jobs.splitlines()) + "\n")
    with pytest.raises(SettingsError) as err:
        load_plan(path)
    assert str(path) in str(err.value) and expected in str(err.value)


def test_unknown_robots_are_listed_together(tmp_path):
    path = write(tmp_path, "timezone: Europe/Berlin\njobs:\n  - {robot: reconcile, every: hour}\n"
                           "  - {robot: voice-calls, every: hour}\n  - {robot: reports, every: monday}\n")
    with pytest.raises(SettingsError, match=r"not a robot: jobs.1.robot: 'voice-calls'; jobs.2.robot: 'reports'"):
        load_plan(path, known=["reconcile"])
    with pytest.raises(SettingsError, match="timezone: expected an IANA time zone"):
        load_plan(write(tmp_path, "timezone: Mars/Base\njobs:\n  - {robot: reconcile, every: hour}\n"))

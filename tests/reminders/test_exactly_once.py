"""Kill the robot (os._exit in a forked process) between queueing and sending, and between sending and
marking; a re-run delivers every message exactly once, or at most twice with the same Message-ID."""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from datetime import timedelta

import pytest

from receivables.dunning.robot import send_reminders
from receivables.ledger import open_ledger

from .conftest import NOW, TODAY, add_customer, fresh_runs


def _crashing_run(url, settings, rsettings, stage):
    ledger = open_ledger(url)
    seen = Counter()

    def checkpoint(name):
        seen[name] += 1
        if name == stage and (seen[name] == 2 or name in ("queued", "flushed")):  # "claimed", "sent":
            os._exit(137)  # after the first message went through

    with ledger.run("reminders") as run:
        send_reminders(settings, ledger, run, today=TODAY, now=NOW, reminders=rsettings, checkpoint=checkpoint)


def _kill_run_at(stage, rledger, settings, rsettings):
    process = multiprocessing.get_context("fork").Process(
        target=_crashing_run, args=(str(rledger.engine.url), settings, rsettings, stage))
    process.start()
    process.join(60)
    assert process.exitcode == 137


@pytest.mark.parametrize("stage", ["queued", "claimed", "sent"])
def test_killed_run_then_rerun_delivers_each_message_once(stage, rledger, sink, settings, rsettings, run_reminders):
    fresh_runs(rledger)
    for n in range(4):
        add_customer(rledger, f"K{n}", email=f"k{n}@example.pl", phone=None,
                     invoices=[(f"FV/{n}", TODAY - timedelta(14), "500.00")])
    _kill_run_at(stage, rledger, settings, rsettings)
    run_reminders()
    ids = Counter(m["Message-ID"] for m in sink.messages())
    assert set(ids) and len(ids) == 4  # nothing lost
    if stage == "sent":  # killed after a send, before its mark: duplicates with the same Message-ID, at most
        # one per connection sending at once
        duplicated = sum(n - 1 for n in ids.values())
        assert max(ids.values()) == 2 and 1 <= duplicated <= rsettings.smtp.connections
    else:
        assert set(ids.values()) == {1}


@pytest.mark.parametrize("stage", ["claimed", "flushed"])
def test_killed_run_then_rerun_prints_each_letter_once(stage, rledger, sink, settings, rsettings, run_reminders):
    """Killed after the print file was written but before its letters were marked sent, the
    re-run finds them in that file (its metadata lists their outbox keys) and prints none again."""
    import subprocess

    fresh_runs(rledger)
    for n in range(3):
        add_customer(rledger, f"K{n}", email=None, phone=None,
                     invoices=[(f"FV/{n}", TODAY - timedelta(31), "500.00")])
    _kill_run_at(stage, rledger, settings, rsettings)
    summary = run_reminders()
    assert summary["sent"].get("letter") == 3
    printed = Counter()
    for pdf in rsettings.letters_folder.rglob("print-*.pdf"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        printed.update(f"FV/{n}" for n in range(3) if f"FV/{n}" in text)
    assert printed == Counter({"FV/0": 1, "FV/1": 1, "FV/2": 1})

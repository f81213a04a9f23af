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
        if name == stage and seen[name] == 2:  # after the first message went through
            os._exit(137)
        if name == stage == "queued":
            os._exit(137)

    with ledger.run("reminders") as run:
        send_reminders(settings, ledger, run, today=TODAY, now=NOW, reminders=rsettings, checkpoint=checkpoint)


@pytest.mark.parametrize("stage", ["queued", "claimed", "sent"])
def test_killed_run_then_rerun_delivers_each_message_once(stage, rledger, sink, settings, rsettings, run_reminders):
    fresh_runs(rledger)
    for n in range(4):
        add_customer(rledger, f"K{n}", email=f"k{n}@example.pl", phone=None,
                     invoices=[(f"FV/{n}", TODAY - timedelta(14), "500.00")])
    process = multiprocessing.get_context("fork").Process(
        target=_crashing_run, args=(str(rledger.engine.url), settings, rsettings, stage))
    process.start()
    process.join(60)
    assert process.exitcode == 137
    run_reminders()
    ids = Counter(m["Message-ID"] for m in sink.messages())
    assert set(ids) and len(ids) == 4  # nothing lost
    if stage == "sent":  # killed after a send, before its mark: duplicates with the same Message-ID, at most
        # one per connection sending at once
        duplicated = sum(n - 1 for n in ids.values())
        assert max(ids.values()) == 2 and 1 <= duplicated <= rsettings.smtp.connections
    else:
        assert set(ids.values()) == {1}

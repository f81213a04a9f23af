"""Kill the notifier (os._exit in a forked process) after queueing, and right after a send before its mark.

A re-run delivers every notification; none is lost, none is decided twice. A send interrupted between
the server's acknowledgement and the outbox mark is repeated once with the same Message-ID (e-mail)
or Idempotency-Key (chat): no webhook API offers more than that to tell a repeat.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from datetime import date, timedelta

import pytest

from receivables.ledger import open_ledger
from receivables.notifications.robot import notify_payments

from .conftest import MORNING, TODAY, add_customer, add_payment


def _crashing_run(url, settings, nsettings, rules, stage, nth):
    ledger = open_ledger(url)
    seen = Counter()

    def checkpoint(name):
        seen[name] += 1
        if name == stage and seen[name] == nth:
            os._exit(137)

    with ledger.run("payment-notifier") as run:
        notify_payments(settings, ledger, run, now=MORNING, notifications=nsettings, rules=rules, checkpoint=checkpoint)


@pytest.mark.parametrize("stage, nth, repeated", [("queued", 1, None), ("sent", 1, "email"), ("sent", 3, "chat")])
def test_killed_run_then_rerun_tells_each_manager_once(stage, nth, repeated, tmp_path, settings, sink, receiver,
                                                        nsettings, rules):
    url = f"sqlite:///{tmp_path / 'crash.sqlite'}"
    ledger = open_ledger(url)
    for n in range(2):
        _, inv = add_customer(ledger, f"K{n}", f"Firma {n}", "Anna Kowalska",
                              [(f"FV/{n}", date(2026, 3, 1), "20000.00")])
        add_payment(ledger, "20000.00", TODAY - timedelta(1), {inv[f"FV/{n}"]: "20000.00"})
    process = multiprocessing.get_context("fork").Process(
        target=_crashing_run, args=(url, settings, nsettings, rules, stage, nth))
    process.start()
    process.join(60)
    assert process.exitcode == 137
    with ledger.run("payment-notifier") as run:
        again = notify_payments(settings, ledger, run, now=MORNING, notifications=nsettings, rules=rules)
    ledger.dispose()
    assert again["payments"] == 0  # decided once, by the killed run
    mails = Counter(m["Message-ID"] for m in sink.messages())
    chats = Counter(r["key"] for r in receiver.requests)
    assert len(mails) == 2 and len(chats) == 2  # nothing lost: two payments, e-mail and chat each
    if repeated == "email":  # SMTP sends over 2 connections at once: one or both were in flight
        assert max(mails.values()) == 2
    else:
        assert sorted(mails.values()) == [1, 1]
    assert sorted(chats.values()) == ([1, 2] if repeated == "chat" else [1, 1])

"""From a generated world through the real call-list robot to a finished voice campaign."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from sqlalchemy import select

from receivables.ledger.models import CallAttempt, Promise
from receivables.sandbox.populate import populate_ledger
from receivables.sandbox.world import WorldGenerator, WorldSpec
from receivables.scoring.robot import build_call_list
from voicebot.robot import voice_calls

AS_OF = date(2026, 4, 29)


@pytest.mark.slow
def test_the_call_list_robots_work_item_runs_as_a_campaign(settings, tmp_path):
    from receivables.ledger import open_ledger

    ledger = open_ledger(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    WorldGenerator(WorldSpec(seed=5, customers=40, invoices=400, months=6, as_of=AS_OF), settings.company.nip,
                   settings.company.bank_accounts).write(tmp_path / "world")
    populate_ledger(settings, ledger, tmp_path / "world", AS_OF)
    with ledger.run("call-list") as run:
        listed = build_call_list(settings, ledger, run, today=AS_OF)["call_list"]
    with ledger.run("voice-calls") as run:
        summary = voice_calls(settings, ledger, run, today=AS_OF)
    campaign = summary["campaigns"][listed["campaign"]]
    assert campaign["finished"] and campaign["debtors_called"] == listed["entries"] > 0
    with ledger.session() as s:
        attempts = s.scalars(select(CallAttempt)).all()
        promises = s.scalars(select(Promise).where(Promise.channel == "call")).all()
    assert len(attempts) == campaign["attempts"]
    assert all(AS_OF <= p.promised_date for p in promises)
    with open(campaign["csv"], encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(attempts)
    assert {r["outcome"] for r in rows if r["result"] == "answered"} <= {
        "promise", "instalments", "callback", "transfer", "dispute", "already_paid", "refusal", "wrong_person",
        "no_outcome"}
    ledger.dispose()

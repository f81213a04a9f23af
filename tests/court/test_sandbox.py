"""From a generated sandbox world: reminders send final demands, a week later the robot drafts the
hopeless debtors' cases, and never a disputer's or a punctual payer's."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from receivables.court.robot import court_claims, first_court_day
from receivables.ledger import open_ledger
from receivables.ledger.models import CourtCase, Customer, Dispute, Invoice
from receivables.pipeline import run_robot
from receivables.sandbox.populate import populate_ledger
from receivables.sandbox.world import WorldGenerator, WorldSpec

AS_OF = date(2026, 3, 20)


def _record_disputes(ledger, world: Path) -> set[str]:
    """The world's disputes as the mail-classifier records them (populate_ledger runs no mailbox)."""
    rows = list(csv.DictReader((world / "truth" / "disputes.csv").open(encoding="utf-8")))
    with ledger.session() as s:
        for r in rows:
            inv = s.scalar(select(Invoice).where(Invoice.number == r["invoice"]))
            s.add(Dispute(customer_id=inv.customer_id, invoice_id=inv.id, reason=r["reason"], source="mail"))
    return {r["invoice"] for r in rows}


def _case(brief: dict) -> dict:
    return json.loads((Path(brief["folder"]) / "case.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_sandbox_hopeless_debtors_go_to_court(settings, tmp_path: Path) -> None:
    world = tmp_path / "world"
    WorldGenerator(WorldSpec(seed=7, customers=60, invoices=600, months=12, as_of=AS_OF), settings.company.nip,
                   settings.company.bank_accounts).write(world)
    reminders = settings.reminders.model_copy(update={"send_hours": None, "working_days_only": False,
                                                      "pdf_workers": 1})
    settings = settings.model_copy(update={"reminders": reminders})
    ledger = open_ledger(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    try:
        populate_ledger(settings, ledger, world, AS_OF)
        disputed = _record_disputes(ledger, world)
        run_robot("reminders", settings, ledger, today=AS_OF)
        day = first_court_day(settings, AS_OF)
        assert day == date(2026, 3, 28)
        with ledger.run("court-claims") as run:
            summary = court_claims(settings, ledger, run, today=day)
        profiles = {r["customer_id"]: r["profile"] for r in csv.DictReader((world / "truth" / "customers.csv").open())}
        with ledger.session() as s:
            drafted = [ext for (ext,) in s.execute(select(Customer.external_id).join(
                CourtCase, CourtCase.customer_id == Customer.id))]
        assert drafted and len(drafted) == len(summary["drafted"])
        assert "defaulter" in {profiles[e] for e in drafted}
        assert "punctual" not in {profiles[e] for e in drafted}
        in_cases = {i["number"] for c in summary["drafted"] for i in _case(c)["invoices"]}
        assert disputed and not in_cases & disputed
        for case in summary["drafted"]:
            folder = Path(case["folder"])
            assert (folder / "case.json").exists()
            assert any(folder.glob("*.pdf")) and any(folder.glob("*.docx"))
        with ledger.run("court-claims") as run:
            assert court_claims(settings, ledger, run, today=day)["drafted"] == []
    finally:
        ledger.dispose()

"""The browser-free road from a sandbox world to a reconciled ledger, which downstream robots' tests start from."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from receivables.ledger import open_ledger
from receivables.ledger.models import Allocation, Invoice
from receivables.sandbox.populate import populate_ledger
from receivables.sandbox.world import WorldGenerator, WorldSpec

AS_OF = date(2026, 10, 30)


def test_populated_ledger_holds_the_worlds_invoices_and_its_payments(tmp_path, settings):
    world = tmp_path / "world"
    manifest = WorldGenerator(WorldSpec(seed=3, customers=30, invoices=200, months=4, as_of=AS_OF),
                              settings.company.nip, settings.company.bank_accounts).write(world)
    ledger = open_ledger(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    try:
        summaries = populate_ledger(settings, ledger, world, AS_OF)
        with ledger.session() as s:
            invoices = s.scalar(select(func.count()).select_from(Invoice))
            allocated = s.scalar(select(func.sum(Allocation.amount)))
        with (world / "truth" / "payments.csv").open(encoding="utf-8") as fh:
            paid = sum(Decimal(r["amount"]) for r in csv.DictReader(fh))
    finally:
        ledger.dispose()
    counts = manifest["counts"]
    assert invoices == counts["invoices"] + counts["credit_notes"]
    assert summaries["bank-statements"]["transactions_new"] == counts["bank_transactions"]
    assert summaries["reconcile"]["payments"] == counts["payments"]
    assert paid - allocated < paid * Decimal("0.05")  # almost every payment is posted automatically

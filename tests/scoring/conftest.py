"""A reconciled sandbox ledger built once per session, and a small hand-made ledger of debtors."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D
from pathlib import Path

import pytest

from receivables.ledger import Ledger, open_ledger
from receivables.ledger.models import (
    CallAttempt,
    CallCampaign,
    Contact,
    Customer,
    Dispute,
    Invoice,
    OptOut,
    Promise,
)
from tests.conftest import settings_under

AS_OF = date(2026, 5, 29)  # inside the shipped interest-rate tables (they end 2026-06-30)
NOW = datetime(2026, 5, 29, 7, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Sandbox:
    ledger_file: Path
    world: Path


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Sandbox:
    """150+ customers with consistent payment profiles, 1,800 invoices over 12 months, reconciled."""
    from receivables.sandbox.populate import populate_ledger
    from receivables.sandbox.world import WorldGenerator, WorldSpec

    folder = tmp_path_factory.mktemp("scoring-sandbox")
    settings = settings_under(folder)
    WorldGenerator(WorldSpec(seed=7, customers=150, invoices=1800, months=12, as_of=AS_OF),
                   settings.company.nip, settings.company.bank_accounts).write(folder / "world")
    ledger = open_ledger(f"sqlite:///{folder / 'ledger.sqlite'}")
    try:
        populate_ledger(settings, ledger, folder / "world", AS_OF)
    finally:
        ledger.dispose()
    return Sandbox(folder / "ledger.sqlite", folder / "world")


@pytest.fixture
def sandbox_ledger(sandbox: Sandbox, tmp_path: Path) -> Iterator[Ledger]:
    """A private copy of the sandbox ledger (SQLite backup API: the WAL comes along)."""
    target = tmp_path / "ledger.sqlite"
    src, dst = sqlite3.connect(sandbox.ledger_file), sqlite3.connect(target)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    led = open_ledger(f"sqlite:///{target}")
    yield led
    led.dispose()


@pytest.fixture(scope="session")
def sandbox_history(sandbox: Sandbox):
    from receivables.dunning.fx import default_fx_table
    from receivables.scoring.history import load_history

    led = open_ledger(f"sqlite:///{sandbox.ledger_file}", migrate=False)
    try:
        return load_history(led, AS_OF, default_fx_table())
    finally:
        led.dispose()


@pytest.fixture(scope="session")
def trained(sandbox_history):
    from receivables.scoring.model import train
    from receivables.scoring.rules import ModelRules

    return train(sandbox_history, AS_OF, ModelRules())


def truth_profiles(world: Path) -> dict[str, str]:
    import csv

    with (world / "truth" / "customers.csv").open(encoding="utf-8") as fh:
        return {r["customer_id"]: r["profile"] for r in csv.DictReader(fh)}


# -- a hand-made ledger ---------------------------------------------------------------------------

def fresh_runs(ledger: Ledger, at: datetime = NOW) -> None:
    """bank-statements and reconcile ran just before: the call list may be written."""
    from receivables.ledger.models import Run

    with ledger.session() as s:
        for robot in ("bank-statements", "reconcile"):
            s.add(Run(robot=robot, status="ok", started_at=at - timedelta(minutes=5), finished_at=at))


def add_debtor(ledger: Ledger, ext: str, invoices: list[tuple[str, date, str]], *, country: str = "PL",
               language: str = "pl", phone: str | None = "+48 600 100 200", phone_valid: bool = True,
               invalid_reason: str | None = None, fraud: bool = False, tax_id: str = "5260250274",
               paid: list[tuple[str, date, str, date]] = ()) -> tuple[int, dict[str, int]]:
    """Open invoices (number, due, gross) and paid ones (number, due, gross, paid on); issued 30 days before due."""
    currency = "PLN" if country == "PL" else "EUR"
    ids = {}
    with ledger.session() as s:
        c = Customer(external_id=ext, name=f"Firma {ext} sp. z o.o.", country=country, language=language,
                     tax_id=tax_id, suspected_fraud=fraud)
        s.add(c)
        s.flush()
        if phone:
            s.add(Contact(customer_id=c.id, kind="phone", value=phone, valid=phone_valid,
                          invalid_reason=invalid_reason))
        rows = [(n, due, g, None) for n, due, g in invoices] + list(paid)
        for number, due, gross, paid_on in rows:
            inv = Invoice(number=number, issuer_tax_id="5252448487", customer_id=c.id,
                          issue_date=due - timedelta(days=30), due_date=due, currency=currency, net=D(gross),
                          vat=D("0"), gross=D(gross), payment_terms_days=30,
                          open_amount=D("0") if paid_on else D(gross), paid=D(gross) if paid_on else D("0"),
                          status="paid" if paid_on else "open", paid_date=paid_on)
            s.add(inv)
            s.flush()
            ids[number] = inv.id
        return c.id, ids


def add_promise(ledger: Ledger, customer_id: int, invoice_id: int | None, on: date, status: str = "pending") -> None:
    with ledger.session() as s:
        s.add(Promise(source_key=f"test:{customer_id}:{invoice_id}:{on}:{status}", customer_id=customer_id,
                      invoice_id=invoice_id, promised_date=on, channel="call", status=status))


def add_dispute(ledger: Ledger, customer_id: int, invoice_id: int | None) -> None:
    with ledger.session() as s:
        s.add(Dispute(customer_id=customer_id, invoice_id=invoice_id, reason="damaged goods", source="mail"))


def add_opt_out(ledger: Ledger, customer_id: int, channel: str = "call") -> None:
    with ledger.session() as s:
        s.add(OptOut(customer_id=customer_id, channel=channel, reason="asked not to be called"))


def add_attempts(ledger: Ledger, customer_id: int, n: int, at: datetime, result: str = "no_answer") -> None:
    with ledger.session() as s:
        campaign = CallCampaign(key=f"test-{customer_id}-{at:%Y%m%d%H%M}")
        s.add(campaign)
        s.flush()
        for k in range(n):
            s.add(CallAttempt(campaign_id=campaign.id, customer_id=customer_id, phone="+48 600 100 200",
                              attempt_no=k + 1, status="done", started_at=at + timedelta(hours=k), result=result))

"""The accounting-sync robot against the local app in real Chromium: first sync, changes, missing, login."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from receivables.ledger import open_ledger
from receivables.ledger.models import Customer, Event, Invoice, Run
from receivables.pipeline import run_robot
from receivables.sandbox.accounting_app import register_accounting_app
from receivables.sandbox.server import SandboxServer
from tests.accounting_web.helpers import PASSWORD, USERS

ISSUER = "5252448487"


@pytest.fixture
def app_and_book(world, clock):
    server = SandboxServer(world)
    book = register_accounting_app(server.app, world, users=USERS, clock=clock, page_size=25)
    with server:
        yield server, book


@pytest.fixture
def robot(settings, app_and_book, monkeypatch, tmp_path):
    server, _ = app_and_book
    monkeypatch.setenv("RECEIVABLES_SECRET_ACCOUNTING_APP_USER", next(iter(USERS)))
    monkeypatch.setenv("RECEIVABLES_SECRET_ACCOUNTING_APP_PASSWORD", PASSWORD)
    accounting = settings.accounting.model_copy(update={"sources": ["web"], "base_url": server.url})
    settings = settings.model_copy(update={"accounting": accounting})
    ledger = open_ledger(f"sqlite:///{tmp_path / 'ledger.sqlite'}")

    def run() -> dict:
        return run_robot("accounting-sync", settings, ledger)["web"]

    run.ledger = ledger
    yield run
    ledger.dispose()


def ledger_invoices(ledger) -> dict[str, Invoice]:
    with ledger.session() as s:
        return {i.number: i for i in s.scalars(select(Invoice))}


def test_web_sync_fills_the_ledger_then_opens_only_what_changed(robot, app_and_book, clock):
    _, book = app_and_book
    first = robot()
    numbers = {i.number for i in book.invoices()}
    assert first["opened_invoices"] == first["listed_invoices"] == first["invoices_created"] == len(numbers)
    assert first["customers_created"] == len(book.customers())
    got = ledger_invoices(robot.ledger)
    assert set(got) == numbers
    sample = book.invoices()[0]
    assert (got[sample.number].gross, got[sample.number].due_date) == (sample.gross, sample.due_date)
    for note in (i for i in book.invoices() if i.corrects):
        assert got[note.corrects].credited == -note.gross

    cursor = datetime.fromisoformat(first["cursor"])
    at_cursor = sum(1 for e in book.invoice_entries() if e.modified_at == cursor)  # re-read to be safe

    clock.advance(hours=1)
    target = next(i for i in book.invoices() if i.kind == "invoice" and not book.credit_notes_for(i.number))
    book.change_invoice(target.number, due_date=target.due_date.replace(day=28))
    kor = book.issue_credit_note(target.number, net=Decimal("-10.00"), vat=Decimal("-2.30"))
    gone = next(i.number for i in book.invoices() if i.kind == "invoice" and i.number != target.number
                and not book.credit_notes_for(i.number))
    book.remove_invoice(gone)

    second = robot()
    # the changed invoice, the new credit note, and those stamped exactly at the last cursor
    assert second["opened_invoices"] == 2 + at_cursor and at_cursor < 10
    assert (second["invoices_updated"], second["invoices_created"], second["invoices_missing"]) == (1, 1, 1)
    got = ledger_invoices(robot.ledger)
    assert got[target.number].due_date == target.due_date.replace(day=28)
    assert got[target.number].open_amount == target.gross - Decimal("12.30")
    assert got[kor].corrects_id == got[target.number].id
    assert got[gone].missing_from_source
    with robot.ledger.session() as s:
        kinds = set(s.scalars(select(Event.kind).where(Event.invoice_id == got[target.number].id)))
        assert {"invoice_changed", "credit_note_applied"} <= kinds

    third = robot()
    assert third["opened_invoices"] <= 2 + at_cursor and third["invoices_updated"] == third["invoices_created"] == 0


def test_wrong_password_fails_the_run_and_changes_nothing(robot, monkeypatch, settings):
    monkeypatch.setenv("RECEIVABLES_SECRET_ACCOUNTING_APP_PASSWORD", "wrong")
    with pytest.raises(Exception, match="(?i)login"):
        robot()
    with robot.ledger.session() as s:
        assert s.scalar(select(func.count()).select_from(Customer)) == 0
        run = s.scalar(select(Run))
        assert run.status == "failed"
    shots = list((settings.paths.output / "failures").glob("*.png"))
    assert shots, "a failed login leaves a screenshot"

"""The master ledger on SQLite and PostgreSQL: migrations, exact money, idempotent imports, status."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from receivables.ledger import open_ledger
from receivables.ledger.db import current_revision, make_engine
from receivables.ledger.models import BankTransaction, Customer, Invoice
from receivables.ledger.repository import add_allocation, enqueue_message, import_statement
from tests.ledger.factories import add_customer_with_invoices, invoice_rec, statement, tx

def test_migration_from_empty_database_reaches_head_and_keeps_data(ledger_url):
    engine = make_engine(ledger_url)
    assert current_revision(engine) is None
    first = open_ledger(ledger_url)
    assert current_revision(first.engine) == "0006"
    with first.session() as s:
        add_customer_with_invoices(s)
    first.dispose()
    second = open_ledger(ledger_url)  # opening again runs the upgrade again: a no-op, not a reset
    with second.session() as s:
        assert s.scalar(select(func.count()).select_from(Customer)) == 1
    second.dispose()


def test_money_round_trips_exactly(ledger):
    amounts = ["0.01", "0.10", "1234567890123.45", "-999.99", "0.07", "0.20"]
    with ledger.session() as s:
        add_customer_with_invoices(s, *(invoice_rec(number=f"X/{i}", gross=a, net=Decimal(a), vat=Decimal("0"))
                                        for i, a in enumerate(amounts)))
    with ledger.session() as s:
        got = {inv.number: inv.gross for inv in s.scalars(select(Invoice))}
        total = s.scalar(select(func.sum(Invoice.gross)))
    assert got == {f"X/{i}": Decimal(a) for i, a in enumerate(amounts)}
    assert all(isinstance(v, Decimal) for v in got.values())
    assert total == sum(Decimal(a) for a in amounts)  # 0.1 + 0.2 style sums stay exact


def test_money_with_fractions_of_a_cent_is_refused(ledger):
    with pytest.raises(Exception, match="more than two decimal places"):
        with ledger.session() as s:
            add_customer_with_invoices(s, invoice_rec(gross="10.005", net=Decimal("10.005"), vat=Decimal(0)))
    with ledger.session() as s:  # the whole transaction rolled back
        assert s.scalar(select(func.count()).select_from(Customer)) == 0


def test_statement_import_is_idempotent_across_files_and_overlaps(ledger):
    a = tx("615.00", "REF1")
    b = tx("100.00", None, title="zapłata")
    b_twin = tx("100.00", None, title="zapłata")  # a second identical transfer the same day is real
    with ledger.session() as s:
        first = import_statement(s, statement("2024/06", a, b, b_twin), "june.sta", None)
    with ledger.session() as s:
        again = import_statement(s, statement("2024/06", a, b, b_twin), "june.sta", None)
        overlap = import_statement(s, statement("2024/06-W1", a, tx("50.00", "REF9")), "week.xml", None)
    assert (first.inserted, first.skipped) == (3, 0)
    assert (again.inserted, again.skipped) == (0, 3)
    assert (overlap.inserted, overlap.skipped) == (1, 1)
    with ledger.session() as s:
        assert s.scalar(select(func.count()).select_from(BankTransaction)) == 4
        assert s.scalar(select(func.sum(BankTransaction.amount))) == Decimal("865.00")


def test_invoice_status_derives_from_allocations_and_credit_notes(ledger):
    with ledger.session() as s:
        c, (inv, other) = add_customer_with_invoices(s, invoice_rec(gross="1230.00"), invoice_rec(number="FV/2"))
        import_statement(s, statement("S1", tx("500.00", "R1"), tx("730.00", "R2"), tx("20.00", "R3")), None, None)
        t1, t2, t3 = s.scalars(select(BankTransaction).order_by(BankTransaction.reference)).all()
        assert inv.status == "open"
        add_allocation(s, t1, inv, Decimal("500.00"), "invoice_number", 0.99, "auto", None)
        assert (inv.status, inv.open_amount) == ("partially_paid", Decimal("730.00"))
        assert add_allocation(s, t1, inv, Decimal("500.00"), "invoice_number", 0.99, "auto", None) is None
        add_allocation(s, t2, inv, Decimal("730.00"), "amount", 0.95, "auto", None)
        assert (inv.status, inv.open_amount, inv.paid_date) == ("paid", Decimal("0.00"), date(2024, 6, 3))
        add_allocation(s, t3, inv, Decimal("20.00"), "analyst", 1.0, "confirmed", None, confirmed_by="ewa")
        assert (inv.status, inv.open_amount) == ("overpaid", Decimal("-20.00"))
        assert (t1.status, t1.allocated) == ("matched", Decimal("500.00"))
        with pytest.raises(ValueError, match="exceed"):
            add_allocation(s, t1, other, Decimal("1.00"), "amount", 0.9, "auto", None)



def test_outbox_key_makes_enqueue_exactly_once(ledger):
    with ledger.session() as s:
        assert enqueue_message(s, "reminder:K1:2024-06-01", "email", "a@b.pl", "body", "subject")
        assert not enqueue_message(s, "reminder:K1:2024-06-01", "email", "a@b.pl", "body", "subject")
        assert s.execute(text("select count(*) from outbox")).scalar() == 1


def test_failed_run_is_recorded_with_its_error(ledger):
    from receivables.ledger.models import Run

    with pytest.raises(RuntimeError):
        with ledger.run("reconcile") as run:
            run.summary = {"seen": 3}
            raise RuntimeError("bank file unreadable")
    with ledger.session() as s:
        row = s.get(Run, run.id)
        assert (row.status, row.error, row.summary) == ("failed", "RuntimeError: bank file unreadable", {"seen": 3})
        assert row.finished_at.tzinfo is not None


def test_migrations_build_exactly_the_schema_the_models_describe(ledger):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from receivables.ledger.models import Base

    with ledger.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), Base.metadata)
    assert diff == []

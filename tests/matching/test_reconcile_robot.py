"""The reconcile robot on the ledger (SQLite and PostgreSQL): posting, exceptions round trip, learning."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import func, select

from receivables.banking.records import Statement, StatementTransaction
from receivables.ledger.invoice_sync import sync_accounting
from receivables.ledger.models import Allocation, BankTransaction, CustomerIban, Invoice, PayerAlias
from receivables.ledger.repository import import_statement
from receivables.matching.workbook import COLUMNS, DECISION_COLUMN
from receivables.pipeline import run_robot
from tests.ledger.factories import customer_rec, invoice_rec

STRANGER_IBAN = "PL10105000997603123456789123"


def payment(amount: str, title: str, ref: str, *, name: str = "TRANSPOL SP Z O O",
            iban: str | None = "PL61109010140000071219812874", day: date = date(2024, 6, 3)) -> StatementTransaction:
    return StatementTransaction(booking_date=day, value_date=day, amount=Decimal(amount), currency="PLN",
                                counterparty_name=name, counterparty_iban=iban, title=title, reference=ref)


def book(ledger, *transactions: StatementTransaction, statement_id: str = "S1") -> None:
    with ledger.session() as s:
        import_statement(s, Statement(account="PL94105014451000009071219812", statement_id=statement_id,
                                      currency="PLN", transactions=list(transactions)), None, None)


def seed(ledger) -> None:
    with ledger.session() as s:
        sync_accounting(s, [customer_rec()], [
            invoice_rec(number="FV/2024/05/0001", gross="1230.00"),
            invoice_rec(number="FV/2024/05/0002", gross="615.00", due=date(2024, 6, 10)),
            invoice_rec(number="FV/2024/05/0003", gross="99.90", due=date(2024, 6, 20)),
            invoice_rec(number="FV/2024/05/0004", gross="4321.00", due=date(2024, 6, 30)),
        ], None)


def invoice(ledger, number: str) -> Invoice:
    with ledger.session() as s:
        return s.scalar(select(Invoice).where(Invoice.number == number))


def decide(workbook, payment_ref_title: str, decision: str) -> None:
    wb = load_workbook(workbook)
    sheet = wb["exceptions"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("title")].value == payment_ref_title:
            row[header.index(DECISION_COLUMN)].value = decision
    wb.save(workbook)


def test_clear_payments_are_posted_once_and_the_rest_go_to_the_workbook(ledger, settings):
    seed(ledger)
    book(ledger, payment("1230.00", "Zapłata za FV/2024/05/0001", "R1"),
         payment("250.00", "zaliczka", "R2", name="JAN KOWALSKI", iban=STRANGER_IBAN))
    first = run_robot("reconcile", settings, ledger)
    assert (first["auto_posted_payments"], first["to_review"], first["exceptions"]) == (1, 1, 1)
    assert invoice(ledger, "FV/2024/05/0001").status == "paid"
    rows = list(load_workbook(settings.paths.output / "exceptions.xlsx")["exceptions"].iter_rows(values_only=True))
    assert list(rows[0]) == list(COLUMNS) and rows[1][COLUMNS.index("title")] == "zaliczka"
    assert (settings.paths.output / "master_ledger.xlsx").exists()

    second = run_robot("reconcile", settings, ledger)  # idempotent: nothing new to post
    assert (second["payments"], second["allocations"]) == (1, 0)
    with ledger.session() as s:
        assert s.scalar(select(func.count()).select_from(Allocation)) == 1


def test_analyst_decision_is_posted_and_teaches_the_payer(ledger, settings):
    seed(ledger)
    book(ledger, payment("615.00", "przelew", "R1", name="PHU STEFAN NOWAK", iban=STRANGER_IBAN))
    assert run_robot("reconcile", settings, ledger)["to_review"] == 1
    workbook = settings.paths.output / "exceptions.xlsx"
    decide(workbook, "przelew", "FV/2024/05/0002")

    second = run_robot("reconcile", settings, ledger)
    assert second["decisions"]["applied"] == 1 and second["decisions"]["problems"] == []
    assert second["decisions"]["learned_ibans"] == 1
    paid = invoice(ledger, "FV/2024/05/0002")
    assert (paid.status, paid.open_amount) == ("paid", Decimal("0.00"))
    with ledger.session() as s:
        alloc = s.scalar(select(Allocation))
        assert (alloc.status, alloc.method, alloc.confirmed_by) == ("confirmed", "analyst", "analyst")
        assert s.scalar(select(CustomerIban).where(CustomerIban.iban == STRANGER_IBAN)).source == "analyst"
        assert s.scalar(select(func.count()).select_from(PayerAlias)) == 1
    assert list((settings.paths.output / "exceptions").glob("decided-run-*.xlsx"))

    # the same payer again, with a title that says nothing: now matched by what was learned
    book(ledger, payment("99.90", "przelew", "R2", name="PHU STEFAN NOWAK", iban=STRANGER_IBAN,
                         day=date(2024, 6, 21)), statement_id="S2")
    third = run_robot("reconcile", settings, ledger)
    assert (third["auto_posted_payments"], third["to_review"]) == (1, 0)
    assert invoice(ledger, "FV/2024/05/0003").status == "paid"


def test_unreadable_decision_leaves_the_workbook_for_the_analyst(ledger, settings):
    seed(ledger)
    book(ledger, payment("615.00", "przelew", "R1", name="PHU STEFAN NOWAK", iban=STRANGER_IBAN))
    run_robot("reconcile", settings, ledger)
    workbook = settings.paths.output / "exceptions.xlsx"
    decide(workbook, "przelew", "pay the big one")
    before = workbook.read_bytes()
    result = run_robot("reconcile", settings, ledger)
    assert "pay the big one" in result["decision_errors"][0]
    assert workbook.read_bytes() == before  # the analyst's work is not overwritten
    assert invoice(ledger, "FV/2024/05/0002").status == "open"


def test_overpayment_is_kept_as_credit_and_ignore_is_final(ledger, settings):
    seed(ledger)
    book(ledger, payment("1300.00", "FV/2024/05/0001", "R1"),
         payment("80.00", "zwrot kaucji", "R2", name="URZAD SKARBOWY", iban=STRANGER_IBAN))
    result = run_robot("reconcile", settings, ledger)
    assert result["credit"] == {"PLN": "70.00"}
    with ledger.session() as s:
        tx = s.scalar(select(BankTransaction).where(BankTransaction.reference == "R1"))
        assert (tx.status, tx.allocated) == ("credit", Decimal("1230.00"))
    decide(settings.paths.output / "exceptions.xlsx", "zwrot kaucji", "ignore")
    run_robot("reconcile", settings, ledger)
    with ledger.session() as s:
        assert s.scalar(select(BankTransaction.status).where(BankTransaction.reference == "R2")) == "ignored"
    assert run_robot("reconcile", settings, ledger)["payments"] == 0

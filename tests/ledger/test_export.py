"""The master ledger workbook: typed cells an analyst can filter, with the ledger's numbers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import select

from receivables.ledger.export import export_workbook
from receivables.ledger.models import BankTransaction
from receivables.ledger.repository import add_allocation, import_statement
from tests.ledger.factories import add_customer_with_invoices, customer_rec, invoice_rec, statement, tx


def test_workbook_sheets_types_and_formatting(ledger, tmp_path):
    with ledger.session() as s:
        _, (paid, *_) = add_customer_with_invoices(
            s,
            invoice_rec(number="FV/2024/05/0001", gross="1230.00"),
            invoice_rec(number="FV/2024/05/0002", gross="615.00", due=date(2024, 5, 10)),
            invoice_rec(number="FV/2024/06/0001", gross="100.00", due=date(2024, 7, 10)),
            customer=customer_rec(account_manager="anna@nordwind.example"),
        )
        import_statement(s, statement("S1", tx("1230.00", "R1")), "june.sta", None)
        add_allocation(s, s.scalar(select(BankTransaction)), paid, Decimal("1230.00"), "invoice_number", 0.98,
                       "auto", None)
    path = tmp_path / "master_ledger.xlsx"
    rows = export_workbook(ledger, path, as_of=date(2024, 6, 30))
    assert rows["Open items"] == 2 and rows["Payments"] == 1 and rows["Allocations"] == 1
    assert rows["Contact log"] == 1  # the allocation event

    wb = load_workbook(path)
    assert wb.sheetnames == ["Open items", "Payments", "Allocations", "Promises", "Contact log", "Customers"]
    ws = wb["Open items"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:O3"
    header = [c.value for c in ws[1]]
    first = dict(zip(header, (c for c in ws[2]), strict=True))
    assert first["Invoice"].value == "FV/2024/05/0002"
    assert isinstance(first["Due"].value, datetime) and first["Due"].value.date() == date(2024, 5, 10)
    assert first["Due"].number_format == "yyyy-mm-dd"
    assert first["Open"].value == 615 and first["Open"].number_format == "#,##0.00"
    assert first["Days overdue"].value == 51 and first["Aging"].value == "31-60"
    second = dict(zip(header, (c.value for c in ws[3]), strict=True))
    assert (second["Days overdue"], second["Aging"]) == (0, "current")
    assert second["Manager"] == "anna@nordwind.example"

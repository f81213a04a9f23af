"""The summary table of all court cases and register entries (cases.xlsx) the legal team works from."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from receivables.ledger.models import CourtCase, Customer, RegisterEntry

HEADINGS = {
    "pl": (("Sprawa", "Klient", "Nazwa", "Jurysdykcja", "Tryb", "Sąd", "Wydział", "WPS / kwota", "Waluta", "Opłata",
            "Faktury", "Status", "Do sprawdzenia", "Folder"),
           ("Wpis", "Klient", "Biuro", "Status", "Kwota", "Ostrzeżenie przygotowane", "Ostrzeżenie wysłane",
            "Wpis przygotowany", "Zapłacono", "Usunięcie przygotowane")),
    "en": (("Case", "Customer", "Name", "Jurisdiction", "Procedure", "Court", "Division", "Claim value / amount",
            "Currency", "Fee", "Invoices", "Status", "To check", "Folder"),
           ("Entry", "Customer", "Bureau", "Status", "Amount", "Warning prepared", "Warning sent", "Entry prepared",
            "Paid", "Removal prepared")),
}


def write_table(s: Session, path: Path, language: str = "pl") -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    names = dict(s.execute(select(Customer.id, Customer.external_id)).all())
    full = dict(s.execute(select(Customer.id, Customer.name)).all())
    wb = Workbook()
    cases_head, reg_head = HEADINGS[language]
    ws = wb.active
    ws.title = "Cases"
    ws.append(cases_head)
    for row in s.scalars(select(CourtCase).order_by(CourtCase.key)):
        d = row.details
        fee = d.get("fee")
        ws.append([row.key, names.get(row.customer_id), full.get(row.customer_id), row.jurisdiction, row.procedure,
                   d.get("court"), d.get("division"), row.claim_value, row.currency,
                   Decimal(fee) if fee else None, ", ".join(i["number"] for i in d.get("invoices", [])),
                   row.status, "; ".join(d.get("checks", [])), row.folder])
    regs = wb.create_sheet("Registers")
    regs.append(reg_head)
    for r in s.scalars(select(RegisterEntry).order_by(RegisterEntry.key)):
        regs.append([r.key, names.get(r.customer_id), r.bureau, r.status, r.amount, r.warning_prepared_on,
                     r.warning_sent_on, r.entry_prepared_on, r.paid_on, r.removal_prepared_on])
    for sheet in (ws, regs):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        for col in sheet.columns:
            width = max(len(str(c.value or "")) for c in col)
            sheet.column_dimensions[col[0].column_letter].width = min(60, max(10, width + 2))
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, Decimal):
                    cell.number_format = "#,##0.00"
                elif hasattr(cell.value, "isoformat"):
                    cell.number_format = "yyyy-mm-dd"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path

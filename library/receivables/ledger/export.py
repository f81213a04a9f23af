"""The master ledger workbook analysts open in Excel: one sheet per view, typed cells, filters."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from receivables.ledger.db import Ledger
from receivables.ledger.models import (
    Allocation,
    BankTransaction,
    Customer,
    Event,
    Invoice,
    Promise,
)
from receivables.ledger.queries import open_items

MONEY = "#,##0.00"
DATE = "yyyy-mm-dd"
STAMP = "yyyy-mm-dd hh:mm"


@dataclass(frozen=True)
class Column:
    title: str
    width: int
    fmt: str | None = None


def _open_items(s: Session, as_of: date) -> Iterable[list[Any]]:
    for item in open_items(s, as_of):
        inv: Invoice = item["invoice"]
        c = inv.customer
        flags = [name for name in ("disputed", "promised", "in_court", "written_off") if getattr(inv, name)]
        yield [
            inv.number, c.name, c.tax_id, inv.issue_date, inv.due_date, inv.currency, inv.gross,
            inv.paid, inv.credited, inv.open_amount, item["days_overdue"], item["bucket"],
            inv.status, ", ".join(flags), c.account_manager,
        ]


def _payments(s: Session, as_of: date) -> Iterable[list[Any]]:
    for t in s.scalars(select(BankTransaction).order_by(BankTransaction.booking_date, BankTransaction.id)):
        yield [
            t.booking_date, t.value_date, t.account_iban, t.amount, t.currency, t.counterparty_name,
            t.counterparty_iban, t.title, t.reference, t.allocated, t.status, t.source_file,
        ]


def _allocations(s: Session, as_of: date) -> Iterable[list[Any]]:
    rows = s.execute(
        select(Allocation, BankTransaction, Invoice)
        .join(BankTransaction, Allocation.transaction_id == BankTransaction.id)
        .join(Invoice, Allocation.invoice_id == Invoice.id)
        .order_by(Allocation.id)
    )
    for a, t, inv in rows:
        yield [
            t.booking_date, inv.number, inv.customer.name, a.amount, t.currency, a.method,
            a.confidence, a.status, a.confirmed_by, t.counterparty_name, t.title,
        ]


def _promises(s: Session, as_of: date) -> Iterable[list[Any]]:
    inv = aliased(Invoice)
    rows = s.execute(
        select(Promise, Customer, inv.number)
        .join(Customer, Promise.customer_id == Customer.id)
        .outerjoin(inv, Promise.invoice_id == inv.id)
        .order_by(Promise.promised_date)
    )
    for p, c, number in rows:
        yield [c.name, number, p.promised_date, p.amount, p.currency, p.channel, p.status,
               p.source_text, p.created_at.replace(tzinfo=None)]


def _contact_log(s: Session, as_of: date) -> Iterable[list[Any]]:
    inv = aliased(Invoice)
    rows = s.execute(
        select(Event, Customer.name, inv.number)
        .outerjoin(Customer, Event.customer_id == Customer.id)
        .outerjoin(inv, Event.invoice_id == inv.id)
        .order_by(Event.at, Event.id)
    )
    for e, name, number in rows:
        details = "; ".join(f"{k}={v}" for k, v in (e.details or {}).items())
        yield [e.at.replace(tzinfo=None), e.kind, e.channel, e.actor, name, number, details]


def _customers(s: Session, as_of: date) -> Iterable[list[Any]]:
    for c in s.scalars(select(Customer).order_by(Customer.name)):
        emails = ", ".join(x.value for x in c.contacts if x.kind == "email")
        phones = ", ".join(x.value for x in c.contacts if x.kind == "phone")
        yield [
            c.external_id, c.name, c.country, c.tax_id, c.city, c.language, emails, phones,
            ", ".join(i.iban for i in c.ibans), ", ".join(o.channel for o in c.opt_outs),
            c.account_manager, c.segment,
        ]


SHEETS: list[tuple[str, list[Column], Callable[[Session, date], Iterable[list[Any]]]]] = [
    ("Open items", [
        Column("Invoice", 18), Column("Customer", 34), Column("Tax id", 14), Column("Issued", 11, DATE),
        Column("Due", 11, DATE), Column("Cur", 5), Column("Gross", 13, MONEY), Column("Paid", 13, MONEY),
        Column("Credited", 12, MONEY), Column("Open", 13, MONEY), Column("Days overdue", 8),
        Column("Aging", 8), Column("Status", 14), Column("Flags", 16), Column("Manager", 22),
    ], _open_items),
    ("Payments", [
        Column("Booked", 11, DATE), Column("Value", 11, DATE), Column("Account", 30),
        Column("Amount", 13, MONEY), Column("Cur", 5), Column("Payer", 30), Column("Payer IBAN", 30),
        Column("Title", 50), Column("Reference", 18), Column("Allocated", 13, MONEY),
        Column("Status", 10), Column("File", 24),
    ], _payments),
    ("Allocations", [
        Column("Booked", 11, DATE), Column("Invoice", 18), Column("Customer", 30),
        Column("Amount", 13, MONEY), Column("Cur", 5), Column("Method", 14), Column("Confidence", 10, "0.00"),
        Column("Status", 10), Column("Confirmed by", 16), Column("Payer", 28), Column("Title", 44),
    ], _allocations),
    ("Promises", [
        Column("Customer", 30), Column("Invoice", 18), Column("Promised for", 12, DATE),
        Column("Amount", 13, MONEY), Column("Cur", 5), Column("Channel", 9), Column("Status", 9),
        Column("What they said", 50), Column("Recorded (UTC)", 17, STAMP),
    ], _promises),
    ("Contact log", [
        Column("When (UTC)", 17, STAMP), Column("What", 26), Column("Channel", 9), Column("Who", 16),
        Column("Customer", 30), Column("Invoice", 18), Column("Details", 60),
    ], _contact_log),
    ("Customers", [
        Column("Id", 10), Column("Name", 34), Column("Country", 7), Column("Tax id", 14),
        Column("City", 16), Column("Lang", 5), Column("E-mails", 30), Column("Phones", 18),
        Column("IBANs", 32), Column("Opt-outs", 12), Column("Manager", 22), Column("Segment", 10),
    ], _customers),
]


def export_workbook(ledger: Ledger, path: Path, as_of: date | None = None) -> dict[str, int]:
    """Write the workbook atomically (temp file, then rename) and return rows per sheet."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    as_of = as_of or date.today()
    wb = Workbook(write_only=True)
    counts: dict[str, int] = {}
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="305496")
    with ledger.session() as s:
        for title, columns, rows in SHEETS:
            ws = wb.create_sheet(title)
            ws.freeze_panes = "A2"
            for i, col in enumerate(columns, start=1):
                ws.column_dimensions[get_column_letter(i)].width = col.width
            header = []
            for col in columns:
                cell = WriteOnlyCell(ws, value=col.title)
                cell.font, cell.fill = bold, fill
                header.append(cell)
            ws.append(header)
            n = 0
            for values in rows(s, as_of):
                out = []
                for col, value in zip(columns, values, strict=True):
                    cell = WriteOnlyCell(ws, value=value)
                    if col.fmt:
                        cell.number_format = col.fmt
                    out.append(cell)
                ws.append(out)
                n += 1
            ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{n + 1}"
            counts[title] = n
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.xlsx")
    wb.save(tmp)
    tmp.replace(path)
    return counts

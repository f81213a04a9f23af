"""The accounting app's export buttons: the book as config/accounting/sandbox.yaml describes it.

CSV: customers.csv + invoices.csv (UTF-8 with BOM, ";", decimal comma, ISO dates) in one zip.
XLSX: one workbook with the sheets "customers" and "invoices", real dates and numbers.
Same columns as the world's files, so the export mapping reads the app and the world alike.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from receivables.accounting.records import CustomerRecord, InvoiceRecord
from receivables.sandbox.accounting_book import AccountingBook

CUSTOMER_COLUMNS = ("customer_id", "name", "tax_id", "regon", "country", "street", "postal_code", "city",
                    "emails", "phones", "language", "account_manager", "ibans", "is_consumer")
INVOICE_COLUMNS = ("number", "kind", "corrects", "customer_id", "issue_date", "due_date", "currency",
                   "net", "vat", "gross", "payment_terms_days", "issuer_tax_id")


def customer_row(c: CustomerRecord) -> list[Any]:
    return [c.external_id, c.name, c.tax_id or "", c.regon or "", c.country, c.street or "",
            c.postal_code or "", c.city or "", ",".join(c.emails), ",".join(c.phones), c.language,
            c.account_manager or "", ",".join(c.ibans), int(c.is_consumer)]


def invoice_row(i: InvoiceRecord) -> list[Any]:
    return [i.number, i.kind, i.corrects or "", i.customer_external_id, i.issue_date, i.due_date, i.currency,
            i.net, i.vat, i.gross, i.payment_terms_days if i.payment_terms_days is not None else "",
            i.issuer_tax_id]


def export_zip(book: AccountingBook) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("customers.csv", _csv(CUSTOMER_COLUMNS, map(customer_row, _customers(book))))
        archive.writestr("invoices.csv", _csv(INVOICE_COLUMNS, map(invoice_row, _invoices(book))))
    return buffer.getvalue()


def export_xlsx(book: AccountingBook) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, columns, rows in (("customers", CUSTOMER_COLUMNS, map(customer_row, _customers(book))),
                                 ("invoices", INVOICE_COLUMNS, map(invoice_row, _invoices(book)))):
        sheet = workbook.create_sheet(title)
        sheet.append(list(columns))
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _customers(book: AccountingBook) -> Iterator[CustomerRecord]:
    return (entry.record for entry in book.customer_entries())


def _invoices(book: AccountingBook) -> Iterator[InvoiceRecord]:
    return (entry.record for entry in book.invoice_entries())


def _csv(header: tuple[str, ...], rows: Iterator[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_text(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _text(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    return value.isoformat() if hasattr(value, "isoformat") else str(value)

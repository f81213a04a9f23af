"""Business checks every invoice passes before anything from its file is imported.

Errors (the file is rejected): missing or malformed required data, net + vat != gross,
due date before issue date, a credit note without the invoice it corrects or with positive
amounts, an invoice with negative amounts, an issuer tax id that fails its checksum.

Warnings (imported, reported): a customer's NIP/VAT id, REGON or IBAN failing its checksum.
Why the difference: the issuer is our own company, so a bad issuer id means a wrong or
foreign file and would corrupt the invoice key (number + issuer); a customer's typo must not
hold back every other invoice of the run, and an analyst fixes it in the accounting system.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from receivables.accounting.errors import InvoiceSourceError
from receivables.accounting.records import CustomerRecord, InvoiceRecord
from receivables.accounting.values import iban_problem, regon_problem, tax_id_problem

TOLERANCE = Decimal("0.01")
KINDS = ("invoice", "credit_note")
_CURRENCY = re.compile(r"[A-Z]{3}")


def check_invoice(invoice: InvoiceRecord, file: str | Path, where: str | None) -> None:
    """Raise InvoiceSourceError naming the first rule `invoice` breaks."""

    def fail(field: str, message: str, expected: str | None = None, found: object = None) -> None:
        raise InvoiceSourceError(file, message, where=where, field=field, expected=expected, found=found)

    if not invoice.number:
        fail("number", "missing invoice number")
    if not _CURRENCY.fullmatch(invoice.currency):
        fail("currency", "not an ISO 4217 currency code", "three capital letters like PLN", invoice.currency)
    if abs(invoice.net + invoice.vat - invoice.gross) > TOLERANCE:
        fail(
            "gross",
            f"invoice {invoice.number}: net + vat does not equal gross",
            f"{invoice.net} + {invoice.vat} = {invoice.net + invoice.vat}",
            str(invoice.gross),
        )
    if invoice.due_date < invoice.issue_date:
        fail(
            "due_date",
            f"invoice {invoice.number}: due date before issue date",
            f"on or after {invoice.issue_date.isoformat()}",
            invoice.due_date.isoformat(),
        )
    if invoice.kind not in KINDS:
        fail("kind", "unknown document kind", " or ".join(KINDS), invoice.kind)
    if invoice.kind == "credit_note":
        if not invoice.corrects:
            fail("corrects", f"credit note {invoice.number} does not name the invoice it corrects")
        if invoice.gross > 0 or invoice.net > 0:
            fail("gross", f"credit note {invoice.number} has positive amounts", "an amount <= 0", str(invoice.gross))
    elif invoice.gross < 0:
        fail("gross", f"invoice {invoice.number} has a negative amount; mark it as a credit note", "an amount >= 0", str(invoice.gross))


def check_total(
    file: str | Path, where: str, field: str, total: Decimal, parts: Iterable[Decimal], what: str
) -> None:
    """Reject a document whose `total` is not the sum of its `parts` (within one cent)."""
    computed = sum(parts, Decimal(0))
    if abs(computed - total) > TOLERANCE:
        raise InvoiceSourceError(
            file, f"{what} do not add up to the total", where=where, field=field, expected=str(computed), found=str(total)
        )


def check_issuer(tax_id: str, file: str | Path, where: str | None) -> None:
    if not tax_id:
        raise InvoiceSourceError(file, "missing issuer tax id", where=where, field="issuer_tax_id")
    problem = tax_id_problem(tax_id, "PL" if tax_id.isdigit() else None)
    if problem:
        raise InvoiceSourceError(file, f"issuer tax id: {problem}", where=where, field="issuer_tax_id", expected="a valid NIP or EU VAT id", found=tax_id)


def customer_warnings(customer: CustomerRecord, where: str) -> list[str]:
    """Checksum problems of a customer's identifiers, as readable warnings."""
    found = []
    label = f"{where}: customer {customer.external_id}"
    if customer.tax_id:
        problem = tax_id_problem(customer.tax_id, customer.country)
        if problem:
            found.append(f"{label} field 'tax_id': {problem} ({customer.tax_id!r})")
    if customer.regon:
        problem = regon_problem(customer.regon)
        if problem:
            found.append(f"{label} field 'regon': {problem} ({customer.regon!r})")
    for iban in customer.ibans:
        problem = iban_problem(iban)
        if problem:
            found.append(f"{label} field 'ibans': {problem}")
    return found

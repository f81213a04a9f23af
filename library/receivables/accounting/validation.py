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

import functools
import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from receivables.accounting.errors import InvoiceSourceError
from receivables.accounting.records import CustomerRecord, InvoiceRecord
from receivables.accounting.values import iban_problem, regon_problem, tax_id_problem

TOLERANCE = Decimal("0.01")
KINDS = ("invoice", "credit_note")
_ZERO = Decimal(0)
_CURRENCY = re.compile(r"[A-Z]{3}")


@functools.cache
def _is_currency(code: str) -> bool:
    """Three capital letters; cached, as every invoice of an export carries one of a few codes."""
    return _CURRENCY.fullmatch(code) is not None


def check_invoice(invoice: InvoiceRecord, file: str | Path, where: str | None) -> None:
    """Raise InvoiceSourceError naming the first rule `invoice` breaks.

    Every invoice of an export passes here, so the common case is kept to few Decimal operations
    (net + vat compared with gross first, the tolerance only when they differ).
    """
    number, net, vat, gross = invoice.number, invoice.net, invoice.vat, invoice.gross
    if not number:
        _broken(file, where, "number", "missing invoice number")
    if not _is_currency(invoice.currency):
        _broken(file, where, "currency", "not an ISO 4217 currency code", "three capital letters like PLN", invoice.currency)
    total = net + vat
    if total != gross and abs(total - gross) > TOLERANCE:
        _broken(file, where, "gross", f"invoice {number}: net + vat does not equal gross", f"{net} + {vat} = {total}", str(gross))
    if invoice.due_date < invoice.issue_date:
        _broken(
            file, where, "due_date", f"invoice {number}: due date before issue date",
            f"on or after {invoice.issue_date.isoformat()}", invoice.due_date.isoformat(),
        )  # fmt: skip
    kind = invoice.kind
    if kind == "invoice":
        if gross < _ZERO:
            _broken(file, where, "gross", f"invoice {number} has a negative amount; mark it as a credit note", "an amount >= 0", str(gross))
    elif kind == "credit_note":
        if not invoice.corrects:
            _broken(file, where, "corrects", f"credit note {number} does not name the invoice it corrects")
        if gross > _ZERO or net > _ZERO:
            _broken(file, where, "gross", f"credit note {number} has positive amounts", "an amount <= 0", str(gross))
    else:
        _broken(file, where, "kind", "unknown document kind", " or ".join(KINDS), kind)


def _broken(file: str | Path, where: str | None, field: str, message: str, expected: str | None = None, found: object = None) -> None:
    raise InvoiceSourceError(file, message, where=where, field=field, expected=expected, found=found)


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

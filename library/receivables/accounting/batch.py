"""What one source file yields, and the collector that dedupes and validates it whole."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

from receivables.accounting.errors import InvoiceSourceError
from receivables.accounting.records import CustomerRecord, InvoiceRecord
from receivables.accounting.validation import check_invoice, check_issuer, customer_warnings


@dataclass(slots=True)
class ImportBatch:
    """Customers and invoices of one file (or export folder), ready for the ledger upsert."""

    format: str
    customers: list[CustomerRecord]
    invoices: list[InvoiceRecord]
    warnings: list[str] = field(default_factory=list)
    source: str = ""


def _differences(a: object, b: object) -> list[str]:
    return [f.name for f in fields(a) if f.name != "customer" and getattr(a, f.name) != getattr(b, f.name)]


class BatchBuilder:
    """Collects records of one file; any error raises, so a file imports whole or not at all.

    The same invoice number twice with identical data is one invoice (exports repeat rows);
    with different data the file is ambiguous and rejected. Customers likewise by their id.
    """

    def __init__(self, file: str | Path, format: str) -> None:
        self.file = str(file)
        self.format = format
        self._customers: dict[str, tuple[CustomerRecord, str]] = {}
        self._invoices: dict[tuple[str, str], tuple[InvoiceRecord, str]] = {}
        self._issuers: set[str] = set()
        self.warnings: list[str] = []

    def add_customer(self, customer: CustomerRecord, where: str) -> CustomerRecord:
        """Register a customer; returns the first identical record seen under its id."""
        if not customer.external_id:
            raise InvoiceSourceError(self.file, "missing customer id", where=where, field="external_id")
        if not customer.name:
            raise InvoiceSourceError(self.file, f"customer {customer.external_id} has no name", where=where, field="name")
        known = self._customers.get(customer.external_id)
        if known is None:
            self._customers[customer.external_id] = (customer, where)
            return customer
        first, first_where = known
        if first != customer:
            raise InvoiceSourceError(
                self.file,
                f"customer {customer.external_id} appears twice with different data "
                f"({', '.join(_differences(first, customer))}; first at {first_where})",
                where=where,
                field="external_id",
            )
        return first

    def add_invoice(self, invoice: InvoiceRecord, where: str) -> None:
        check_invoice(invoice, self.file, where)
        if invoice.issuer_tax_id not in self._issuers:
            check_issuer(invoice.issuer_tax_id, self.file, where)
            self._issuers.add(invoice.issuer_tax_id)
        key = (invoice.issuer_tax_id, invoice.number)
        known = self._invoices.get(key)
        if known is None:
            self._invoices[key] = (invoice, where)
            return
        first, first_where = known
        if first != invoice:
            raise InvoiceSourceError(
                self.file,
                f"invoice number {invoice.number} appears twice with different data "
                f"({', '.join(_differences(first, invoice))}; first at {first_where})",
                where=where,
                field="number",
            )
        self.warnings.append(f"{where}: invoice {invoice.number} repeats {first_where} identically; imported once")

    def build(self) -> ImportBatch:
        """Link every invoice to its customer and return the batch; unknown customers fail."""
        customers = self._customers
        for invoice, where in self._invoices.values():
            known = customers.get(invoice.customer_external_id)
            if known is None:
                raise InvoiceSourceError(
                    self.file,
                    f"invoice {invoice.number} refers to a customer not in the export",
                    where=where,
                    field="customer_id",
                    expected="an id from the customers table",
                    found=invoice.customer_external_id,
                )
            invoice.customer = known[0]
        warnings = list(self.warnings)
        for customer, where in customers.values():
            warnings.extend(customer_warnings(customer, where))
        return ImportBatch(
            format=self.format,
            customers=[customer for customer, _ in customers.values()],
            invoices=[invoice for invoice, _ in self._invoices.values()],
            warnings=warnings,
            source=self.file,
        )


def single_invoice_batch(file: str | Path, format: str, invoice: InvoiceRecord, where: str) -> ImportBatch:
    """The batch of an e-invoice file: one invoice and its customer, validated like any export."""
    builder = BatchBuilder(file, format)
    if invoice.customer is not None:
        invoice.customer = builder.add_customer(invoice.customer, where)
    builder.add_invoice(invoice, where)
    return builder.build()

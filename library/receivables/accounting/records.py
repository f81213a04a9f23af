"""Normalized customer and invoice records every accounting source produces."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(slots=True)
class CustomerRecord:
    """A customer as the accounting system knows it; `external_id` is the source's key."""

    external_id: str
    name: str
    country: str = "PL"
    tax_id: str | None = None
    regon: str | None = None
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    language: str = "pl"
    account_manager: str | None = None
    ibans: list[str] = field(default_factory=list)
    is_consumer: bool = False


@dataclass(slots=True)
class InvoiceLine:
    description: str
    quantity: Decimal
    unit_price: Decimal
    net: Decimal
    vat_rate: Decimal
    vat: Decimal
    gross: Decimal


@dataclass(slots=True)
class InvoiceRecord:
    """An invoice or credit note; a credit note has negative amounts and `corrects` set."""

    number: str
    issuer_tax_id: str
    customer_external_id: str
    issue_date: date
    due_date: date
    currency: str
    net: Decimal
    vat: Decimal
    gross: Decimal
    kind: str = "invoice"  # invoice | credit_note
    corrects: str | None = None
    payment_terms_days: int | None = None
    lines: list[InvoiceLine] = field(default_factory=list)
    customer: CustomerRecord | None = None
    payee_iban: str | None = None  # account the invoice asks to be paid to (often a virtual IBAN)

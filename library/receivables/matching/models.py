"""The engine's inputs and outputs: plain frozen records, money as Decimal, nothing ledger-bound."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

Status = Literal["auto", "suggested"]


@dataclass(frozen=True, slots=True)
class OpenInvoice:
    """An invoice with money still owed; the customer's identifiers travel with it."""

    invoice_number: str
    customer_id: str
    customer_name: str
    customer_tax_id: str | None
    customer_ibans: tuple[str, ...]
    issue_date: date
    due_date: date
    currency: str
    amount_open: Decimal


@dataclass(frozen=True, slots=True)
class Payment:
    """One bank transaction; amount is signed (incoming > 0)."""

    payment_id: str
    booking_date: date
    amount: Decimal
    currency: str
    counterparty_name: str | None
    counterparty_iban: str | None
    title: str | None


@dataclass(slots=True)
class Knowledge:
    """What analysts' decisions taught: payer IBAN -> customer, payer-name key -> customer.

    Alias keys are `payer_key(name)` (see `names`); raw names are normalized on use as well.
    """

    iban_to_customer: dict[str, str] = field(default_factory=dict)
    name_aliases: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Allocation:
    payment_id: str
    invoice_number: str
    amount: Decimal
    confidence: float
    status: Status
    method: str


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One reading of a payment: these invoices get these amounts; `credit` is the surplus."""

    invoice_numbers: tuple[str, ...]
    amounts: tuple[Decimal, ...]
    confidence: float
    method: str
    customer_id: str
    credit: Decimal = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class Surplus:
    """Money an auto-posted payment brought beyond the invoices it paid: the customer's credit."""

    payment_id: str
    customer_id: str
    currency: str
    amount: Decimal


@dataclass(slots=True)
class MatchResult:
    """Everything one run decided.

    allocations: "auto" rows are to be posted; "suggested" rows are the best reading of a payment
    that was not posted (they did not reduce any open amount).
    suggestions: the top readings (at most `config.max_suggestions`) of every incoming payment not
    fully auto-posted, best first.
    unmatched: incoming payments with no auto allocation, in booking order.
    flags: why a payment was set aside or needs a look ("outgoing", "foreign_currency", ...).
    credits: customer_id -> currency -> surplus kept as credit (sum of `surpluses`).
    """

    allocations: list[Allocation] = field(default_factory=list)
    suggestions: dict[str, list[Suggestion]] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)
    flags: dict[str, str] = field(default_factory=dict)
    credits: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    surpluses: list[Surplus] = field(default_factory=list)

    def auto_posted(self) -> set[str]:
        """Payment ids with at least one auto allocation."""
        return {a.payment_id for a in self.allocations if a.status == "auto"}

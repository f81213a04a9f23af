"""What a letter says, independent of how it is rendered: the reminders robot fills these from the ledger."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from receivables.config import Company

LANGUAGES = ("pl", "de", "en")
KINDS = ("reminder", "final_demand", "interest_note")
ZERO = Decimal("0.00")


class LetterError(ValueError):
    """The letter cannot be produced as asked; the message names the field."""


@dataclass(frozen=True)
class Debtor:
    customer_id: str
    name: str
    street: str
    postal_code: str
    city: str
    country: str
    language: str
    tax_id: str | None = None

    def __post_init__(self) -> None:
        for name in ("customer_id", "name", "street", "postal_code", "city", "country"):
            if not getattr(self, name):
                raise LetterError(f"debtor {self.customer_id or self.name!r}: {name} is empty (a letter needs it)")
        if self.language not in LANGUAGES:
            raise LetterError(f"debtor {self.customer_id}: language {self.language!r} is not one of {LANGUAGES}")


@dataclass(frozen=True)
class LetterItem:
    """One invoice on a letter; amounts in the letter's currency, interest up to the letter's date."""

    invoice_number: str
    issue_date: date
    due_date: date
    currency: str
    principal: Decimal  # still open; 0 on an interest note for an invoice paid late
    interest: Decimal | None  # None: no rate known for the period, shown as "not calculated"
    compensation: Decimal = ZERO
    amount: Decimal | None = None  # invoice gross, shown on interest notes
    paid_on: date | None = None

    @property
    def total(self) -> Decimal:
        return self.principal + (self.interest or ZERO) + self.compensation

    @property
    def days_late(self) -> int | None:
        return None if self.paid_on is None else max(0, (self.paid_on - self.due_date).days)


@dataclass(frozen=True)
class Totals:
    principal: Decimal
    interest: Decimal
    compensation: Decimal
    total: Decimal


@dataclass(frozen=True)
class Letter:
    kind: str
    number: str
    issued_on: date
    debtor: Debtor
    creditor: Company
    items: tuple[LetterItem, ...]
    payment_title: str
    jurisdiction: str = "pl"
    payment_order: tuple[str, ...] = ("interest", "principal")
    consumer: bool = False
    interest_until: date | None = None  # default: issued_on
    deadline: date | None = None
    place: str | None = None  # default: the creditor's city
    qr: bool = False
    totals: Totals = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise LetterError(f"letter {self.number}: kind {self.kind!r} is not one of {KINDS}")
        if not self.items:
            raise LetterError(f"letter {self.number}: no invoices")
        currencies = {i.currency for i in self.items}
        if len(currencies) != 1:
            raise LetterError(f"letter {self.number}: one currency per letter, got {sorted(currencies)}")
        if self.kind in ("final_demand", "interest_note") and self.deadline is None:
            raise LetterError(f"letter {self.number}: a {self.kind} needs a payment deadline")
        if self.currency not in self.creditor.bank_accounts:
            raise LetterError(f"letter {self.number}: the company has no bank account for {self.currency} "
                              f"(settings company.bank_accounts)")
        if not self.payment_title.strip():
            raise LetterError(f"letter {self.number}: payment title is empty")
        object.__setattr__(self, "totals", Totals(
            *(sum((getattr(i, k) or ZERO for i in self.items), ZERO) for k in ("principal", "interest", "compensation")),
            sum((i.total for i in self.items), ZERO)))

    @property
    def currency(self) -> str:
        return self.items[0].currency

    @property
    def language(self) -> str:
        return self.debtor.language

    @property
    def iban(self) -> str:
        return self.creditor.bank_accounts[self.currency]

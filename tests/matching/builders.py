"""Small open-invoice books and payments for the matching tests."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from receivables.matching import OpenInvoice, Payment

CUSTOMERS = {
    "K1": ("Transpol sp. z o.o.", "5252448487", "PL61109010140000071219812874"),
    "K2": ("Müller Logistik GmbH", "DE811569869", "DE89370400440532013000"),
    "K3": ("PHU Jan Kowalski", "7791011327", "PL27114020040000300201355387"),
    "K4": ("Thames Freight Ltd", "GB980780684", "GB33BUKB20201555555555"),
}
DAY = date(2024, 5, 6)


def invoice(number: str, customer: str, amount: str, *, issued: date = DAY, currency: str = "PLN",
            ibans: tuple[str, ...] | None = None) -> OpenInvoice:
    name, tax_id, iban = CUSTOMERS[customer]
    return OpenInvoice(number, customer, name, tax_id, (iban,) if ibans is None else ibans, issued,
                       issued + timedelta(days=14), currency, Decimal(amount))


def payment(pid: str, amount: str, title: str | None, *, customer: str | None = None, payer: str | None = None,
            iban: str | None = None, day: date = date(2024, 5, 20), currency: str = "PLN") -> Payment:
    """A payment; `customer` fills in that customer's bank spelling and IBAN unless given."""
    if customer is not None:
        name, _, known_iban = CUSTOMERS[customer]
        payer = payer if payer is not None else name.upper()
        iban = iban if iban is not None else known_iban
    return Payment(pid, day, Decimal(amount), currency, payer, iban, title)


def auto(result, pid: str) -> dict[str, Decimal]:
    """invoice -> amount auto-posted for one payment."""
    return {a.invoice_number: a.amount for a in result.allocations if a.payment_id == pid and a.status == "auto"}

"""Conventions shared by the e-invoice formats (KSeF, UBL, CII), so they normalize alike."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from receivables.accounting.records import InvoiceLine
from receivables.accounting.values import normalize_tax_id

_CENT = Decimal("0.01")
_POSTAL_CITY = re.compile(r"(\S*\d\S*)\s+(.+)")
_RATE = re.compile(r"\d+(?:[.,]\d+)?")


def customer_key(buyer_id: str | None, tax_id: str | None, name: str) -> str:
    """The customer's external id: the seller's own customer number (KSeF NrKlienta, EN 16931
    BT-46) when given, as exports use it; else the normalized tax id; else the name."""
    if buyer_id:
        return buyer_id
    if tax_id:
        return normalize_tax_id(tax_id)
    return f"name:{name}"


def postal_and_city(line: str | None) -> tuple[str | None, str | None]:
    """Split "00-950 Warszawa" / "70173 Stuttgart" into postal code and city."""
    if not line:
        return None, None
    match = _POSTAL_CITY.fullmatch(line.strip())
    if match:
        return match.group(1), match.group(2)
    return None, line.strip()


def vat_rate(text: str | None) -> Decimal:
    """Numeric VAT rate in percent; exemption codes ("zw", "np I", "oo") count as 0."""
    if text:
        match = _RATE.match(text.strip())
        if match:
            return Decimal(match.group(0).replace(",", "."))
    return Decimal(0)


def make_line(description: str, quantity: Decimal, unit_price: Decimal, net: Decimal, rate: Decimal, sign: int = 1) -> InvoiceLine:
    """An invoice line with VAT computed from net and rate (formats give VAT per rate, not line)."""
    vat = (net * rate / 100).quantize(_CENT, rounding=ROUND_HALF_UP)
    return InvoiceLine(
        description=description,
        quantity=quantity * sign,
        unit_price=unit_price,
        net=net * sign,
        vat_rate=rate,
        vat=vat * sign,
        gross=(net + vat) * sign,
    )


def account_number(text: str | None) -> str | None:
    """An IBAN without spaces; a bare 26-digit Polish account number gets its "PL" prefix."""
    if not text:
        return None
    value = re.sub(r"\s", "", text).upper()
    if len(value) == 26 and value.isdigit():
        return "PL" + value
    return value

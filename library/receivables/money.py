"""Money helpers: Decimal amounts rounded the way accountants round (half up, to the cent)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def to_money(value: Decimal | int | str) -> Decimal:
    """A Decimal with exactly two places; floats are refused because they already lost cents."""
    if isinstance(value, float):
        raise TypeError("money must not be a float; pass a Decimal or a string")
    try:
        return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise ValueError(f"not an amount: {value!r}") from None


def format_money(amount: Decimal, currency: str) -> str:
    return f"{amount:,.2f} {currency}".replace(",", " ")

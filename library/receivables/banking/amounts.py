"""Money text as banks write it (decimal comma, thousands separators) to exact Decimals."""

from __future__ import annotations

import re
from decimal import Decimal

_PLAIN = re.compile(r"[+-]?\d+(?:\.\d+)?")


def parse_amount(text: str, *, decimal: str = ",", thousands: str = "") -> Decimal:
    """Parse `text` such as "-1 234,56", "1.234,56", "1'234.56" or "+12.00".

    Raises ValueError with the offending text when it is not a number, so that callers
    can wrap it in a StatementError with their location.
    """
    cleaned = text.strip().replace("\u00a0", "").replace("\u202f", "")
    for sep in thousands:
        cleaned = cleaned.replace(sep, "")
    if decimal != ".":
        cleaned = cleaned.replace(decimal, ".")
    if cleaned.startswith("+-") or cleaned.startswith("-+"):
        raise ValueError(text)
    if cleaned.endswith("-") and _PLAIN.fullmatch(cleaned[:-1]):
        cleaned = "-" + cleaned[:-1]
    if not _PLAIN.fullmatch(cleaned):
        raise ValueError(text)
    return Decimal(cleaned)


def format_swift_amount(amount: Decimal) -> str:
    """Absolute amount in SWIFT notation: decimal comma, always two decimals ("1234,50")."""
    return f"{abs(amount):.2f}".replace(".", ",")

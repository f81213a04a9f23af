"""Claim value (wartość przedmiotu sporu) and the Polish court fee, by the table in config/court.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from receivables.court.rules import FeeTable

WHOLE = Decimal("1")


@dataclass(frozen=True)
class Fee:
    full: Decimal  # the fee of art. 13 for the claim value
    due: Decimal  # what is paid with this pozew (a fraction in EPU / postępowanie nakazowe)
    fraction: Decimal
    rule: str  # human-readable: which bracket or percentage applied


def claim_value(amounts: list[Decimal]) -> Decimal:
    """Sum of the claimed amounts rounded up to the whole złoty (art. 126^1 § 1 KPC)."""
    return sum(amounts, Decimal("0")).quantize(WHOLE, rounding=ROUND_CEILING)


def court_fee(value: Decimal, table: FeeTable, fraction: Decimal = WHOLE, minimum: Decimal | None = None) -> Fee:
    """The fee for a pozew of `value` PLN; `fraction` of it for EPU / the order-for-payment procedure.

    Fees are rounded up to the whole złoty (the table's `rounding_source`) and are never below the
    table's minimum (or `minimum`, e.g. EPU's 30 zł).
    """
    if value < 0:
        raise ValueError("claim value must not be negative")
    full, rule = None, ""
    for bracket in table.brackets:
        if value <= bracket.up_to:
            full, rule = bracket.fee, f"do {bracket.up_to} zł: {bracket.fee} zł"
            break
    if full is None:
        full = min((value * table.above_percent / 100).quantize(WHOLE, rounding=ROUND_CEILING), table.maximum)
        rule = f"{table.above_percent}% wartości przedmiotu sporu, nie więcej niż {table.maximum} zł"
    due = (full * fraction).quantize(WHOLE, rounding=ROUND_CEILING)
    floor = max(table.minimum, minimum or Decimal("0"))
    if due < floor:
        due = floor
        rule += f"; minimum {floor} zł"
    return Fee(full, due, fraction, rule)

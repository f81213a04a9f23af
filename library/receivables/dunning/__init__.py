"""Dunning: statutory late-payment interest, recovery compensation and the rates they need.

    >>> from datetime import date
    >>> from decimal import Decimal
    >>> compute_interest(Decimal("10000"), date(2024, 1, 15), date(2024, 6, 30), "pl").to_json()["interest"]
    '720.62'

Names load on first use, so the CLI module imports without the holiday calendars.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .fx import FxTable, MissingRate, default_fx_table, last_working_day_of_previous_month
    from .interest import (
        STATUTORY_ORDER, Compensation, InterestResult, Payment, Period, compute_interest, late_payment_charges,
        recovery_compensation,
    )
    from .rates import RateUnavailable, load_rate_table

_EXPORTS = {
    "FxTable": ".fx", "MissingRate": ".fx", "default_fx_table": ".fx", "last_working_day_of_previous_month": ".fx",
    "STATUTORY_ORDER": ".interest", "Compensation": ".interest", "InterestResult": ".interest",
    "Payment": ".interest", "Period": ".interest", "compute_interest": ".interest",
    "recovery_compensation": ".interest", "late_payment_charges": ".interest",
    "RateUnavailable": ".rates", "load_rate_table": ".rates",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

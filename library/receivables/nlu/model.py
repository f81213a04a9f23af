"""The result of understanding one answer, and its JSON contract."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")


def money_text(amount: Decimal | None) -> str | None:
    """Amounts travel as strings with two decimals ("500.00") so no float ever rounds them."""
    return None if amount is None else str(amount.quantize(CENT, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Installment:
    """One part of a payment plan: when, and how much if the debtor said or implied it."""

    date: date
    amount: Decimal | None = None

    def to_json_dict(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "amount": money_text(self.amount)}


@dataclass(frozen=True)
class Understanding:
    """What a debtor's answer means for collections: intent, promised date, amount, plan."""

    intent: str
    date: date | None
    amount: Decimal | None
    currency: str | None
    language: str
    installments: list[Installment] = field(default_factory=list)
    date_source: str | None = None

    def to_json_dict(self) -> dict[str, Any]:
        """Exactly the keys of the `receivables nlu promise --json` contract."""
        return {
            "intent": self.intent,
            "date": self.date.isoformat() if self.date else None,
            "amount": money_text(self.amount),
            "currency": self.currency,
            "language": self.language,
            "installments": [part.to_json_dict() for part in self.installments],
        }

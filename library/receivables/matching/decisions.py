"""What an analyst wrote in the exceptions workbook's decision column, read strictly.

Accepted (case and surrounding spaces ignored):
- "1", "2", "3": take that suggestion of the row as it stands (invoices and amounts);
- invoice numbers separated by ";" or new lines (or ", "), each optionally "=amount"
  ("FV/2024/05/0123; FV/2024/05/0124=100.50"): pay these; without an amount the invoice gets
  what is open, oldest first, until the money runs out;
- "customer: K00123": the payer is this customer, no invoice named (the money is their credit);
- "ignore": not a customer payment (refund, loan, own transfer); never matched again.
Anything else is an error naming the row and what was found; an empty cell is no decision yet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

Action = Literal["allocate", "customer", "ignore"]
IGNORE_WORDS = frozenset({"ignore", "ignoruj", "ignorieren"})
_SPLIT = re.compile(r"[;\n\r]+|,\s+|,(?=[^\d\s])")
_CUSTOMER = re.compile(r"^(?:customer|klient|kunde)\s*[:=]?\s*(\S.*)$", re.IGNORECASE)
_AMOUNT = re.compile(r"^-?\d+(?:[.,]\d{1,2})?$")


@dataclass(frozen=True, slots=True)
class Decision:
    """One analyst decision. `amounts[i]` is None where the analyst named no amount."""

    payment_id: str
    row: int
    action: Action
    invoice_numbers: tuple[str, ...] = ()
    amounts: tuple[Decimal | None, ...] = ()
    customer_id: str | None = None
    text: str = ""


class DecisionError(ValueError):
    """Decisions that cannot be read; `problems` has one line per row, naming what was found."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: {len(problems)} unreadable decision(s):\n  " + "\n  ".join(problems))


def parse_decision(text: str, payment_id: str, row: int,
                   suggestions: list[tuple[tuple[str, ...], tuple[Decimal, ...]]]) -> Decision:
    """Read one cell; raises ValueError with a message for the analyst."""
    cleaned = text.strip()
    lowered = cleaned.lower()
    if lowered in IGNORE_WORDS:
        return Decision(payment_id, row, "ignore", text=cleaned)
    if lowered.isdigit() and len(lowered) <= 2:
        choice = int(lowered)
        if not 1 <= choice <= len(suggestions):
            offered = f"1-{len(suggestions)}" if suggestions else "none (write invoice numbers)"
            raise ValueError(f"suggestion {choice} does not exist (suggestions offered: {offered})")
        numbers, amounts = suggestions[choice - 1]
        return Decision(payment_id, row, "allocate", numbers, tuple(amounts), text=cleaned)
    customer = _CUSTOMER.match(cleaned)
    if customer:
        return Decision(payment_id, row, "customer", customer_id=customer.group(1).strip(), text=cleaned)
    numbers, amounts = [], []
    for item in (part.strip() for part in _SPLIT.split(cleaned)):
        if not item:
            continue
        number, _, amount = item.partition("=")
        number = number.strip()
        if not any(ch.isdigit() for ch in number):
            raise ValueError(f"{item!r} is not an invoice number; expected 1, 2, 3, invoice numbers "
                             "(';'-separated, optionally =amount), 'customer: ID' or 'ignore'")
        numbers.append(number)
        amounts.append(_amount(amount, item) if amount.strip() else None)
    if not numbers:
        raise ValueError("empty decision")
    if len(set(numbers)) != len(numbers):
        raise ValueError("an invoice number is named twice")
    return Decision(payment_id, row, "allocate", tuple(numbers), tuple(amounts), text=cleaned)


def _amount(text: str, item: str) -> Decimal:
    value = text.strip().replace(" ", "")
    if not _AMOUNT.match(value):
        raise ValueError(f"amount in {item!r} is not a number like 1234.56")
    try:
        amount = Decimal(value.replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"amount in {item!r} is not a number like 1234.56") from None
    if amount <= 0:
        raise ValueError(f"amount in {item!r} must be positive")
    return amount

"""Reconciliation engine: incoming payments -> the open invoices they pay. Pure: no ledger, no I/O.

    from receivables.matching import match, load_match_config
    result = match(invoices, payments, load_match_config(), knowledge)

Inputs (`models`): `OpenInvoice` (number, customer id/name/tax id/IBANs, dates, currency,
`amount_open: Decimal`), `Payment` (id, booking date, signed `amount: Decimal`, currency,
counterparty name/IBAN, title), `Knowledge` (IBAN -> customer id, `payer_key(name)` -> customer
id, learned from analysts). `MatchConfig` comes from config/matching.yaml (`load_match_config`).

`MatchResult`:
- `allocations`: `Allocation(payment_id, invoice_number, amount: Decimal, confidence, status, method)`;
  status "auto" rows are to be posted; "suggested" rows are the best reading of a payment that
  was not posted (they lowered no open amount).
- `suggestions[payment_id]`: up to `max_suggestions` `Suggestion(invoice_numbers, amounts,
  confidence, method, customer_id, credit)` for every incoming payment not auto-posted, best first.
- `unmatched`: incoming payments not auto-posted, in booking order.
- `flags[payment_id]`: "outgoing" (amount <= 0, ignored), "foreign_currency" (the evidence points
  at invoices in another currency; never converted), "already_paid", "ambiguous".
- `credits[customer_id][currency]`: overpayment surplus of auto-posted payments; `surpluses` lists
  them per payment.

Rules: payments are read in booking order (ties keep input order); an auto allocation lowers the
invoice's open amount before the next payment, so several payments can settle one invoice and a
partial payment leaves it partly open. One payment may pay many invoices (all named in the title,
or a bounded combination of the customer's oldest open invoices). Money is Decimal at the edges
and integer cents inside; confidence is a float in [0, 1]. The same input gives the same result.

Evidence, strongest first: invoice numbers in the title in the forms people type (`numbers`),
the payer's IBAN (customer data or knowledge), a tax id in the title, a learned payer alias,
the payer name (`names`), and the amount against the open invoices (`subset`). How they combine
is in `engine`; the exceptions workbook and learning from analysts' decisions are in `workbook`
and `learning`; `receivables match` (`cli`) runs it on two CSV files.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from receivables.matching.config import MatchConfig, MatchConfigError, load_match_config
    from receivables.matching.decisions import Decision, DecisionError
    from receivables.matching.engine import match
    from receivables.matching.learning import learn
    from receivables.matching.models import (
        Allocation,
        Knowledge,
        MatchResult,
        OpenInvoice,
        Payment,
        Suggestion,
        Surplus,
    )
    from receivables.matching.names import payer_key
    from receivables.matching.workbook import ExceptionRow, exception_rows, read_decisions, write_exceptions

# imported on first use, so `receivables --help` (which registers `match`) stays light
_HOMES = {
    "MatchConfig": "config", "MatchConfigError": "config", "load_match_config": "config",
    "Decision": "decisions", "DecisionError": "decisions", "match": "engine", "learn": "learning",
    "Allocation": "models", "Knowledge": "models", "MatchResult": "models", "OpenInvoice": "models",
    "Payment": "models", "Suggestion": "models", "Surplus": "models", "payer_key": "names",
    "ExceptionRow": "workbook", "exception_rows": "workbook", "read_decisions": "workbook",
    "write_exceptions": "workbook",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
    globals()[name] = value
    return value

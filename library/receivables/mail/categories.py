"""The categories a collections mailbox is sorted into, in one place for rules, model and ledger."""

from __future__ import annotations

CATEGORIES: tuple[str, ...] = (
    "payment_confirmation",
    "remittance_advice",
    "promise_to_pay",
    "dispute",
    "invoice_copy_request",
    "installment_request",
    "auto_reply",
    "bounce",
    "gdpr_request",
    "other",
)
NEEDS_REVIEW = "needs_review"

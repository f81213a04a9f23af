"""Letter lines from interest results: the bridge between dunning's numbers and documents."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from receivables.documents.model import ZERO, LetterError, LetterItem
from receivables.dunning.interest import InterestResult


def compensation_in(result: InterestResult, currency: str) -> Decimal:
    """The compensation still owed, in the letter's currency.

    Polish law states the compensation in PLN converted from EUR; on a EUR invoice the EUR
    amount itself (40/70/100) is claimed. Any other mismatch is the caller's decision.
    """
    comp = result.compensation
    if comp is None:
        return ZERO
    if comp.currency == currency:
        return result.compensation_open
    if currency == "EUR" and comp.currency == "PLN":
        return comp.eur.quantize(Decimal("0.01"))
    raise LetterError(f"compensation in {comp.currency} cannot go on a {currency} letter")


def reminder_item(invoice_number: str, issue_date: date, result: InterestResult) -> LetterItem:
    """An open invoice with interest up to the result's `until` (the letter's date)."""
    return LetterItem(invoice_number, issue_date, result.due, result.currency, principal=result.principal_open,
                      interest=result.interest_open, compensation=compensation_in(result, result.currency))


def interest_note_item(invoice_number: str, issue_date: date, paid_on: date, result: InterestResult) -> LetterItem:
    """An invoice paid late: what accrued until the payment (see dunning.interest.late_payment_charges)."""
    return LetterItem(invoice_number, issue_date, result.due, result.currency, principal=result.principal_open,
                      interest=result.interest_open, compensation=compensation_in(result, result.currency),
                      amount=result.principal, paid_on=paid_on)

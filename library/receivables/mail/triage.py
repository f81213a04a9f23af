"""One raw message to a decision, before the ledger is touched: parse, classify, extract, route.

Pure and server-free, so `receivables mail classify FILE.eml` and the robot decide alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from receivables.mail.categories import NEEDS_REVIEW
from receivables.mail.classify import Decision, classify
from receivables.mail.extract import Extracted, extract
from receivables.mail.identify import Identified, Lookup
from receivables.mail.mail_rules import MailRules
from receivables.mail.model import MailModel
from receivables.mail.parse import ParsedMessage, parse_message


@dataclass
class Triage:
    message: ParsedMessage
    decision: Decision
    found: Extracted

    def lookup(self) -> Lookup:
        addresses = self.found.failed_recipients if self.decision.category == "bounce" else [self.message.sender or ""]
        return Lookup([a for a in addresses if a], self.found.invoice_numbers, self.found.tax_ids, self.found.ibans)


def triage(raw: bytes, rules: MailRules, today: date, *, truncated: bool = False, size: int | None = None,
           model: MailModel | None = None) -> Triage:
    """Decide one message; promise dates count from the day it was written (never after `today`)."""
    message = parse_message(raw, truncated=truncated, size=size)
    decision = classify(message, rules, model)
    written = min(message.date.date(), today) if message.date else today
    return Triage(message, decision, extract(message, decision.category, rules, written))


def unreadable(raw: bytes, size: int, error: Exception) -> Triage:
    """A message the robot could not process at all: kept for a person, never dropped."""
    message = ParsedMessage(message_id=None, sender=None, sender_name=None, recipients=[], subject="", date=None,
                            content_type="", report_type=None, headers={}, text="", size=size)
    try:
        message = parse_message(raw[:64_000])
    except Exception:  # noqa: BLE001 - the headers are a courtesy; the message is kept either way
        pass
    decision = Decision("other", 0.0, f"could not be processed ({type(error).__name__}: {error})"[:500], "error")
    return Triage(message, decision, Extracted())


def review_reasons(item: Triage, who: Identified, rules: MailRules) -> list[str]:
    """Why a person must look at this message; empty when the robot can file it alone."""
    category, reasons = item.decision.category, []
    if item.decision.confidence < rules.threshold(category):
        reasons.append(f"confidence {item.decision.confidence:.2f} below {rules.threshold(category):.2f}")
    if category in ("promise_to_pay", "dispute", "invoice_copy_request") and who.customer_id is None:
        reasons.append("sender is no known customer")
    if category == "promise_to_pay" and item.found.promise_date is None:
        reasons.append("no promise date found")
    if category == "invoice_copy_request" and who.customer_id is not None and not who.invoices:
        reasons.append("names no invoice of this customer")
    if who.foreign:
        reasons.append(f"names invoices of another customer ({', '.join(who.foreign)})")
    return reasons


def folder_for(item: Triage, reasons: list[str], rules: MailRules) -> str:
    return rules.folders[NEEDS_REVIEW if reasons else item.decision.category]

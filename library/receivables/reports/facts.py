"""Everything a report needs, read from the ledger in a handful of queries.

The figures are computed from these records in Python, so one read serves the full report and
every manager's; timestamps (promises made, contacts) become local dates in the given zone.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from receivables.ledger.models import (
    Allocation,
    BankTransaction,
    CallAttempt,
    CallCampaign,
    Customer,
    Event,
    Invoice,
    OutboxMessage,
    Promise,
)
from receivables.ledger.repository import POSTED

REMINDER_EVENT = "reminder_queued"  # written by the reminders robot (dunning.ledger_view.QUEUED_EVENT)


@dataclass(frozen=True)
class CustomerFact:
    id: int
    external_id: str
    name: str
    segment: str | None
    manager: str | None


@dataclass
class InvoiceFact:
    """An invoice with its dated movements: credit notes (issue date) and posted payments (booking date)."""

    id: int
    number: str
    customer_id: int
    currency: str
    issue_date: date
    due_date: date
    gross: Decimal
    open_amount: Decimal
    status: str
    written_off: bool
    disputed: bool
    credits: list[tuple[date, Decimal]] = field(default_factory=list)  # positive amounts
    payments: list[tuple[date, Decimal]] = field(default_factory=list)

    def open_on(self, day: date) -> Decimal | None:
        """What the customer owed on this invoice at the end of `day`; None before it was issued."""
        if self.issue_date > day:
            return None
        owed = self.gross
        for on, amount in self.credits:
            if on <= day:
                owed -= amount
        for on, amount in self.payments:
            if on <= day:
                owed -= amount
        return owed


@dataclass(frozen=True)
class PaymentFact:
    booking_date: date
    currency: str
    amount: Decimal
    invoice_id: int
    customer_id: int


@dataclass(frozen=True)
class ReceiptFact:
    """An incoming bank credit, allocated or not; `customer_id` is the payer once known."""

    booking_date: date
    currency: str
    amount: Decimal
    customer_id: int | None


@dataclass(frozen=True)
class PromiseFact:
    id: int
    customer_id: int
    made_on: date
    promised_date: date
    amount: Decimal | None
    currency: str | None
    channel: str
    status: str


@dataclass(frozen=True)
class ContactFact:
    """One reminder message (its outbox key) or one debtor's calls in one campaign."""

    kind: str  # reminder | call
    name: str  # the reminder step, or the campaign key
    channel: str
    customer_id: int
    on: date
    reached: bool
    promised: bool  # a promise the contact itself recorded (a call outcome)
    invoice_ids: tuple[int, ...]  # () = any invoice of the customer


@dataclass
class LedgerFacts:
    customers: dict[int, CustomerFact]
    invoices: list[InvoiceFact]
    payments: list[PaymentFact]
    receipts: list[ReceiptFact]
    promises: list[PromiseFact]
    contacts: list[ContactFact]

    def only(self, customer_ids: set[int]) -> LedgerFacts:
        """The facts of some customers (a manager's portfolio)."""
        return LedgerFacts(
            {k: v for k, v in self.customers.items() if k in customer_ids},
            [i for i in self.invoices if i.customer_id in customer_ids],
            [p for p in self.payments if p.customer_id in customer_ids],
            [r for r in self.receipts if r.customer_id in customer_ids],
            [p for p in self.promises if p.customer_id in customer_ids],
            [c for c in self.contacts if c.customer_id in customer_ids])


def read_facts(session: Session, timezone: str = "Europe/Warsaw") -> LedgerFacts:
    zone = ZoneInfo(timezone)

    def local(at: datetime) -> date:
        return at.astimezone(zone).date()

    customers = {r.id: CustomerFact(r.id, r.external_id, r.name, r.segment, r.account_manager)
                 for r in session.execute(select(Customer.id, Customer.external_id, Customer.name,
                                                 Customer.segment, Customer.account_manager))}
    invoices: dict[int, InvoiceFact] = {}
    notes = []
    for r in session.execute(select(Invoice.id, Invoice.number, Invoice.customer_id, Invoice.kind, Invoice.corrects_id,
                                     Invoice.currency, Invoice.issue_date, Invoice.due_date, Invoice.gross,
                                     Invoice.open_amount, Invoice.status, Invoice.written_off, Invoice.disputed)):
        if r.kind == "credit_note":
            notes.append(r)
            continue
        invoices[r.id] = InvoiceFact(r.id, r.number, r.customer_id, r.currency, r.issue_date, r.due_date, r.gross,
                                     r.open_amount, r.status, r.written_off, r.disputed)
    for r in notes:
        if r.corrects_id in invoices:
            invoices[r.corrects_id].credits.append((r.issue_date, -r.gross))
    payments = []
    for r in session.execute(
            select(BankTransaction.booking_date, Allocation.amount, Allocation.invoice_id)
            .join(BankTransaction, Allocation.transaction_id == BankTransaction.id)
            .where(Allocation.status.in_(POSTED))):
        inv = invoices.get(r.invoice_id)
        if inv is not None:
            inv.payments.append((r.booking_date, r.amount))
            payments.append(PaymentFact(r.booking_date, inv.currency, r.amount, inv.id, inv.customer_id))
    receipts = [ReceiptFact(r.booking_date, r.currency, r.amount, r.customer_id) for r in session.execute(
        select(BankTransaction.booking_date, BankTransaction.currency, BankTransaction.amount,
               BankTransaction.customer_id).where(BankTransaction.amount > 0))]
    promises = [PromiseFact(r.id, r.customer_id, local(r.created_at), r.promised_date, r.amount, r.currency,
                            r.channel, r.status)
                for r in session.execute(select(Promise.id, Promise.customer_id, Promise.created_at,
                                                Promise.promised_date, Promise.amount, Promise.currency,
                                                Promise.channel, Promise.status))]
    return LedgerFacts(customers, list(invoices.values()), payments, receipts, promises,
                       _reminders(session, local) + _calls(session, local))


def _reminders(session: Session, local) -> list[ContactFact]:
    """One contact per outbox key: the reminders robot logs one event per invoice of a message.

    The message's step and day come from its key (dunning.planner.PlannedMessage.key:
    reminder:<customer>:<step>:<day>:<channel>): an invoice's own step may be milder, and the
    robot's day, not the clock, is the day of the contact.
    """
    sent = {key for (key,) in session.execute(
        select(OutboxMessage.key).where(OutboxMessage.key.startswith("reminder:"), OutboxMessage.status == "sent"))}
    messages: dict[str, dict] = {}
    for r in session.execute(select(Event.at, Event.channel, Event.customer_id, Event.invoice_id, Event.details)
                             .where(Event.kind == REMINDER_EVENT).order_by(Event.id)):
        details = r.details or {}
        key = details.get("key") or f"event:{r.at.isoformat()}:{r.customer_id}"
        if key not in messages:
            step, day = _step_and_day(key)
            messages[key] = {"on": day or local(r.at), "channel": r.channel or "?", "customer_id": r.customer_id,
                             "step": step or details.get("step") or "?", "invoices": []}
        if r.invoice_id is not None:
            messages[key]["invoices"].append(r.invoice_id)
    return [ContactFact("reminder", m["step"], m["channel"], m["customer_id"], m["on"], key in sent, False,
                        tuple(m["invoices"]))
            for key, m in messages.items() if m["customer_id"] is not None]


def _step_and_day(key: str) -> tuple[str | None, date | None]:
    parts = key.rsplit(":", 3)
    if len(parts) != 4 or not parts[0].startswith("reminder:"):
        return None, None
    try:
        return parts[1], date.fromisoformat(parts[2])
    except ValueError:
        return None, None


PROMISE_OUTCOMES = ("promise", "instalments")


def _calls(session: Session, local) -> list[ContactFact]:
    """One contact per debtor and campaign, dated by the first dial; voice messages reach by voicemail."""
    debtors: dict[tuple[str, int], dict] = defaultdict(lambda: {"at": None, "reached": False, "promised": False})
    for r in session.execute(select(CallCampaign.key, CallCampaign.kind, CallAttempt.customer_id,
                                    CallAttempt.started_at, CallAttempt.result, CallAttempt.outcome)
                             .join(CallCampaign, CallAttempt.campaign_id == CallCampaign.id)):
        d = debtors[(r.key, r.customer_id)]
        d["kind"] = r.kind
        d["at"] = r.started_at if d["at"] is None else min(d["at"], r.started_at)
        reached = ("answered", "voicemail") if r.kind == "vms" else ("answered",)
        d["reached"] |= r.result in reached
        d["promised"] |= r.outcome in PROMISE_OUTCOMES
    return [ContactFact("call", key, d["kind"], customer_id, local(d["at"]), d["reached"], d["promised"], ())
            for (key, customer_id), d in debtors.items()]

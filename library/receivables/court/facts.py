"""What the ledger knows about one debtor, as a court case needs it: parties, invoices with their
payments, the final demand, the contact history and the evidence files.

These records are the case's facts: their digest decides whether a case is drafted again.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from receivables.dunning.interest import Payment
from receivables.dunning.ledger_view import QUEUED_EVENT
from receivables.ledger.models import (
    Allocation, BankTransaction, CallAttempt, Customer, Dispute, Document, Event, Invoice, OutboxMessage, Promise,
)
from receivables.ledger.repository import POSTED

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Party:
    external_id: str
    name: str
    street: str | None
    postal_code: str | None
    city: str | None
    country: str
    language: str
    tax_id: str | None
    regon: str | None
    krs: str | None
    is_consumer: bool
    segment: str | None


@dataclass(frozen=True)
class InvoiceFact:
    id: int
    number: str
    issue_date: date
    due_date: date
    currency: str
    gross: Decimal
    credited: Decimal
    open_amount: Decimal
    payments: tuple[Payment, ...]

    @property
    def principal(self) -> Decimal:
        """What was owed at the due date: the invoice less its credit notes."""
        return self.gross - self.credited


@dataclass(frozen=True)
class DemandFact:
    """The final demand: the letter's date (from the outbox key), when each channel sent it."""

    day: date
    deadline: date
    sent: tuple[tuple[str, date], ...]  # (channel, day sent)
    document: str | None  # the demand letter's PDF, if the ledger has it


@dataclass(frozen=True)
class ContactFact:
    day: date
    kind: str  # reminder | final_demand | call | promise | dispute
    channel: str | None
    text: str


def party_of(c: Customer) -> Party:
    return Party(c.external_id, c.name, c.street, c.postal_code, c.city, c.country, c.language, c.tax_id,
                 c.regon, c.krs, c.is_consumer, c.segment)


def load_invoices(s: Session, invoice_ids: list[int]) -> list[InvoiceFact]:
    payments: dict[int, list[Payment]] = defaultdict(list)
    for invoice_id, amount, on in s.execute(
            select(Allocation.invoice_id, Allocation.amount, BankTransaction.booking_date)
            .join(BankTransaction, Allocation.transaction_id == BankTransaction.id)
            .where(Allocation.invoice_id.in_(invoice_ids), Allocation.status.in_(POSTED))):
        payments[invoice_id].append(Payment(on, amount))
    out = []
    for inv in s.scalars(select(Invoice).where(Invoice.id.in_(invoice_ids))):
        out.append(InvoiceFact(inv.id, inv.number, inv.issue_date, inv.due_date, inv.currency, inv.gross,
                               inv.credited, inv.open_amount,
                               tuple(sorted(payments[inv.id], key=lambda p: (p.on, p.amount)))))
    return sorted(out, key=lambda i: (i.due_date, i.number))


def _key_day(key: str) -> date | None:
    """The letter date inside a reminder key: reminder:<customer>:<step>:<YYYY-MM-DD>:<channel>."""
    parts = key.split(":")
    try:
        return date.fromisoformat(parts[3]) if len(parts) >= 5 else None
    except ValueError:
        return None


def final_demands(s: Session, invoice_ids: list[int], step: str) -> dict[int, list[tuple[date, str, date | None]]]:
    """Invoice id -> [(letter day, channel, day sent or None)] of every final demand queued for it."""
    rows = s.execute(select(Event.invoice_id, Event.details).where(
        Event.kind == QUEUED_EVENT, Event.invoice_id.in_(invoice_ids))).all()
    keys = {d.get("key") for _, d in rows if d.get("step") == step and d.get("key")}
    sent = {k: (st, at) for k, st, at in s.execute(
        select(OutboxMessage.key, OutboxMessage.status, OutboxMessage.sent_at).where(OutboxMessage.key.in_(keys)))} \
        if keys else {}
    out: dict[int, list[tuple[date, str, date | None]]] = defaultdict(list)
    for invoice_id, d in rows:
        key = d.get("key", "")
        day = _key_day(key)
        if d.get("step") != step or day is None:
            continue
        status, at = sent.get(key, (None, None))
        out[invoice_id].append((day, d.get("channel") or key.rsplit(":", 1)[-1],
                                at.date() if status == "sent" and at else None))
    return out


def demand_fact(entries: list[tuple[date, str, date | None]], deadline_days: int,
                document: str | None) -> DemandFact | None:
    """The earliest final demand that actually went out on some channel; None if none did."""
    sent = [(day, ch, on) for day, ch, on in entries if on is not None]
    if not sent:
        return None
    day = min(d for d, _, _ in sent)
    channels = tuple(sorted((ch, on) for d, ch, on in sent if d == day))
    return DemandFact(day, day + timedelta(days=deadline_days), channels, document)


def demand_document(s: Session, customer_id: int, day: date, currency: str) -> str | None:
    """The final-demand PDF the reminders robot wrote that day (its number holds date and currency)."""
    stamp = f"{day:%Y%m%d}"
    for path in s.scalars(select(Document.path).where(Document.customer_id == customer_id,
                                                      Document.kind == "final_demand")):
        name = Path(path).name
        if stamp in name and currency in name:
            return path
    return None


def invoice_documents(s: Session, invoice_ids: list[int]) -> dict[int, str]:
    """Invoice PDFs the ledger knows (Document rows of kind "invoice")."""
    return {i: p for i, p in s.execute(select(Document.invoice_id, Document.path).where(
        Document.invoice_id.in_(invoice_ids), Document.kind == "invoice"))}


def open_disputes(s: Session, customer_id: int) -> list[int | None]:
    """Invoice ids with an open dispute; None in the list = a dispute of the whole account."""
    return list(s.scalars(select(Dispute.invoice_id).where(Dispute.customer_id == customer_id,
                                                           Dispute.status == "open")))


def contact_history(s: Session, customer_id: int, invoice_ids: list[int], final_step: str) -> list[ContactFact]:
    """Reminders, the final demand, calls and promises, oldest first: the attempt to settle out of court."""
    out: list[ContactFact] = []
    seen = set()
    for invoice_id, channel, d in s.execute(select(Event.invoice_id, Event.channel, Event.details).where(
            Event.kind == QUEUED_EVENT, Event.customer_id == customer_id)):
        key = d.get("key", "")
        day = _key_day(key)
        if invoice_id not in invoice_ids or day is None or key in seen:
            continue
        seen.add(key)
        step = d.get("step", "")
        out.append(ContactFact(day, "final_demand" if step == final_step else "reminder", channel, step))
    for a in s.scalars(select(CallAttempt).where(CallAttempt.customer_id == customer_id)):
        text = ", ".join(x for x in (a.result, a.outcome) if x)
        if a.promise_date:
            text += f", obietnica zapłaty do {a.promise_date.isoformat()}"
        out.append(ContactFact(a.started_at.date(), "call", "call", text))
    for p in s.scalars(select(Promise).where(Promise.customer_id == customer_id)):
        if p.invoice_id is not None and p.invoice_id not in invoice_ids:
            continue
        amount = f" {p.amount} {p.currency or ''}".rstrip() if p.amount is not None else ""
        out.append(ContactFact(p.created_at.date(), "promise", p.channel,
                               f"obietnica zapłaty{amount} do {p.promised_date.isoformat()} ({p.status})"))
    return sorted(out, key=lambda c: (c.day, c.kind, c.channel or "", c.text))


def digest(*parts: object) -> str:
    """A stable SHA-256 of the facts (dataclasses, dates and Decimals as text)."""
    def plain(value: object) -> object:
        if hasattr(value, "__dataclass_fields__"):
            return plain(asdict(value))
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        if isinstance(value, Decimal | date):
            return str(value)
        return value
    return hashlib.sha256(json.dumps(plain(list(parts)), sort_keys=True, ensure_ascii=False).encode()).hexdigest()

"""Hand-built ledgers for the reports' edge cases: invoices, payments, credit notes, promises, contacts."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal as D

from sqlalchemy.orm import Session

from receivables.ledger.models import (
    BankTransaction,
    CallAttempt,
    CallCampaign,
    Customer,
    Event,
    Invoice,
    OutboxMessage,
    Promise,
)
from receivables.ledger.repository import add_allocation, refresh_invoice

_n = itertools.count(1)


def at(day: date, hour: int = 10) -> datetime:
    """A UTC timestamp that is the same date in Warsaw (10:00 UTC = 11:00 or 12:00 local)."""
    return datetime.combine(day, time(hour), tzinfo=UTC)


def customer(s: Session, ext: str, manager: str | None = None, segment: str | None = None) -> Customer:
    c = Customer(external_id=ext, name=f"Firma {ext}", country="PL", language="pl", account_manager=manager,
                 segment=segment)
    s.add(c)
    s.flush()
    return c


def invoice(s: Session, c: Customer, gross: str, due: date, issued: date | None = None, currency: str = "PLN",
            written_off: bool = False) -> Invoice:
    inv = Invoice(number=f"FV/{next(_n)}", issuer_tax_id="5252448487", customer_id=c.id,
                  issue_date=issued or due, due_date=due, currency=currency, net=D(gross), vat=D("0"),
                  gross=D(gross), open_amount=D(gross), status="open", written_off=written_off)
    s.add(inv)
    s.flush()
    return inv


def pay(s: Session, inv: Invoice, amount: str, booked: date, received: str | None = None) -> BankTransaction:
    """A bank credit of `received` (default `amount`) booked that day, `amount` of it applied to the invoice."""
    tx = BankTransaction(fingerprint=f"tx{next(_n)}", account_iban="PL94105014451000009071219812", statement_id="S1",
                         booking_date=booked, amount=D(received or amount), currency=inv.currency,
                         customer_id=inv.customer_id, status="new")
    s.add(tx)
    s.flush()
    add_allocation(s, tx, inv, D(amount), "test", 1.0, "auto", None)
    return tx


def credit_note(s: Session, inv: Invoice, amount: str, issued: date) -> Invoice:
    note = Invoice(number=f"KOR/{next(_n)}", issuer_tax_id="5252448487", customer_id=inv.customer_id,
                   kind="credit_note", corrects_id=inv.id, issue_date=issued, due_date=issued, currency=inv.currency,
                   net=-D(amount), vat=D("0"), gross=-D(amount), open_amount=-D(amount), status="credit_note")
    s.add(note)
    s.flush()
    refresh_invoice(s, inv)
    return note


def promise(s: Session, c: Customer, made: date, promised: date, status: str, amount: str | None = None,
            currency: str | None = "PLN", channel: str = "email") -> None:
    s.add(Promise(source_key=f"p{next(_n)}", customer_id=c.id, promised_date=promised, status=status, channel=channel,
                  amount=D(amount) if amount else None, currency=currency if amount else None, created_at=at(made)))


def reminder(s: Session, c: Customer, invoices: list[Invoice], day: date, step: str = "overdue_7",
             channel: str = "email", sent: bool = True) -> str:
    key = f"reminder:{c.external_id}:{step}:{day.isoformat()}:{channel}"  # dunning.planner.PlannedMessage.key
    for inv in invoices:
        s.add(Event(kind="reminder_queued", actor="reminders", channel=channel, customer_id=c.id, invoice_id=inv.id,
                    details={"step": "notice", "key": key}, at=at(day + timedelta(days=40))))  # logged later
    s.add(OutboxMessage(key=key, channel=channel, recipient="k@example.pl", body="x",
                        status="sent" if sent else "failed", attachments={}))
    return key


def campaign(s: Session, key: str, kind: str = "call") -> CallCampaign:
    camp = CallCampaign(key=key, kind=kind)
    s.add(camp)
    s.flush()
    return camp


def call(s: Session, camp: CallCampaign, c: Customer, day: date, result: str, outcome: str | None = None,
         attempt: int = 1) -> None:
    s.add(CallAttempt(campaign_id=camp.id, customer_id=c.id, phone="+48600100200", attempt_no=attempt, status="done",
                      started_at=at(day), result=result, outcome=outcome))

"""Records for the court-claims tests: debtors, invoices, payments, final demands sent."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal as D
from pathlib import Path

from receivables.ledger import Ledger
from receivables.ledger.models import (
    Allocation, BankTransaction, Customer, Dispute, Event, Invoice, OutboxMessage, Promise,
)
from receivables.ledger.repository import refresh_invoice

TODAY = date(2026, 3, 10)  # inside the shipped PL rate table (known until 2026-03-31)
DEMAND = date(2026, 2, 16)  # final demand letter day; deadline +7 = 2026-02-23


def add_debtor(ledger: Ledger, ext: str = "K00012", *, name: str = "Transbud sp. z o.o.", city: str = "Kraków",
               postal: str = "30-001", country: str = "PL", language: str = "pl", consumer: bool = False,
               tax_id: str | None = "6762465003", regon: str | None = "356361970", krs: str | None = None) -> int:
    with ledger.session() as s:
        c = Customer(external_id=ext, name=name, country=country, language=language, street="ul. Długa 5",
                     postal_code=postal, city=city, tax_id=tax_id, regon=regon, krs=krs, is_consumer=consumer)
        s.add(c)
        s.flush()
        return c.id


def add_invoice(ledger: Ledger, customer_id: int, number: str, gross: str, due: date, *, currency: str = "PLN",
                disputed: bool = False) -> int:
    g = D(gross)
    with ledger.session() as s:
        inv = Invoice(number=number, issuer_tax_id="5252448487", customer_id=customer_id, issue_date=date(due.year, due.month, 1)
                      if due.day > 14 else due.replace(day=1), due_date=due, currency=currency,
                      net=(g / D("1.23")).quantize(D("0.01")), vat=g - (g / D("1.23")).quantize(D("0.01")), gross=g,
                      open_amount=g, disputed=disputed)
        s.add(inv)
        s.flush()
        return inv.id


def pay(ledger: Ledger, invoice_id: int, amount: str, on: date, ref: str) -> None:
    with ledger.session() as s:
        inv = s.get(Invoice, invoice_id)
        tx = BankTransaction(fingerprint=ref, account_iban="PL94105014451000009071219812", statement_id="S1",
                             booking_date=on, amount=D(amount), currency=inv.currency, title=inv.number)
        s.add(tx)
        s.flush()
        s.add(Allocation(transaction_id=tx.id, invoice_id=inv.id, amount=D(amount), method="number", confidence=1.0,
                         status="auto"))
        refresh_invoice(s, inv)


def send_final_demand(ledger: Ledger, customer_id: int, ext: str, invoice_ids: list[int], day: date = DEMAND,
                      channels: tuple[str, ...] = ("email", "letter"), sent: bool = True) -> None:
    """What the reminders robot leaves: outbox rows (sent) and reminder_queued events per invoice."""
    with ledger.session() as s:
        for ch in channels:
            key = f"reminder:{ext}:final_demand:{day.isoformat()}:{ch}"
            s.add(OutboxMessage(key=key, channel=ch, recipient="x", body="b", status="sent" if sent else "pending",
                                sent_at=datetime.combine(day, time(9), UTC) if sent else None, customer_id=customer_id))
            for i in invoice_ids:
                s.add(Event(kind="reminder_queued", actor="reminders", customer_id=customer_id, invoice_id=i,
                            channel=ch, details={"step": "final_demand", "key": key, "channel": ch}))


def send_reminder(ledger: Ledger, customer_id: int, ext: str, invoice_ids: list[int], day: date, step: str) -> None:
    with ledger.session() as s:
        key = f"reminder:{ext}:{step}:{day.isoformat()}:email"
        s.add(OutboxMessage(key=key, channel="email", recipient="x", body="b", status="sent",
                            sent_at=datetime.combine(day, time(9), UTC), customer_id=customer_id))
        for i in invoice_ids:
            s.add(Event(kind="reminder_queued", actor="reminders", customer_id=customer_id, invoice_id=i,
                        channel="email", details={"step": step, "key": key, "channel": "email"}))


def promise(ledger: Ledger, customer_id: int, invoice_id: int | None, on: date, status: str = "pending",
            created: date = date(2026, 3, 1)) -> None:
    with ledger.session() as s:
        s.add(Promise(source_key=f"p:{customer_id}:{on}:{status}", customer_id=customer_id, invoice_id=invoice_id,
                      promised_date=on, channel="call", status=status,
                      created_at=datetime.combine(created, time(10), UTC)))


def dispute(ledger: Ledger, customer_id: int, invoice_id: int | None) -> None:
    with ledger.session() as s:
        s.add(Dispute(customer_id=customer_id, invoice_id=invoice_id, reason="quality", source="mail"))


def standard_case(ledger: Ledger) -> tuple[int, int, int]:
    """The hand-computed case of test_claim.py: Kraków business debtor, two invoices, one partial payment."""
    cid = add_debtor(ledger)
    a = add_invoice(ledger, cid, "FV/2025/11/0007", "10000.00", date(2025, 11, 15))
    b = add_invoice(ledger, cid, "FV/2026/01/0003", "3000.00", date(2026, 1, 20))
    pay(ledger, b, "1000.00", date(2026, 2, 10), "tx-b-1")
    send_reminder(ledger, cid, "K00012", [a], date(2025, 11, 18), "overdue_3")
    send_final_demand(ledger, cid, "K00012", [a, b])
    return cid, a, b

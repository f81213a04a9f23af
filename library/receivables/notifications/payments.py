"""Payments waiting for a notification, read from the ledger with what each paid and what is still open.

A payment is a positive bank transaction with posted allocations (auto or confirmed) and no
`notified_at`. Suggested allocations do not count: money is not "allocated" until they are confirmed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, aliased

from receivables.ledger.models import Allocation, BankTransaction, Customer, Invoice
from receivables.ledger.queries import OPEN_STATUSES
from receivables.ledger.repository import POSTED

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Applied:
    """One invoice the payment paid (part of): how much, and what the invoice still has open."""

    invoice_id: int
    number: str
    due_date: date
    amount: Decimal
    remaining: Decimal


@dataclass(frozen=True)
class Balance:
    """What a customer still owes in one currency, and the part of it past due."""

    currency: str
    open: Decimal
    overdue: Decimal
    invoices: int
    overdue_invoices: int


@dataclass(frozen=True)
class CustomerPart:
    """The share of a payment that went to one customer's invoices."""

    customer_id: int
    external_id: str
    name: str
    account_manager: str | None
    applied: tuple[Applied, ...]
    balances: tuple[Balance, ...]

    @property
    def amount(self) -> Decimal:
        return sum((a.amount for a in self.applied), ZERO)


@dataclass(frozen=True)
class Payment:
    transaction_id: int
    booking_date: date
    amount: Decimal
    currency: str
    allocated: Decimal
    parts: tuple[CustomerPart, ...]

    @property
    def unallocated(self) -> Decimal:
        return self.amount - self.allocated


def _pending():
    a = aliased(Allocation)
    posted = select(a.id).where(a.transaction_id == BankTransaction.id, a.status.in_(POSTED)).exists()
    return (BankTransaction.notified_at.is_(None), BankTransaction.amount > ZERO, posted)


def count_old(session: Session, cutoff: date) -> int:
    return session.scalar(
        select(func.count(BankTransaction.id)).where(*_pending(), BankTransaction.booking_date < cutoff))


def mark_old(session: Session, cutoff: date, now: datetime) -> int:
    """Payments booked before `cutoff` are marked notified without a message (history, not news)."""
    result = session.execute(
        update(BankTransaction).where(*_pending(), BankTransaction.booking_date < cutoff)
        .values(notified_at=now).execution_options(synchronize_session=False))
    return result.rowcount


def pending_payments(session: Session, cutoff: date, today: date) -> list[Payment]:
    """Unnotified payments booked on or after `cutoff`, oldest first, with their customers' balances."""
    rows = session.execute(
        select(BankTransaction.id, BankTransaction.booking_date, BankTransaction.amount, BankTransaction.currency,
               BankTransaction.allocated, Allocation.amount, Invoice.id, Invoice.number, Invoice.due_date,
               Invoice.open_amount, Customer.id, Customer.external_id, Customer.name, Customer.account_manager)
        .join(Allocation, Allocation.transaction_id == BankTransaction.id)
        .join(Invoice, Invoice.id == Allocation.invoice_id)
        .join(Customer, Customer.id == Invoice.customer_id)
        .where(*_pending(), BankTransaction.booking_date >= cutoff, Allocation.status.in_(POSTED))
        .order_by(BankTransaction.booking_date, BankTransaction.id, Invoice.due_date, Invoice.number)
    ).all()
    balances = customer_balances(session, {r[10] for r in rows}, today)
    heads: dict[int, tuple] = {}
    parts: dict[int, dict[int, list]] = defaultdict(dict)
    customers: dict[int, tuple] = {}
    for (tx_id, booked, amount, currency, allocated, applied, inv_id, number, due, remaining,
         cust_id, ext, name, manager) in rows:
        heads[tx_id] = (booked, amount, currency, allocated)
        customers[cust_id] = (ext, name, manager)
        parts[tx_id].setdefault(cust_id, []).append(Applied(inv_id, number, due, applied, remaining))
    return [
        Payment(tx_id, *heads[tx_id], parts=tuple(
            CustomerPart(cid, *customers[cid], applied=tuple(items), balances=balances.get(cid, ()))
            for cid, items in parts[tx_id].items()))
        for tx_id in heads
    ]


def customer_balances(session: Session, customer_ids: set[int], today: date) -> dict[int, tuple[Balance, ...]]:
    """Open invoices per customer and currency as of now; overdue = due before `today`."""
    if not customer_ids:
        return {}
    rows = session.execute(
        select(Invoice.customer_id, Invoice.currency, Invoice.open_amount, Invoice.due_date)
        .where(Invoice.customer_id.in_(customer_ids), Invoice.status.in_(OPEN_STATUSES), Invoice.kind == "invoice")
    ).all()
    sums: dict[int, dict[str, list]] = defaultdict(dict)
    for cust_id, currency, open_amount, due in rows:
        s = sums[cust_id].setdefault(currency, [ZERO, ZERO, 0, 0])
        s[0] += open_amount
        s[2] += 1
        if due < today:
            s[1] += open_amount
            s[3] += 1
    return {cid: tuple(Balance(cur, *v) for cur, v in sorted(by_cur.items())) for cid, by_cur in sums.items()}

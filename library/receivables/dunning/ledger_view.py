"""What the planner needs, read from the ledger in a few queries: customers with open invoices,
promises, contacts and opt-outs; steps already queued per invoice; how fresh the bank data is."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from receivables.dunning.planner import OPEN_STATUSES, CustomerState, InvoiceState, PromiseState
from receivables.ledger.models import Contact, Customer, Event, Invoice, OptOut, Promise, Run

QUEUED_EVENT = "reminder_queued"
FRESHNESS_ROBOTS = ("bank-statements", "reconcile")


def load_customers(session: Session) -> list[CustomerState]:
    invoices: dict[int, list[InvoiceState]] = defaultdict(list)
    for inv in session.scalars(select(Invoice).where(
            Invoice.status.in_(OPEN_STATUSES), Invoice.kind == "invoice", Invoice.open_amount > 0,
            Invoice.missing_from_source.is_(False))):
        invoices[inv.customer_id].append(InvoiceState(
            inv.id, inv.number, inv.issue_date, inv.due_date, inv.currency, inv.gross, inv.open_amount, inv.status,
            inv.disputed, inv.promised, inv.in_court, inv.written_off))
    if not invoices:
        return []
    ids = list(invoices)
    contacts: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for c in session.scalars(select(Contact).where(Contact.customer_id.in_(ids), Contact.valid.is_(True))
                             .order_by(Contact.id)):
        contacts[c.customer_id][c.kind].append(c.value)
    opt_outs: dict[int, set[str]] = defaultdict(set)
    for customer_id, channel in session.execute(select(OptOut.customer_id, OptOut.channel)
                                                .where(OptOut.customer_id.in_(ids))):
        opt_outs[customer_id].add(channel)
    promises: dict[int, list[PromiseState]] = defaultdict(list)
    for p in session.scalars(select(Promise).where(Promise.customer_id.in_(ids), Promise.status == "pending")):
        promises[p.customer_id].append(PromiseState(p.invoice_id, p.promised_date, p.status))
    out = []
    for c in session.scalars(select(Customer).where(Customer.id.in_(ids)).order_by(Customer.external_id)):
        out.append(CustomerState(
            c.id, c.external_id, c.name, c.country, c.language if c.language in ("pl", "de", "en") else "en",
            c.segment, tuple(contacts[c.id]["email"]), tuple(contacts[c.id]["phone"]),
            bool(c.street and c.postal_code and c.city), frozenset(opt_outs[c.id]),
            tuple(sorted(invoices[c.id], key=lambda i: (i.due_date, i.number))), tuple(promises[c.id]),
            c.is_consumer))
    return out


def done_steps(session: Session, invoice_ids: list[int] | None = None) -> dict[int, set[str]]:
    """Invoice id -> steps already queued for it (from the timeline, written with the outbox rows)."""
    query = select(Event.invoice_id, Event.details).where(Event.kind == QUEUED_EVENT)
    done: dict[int, set[str]] = defaultdict(set)
    for invoice_id, details in session.execute(query):
        if invoice_ids is None or invoice_id in invoice_ids:
            done[invoice_id].add(details.get("step", ""))
    return done


def stale_sources(session: Session, now: datetime, hours: float) -> list[str]:
    """Robots whose last successful run is older than `hours` (or missing): reminders must wait."""
    stale = []
    for robot in FRESHNESS_ROBOTS:
        last = session.scalar(select(func.max(Run.finished_at)).where(Run.robot == robot, Run.status == "ok"))
        if last is not None and last.tzinfo is None:
            last = last.replace(tzinfo=now.tzinfo)
        if last is None or now - last > timedelta(hours=hours):
            stale.append(robot)
    return stale

"""Who gets which reminder today: a pure function of the ledger's state, the policy and the calendar.

Each invoice carries its own state, so a dispute, a promise or a court case on one invoice never
silences the customer's others. An invoice gets the latest step its age has reached, and only if
neither that step nor a later one was sent before: a run that missed days sends one step, once.
All of a customer's invoices that reach a step on the same day go into one message per channel.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Set
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from receivables.dunning.calendar import is_working_day
from receivables.dunning.policy import Policy, Step

OPEN_STATUSES = ("open", "partially_paid")
CONTACT_KIND = {"email": "email", "sms": "phone"}


@dataclass(frozen=True)
class InvoiceState:
    id: int
    number: str
    issue_date: date
    due_date: date
    currency: str
    gross: Decimal
    open_amount: Decimal
    status: str  # ledger status: open | partially_paid | paid | ...
    disputed: bool = False
    promised: bool = False
    in_court: bool = False
    written_off: bool = False


@dataclass(frozen=True)
class PromiseState:
    invoice_id: int | None  # None: a promise for the customer's whole debt
    promised_date: date
    status: str  # pending | kept | broken


@dataclass(frozen=True)
class CustomerState:
    id: int
    external_id: str
    name: str
    country: str
    language: str
    segment: str | None
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    has_address: bool = True
    opt_outs: frozenset[str] = frozenset()
    invoices: tuple[InvoiceState, ...] = ()
    promises: tuple[PromiseState, ...] = ()
    is_consumer: bool = False


@dataclass(frozen=True)
class PlannedInvoice:
    invoice: InvoiceState
    step: Step
    days_overdue: int


@dataclass(frozen=True)
class PlannedMessage:
    customer: CustomerState
    channel: str
    step: Step  # the most severe step among its invoices
    recipient: str
    invoices: tuple[PlannedInvoice, ...]
    day: date

    @property
    def key(self) -> str:
        return f"reminder:{self.customer.external_id}:{self.step.name}:{self.day.isoformat()}:{self.channel}"


@dataclass(frozen=True)
class Skip:
    customer_id: int
    invoice_id: int | None
    reason: str  # disputed | promised | in_court | written_off | opted_out | no_contact | not_working_day | below_minimum
    channel: str | None = None


@dataclass
class Plan:
    messages: list[PlannedMessage] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)


def invoice_state(invoice: InvoiceState, promises: tuple[PromiseState, ...], today: date, grace_days: int) -> str:
    """open | partially_paid | disputed | promised | in_court | paused (written off) | closed."""
    if invoice.status not in OPEN_STATUSES or invoice.open_amount <= 0:
        return "closed"
    if invoice.in_court:
        return "in_court"
    if invoice.written_off:
        return "paused"
    if invoice.disputed:
        return "disputed"
    if _promise_pending(invoice, promises, today, grace_days):
        return "promised"
    return invoice.status


def _promise_pending(invoice: InvoiceState, promises: tuple[PromiseState, ...], today: date, grace: int) -> bool:
    """A pending promise not yet past its date (+ grace) covers the invoice; a broken one does not."""
    for p in promises:
        if p.status != "pending" or p.promised_date + timedelta(days=grace) < today:
            continue
        if p.invoice_id == invoice.id or p.invoice_id is None or invoice.promised:
            return True
    return False


def due_step(ladder: tuple[Step, ...], invoice: InvoiceState, today: date, done: Set[str]) -> Step | None:
    """The latest step the invoice's age has reached, unless it or a later step was sent already."""
    reached = [i for i, s in enumerate(ladder) if s.trigger(invoice.issue_date, invoice.due_date) <= today]
    if not reached:
        return None
    target = reached[-1]
    if any(s.name in done for s in ladder[target:]):
        return None
    return ladder[target]


def plan(customers: list[CustomerState], policy: Policy, today: date, done: Mapping[int, Set[str]],
         working_day: Callable[[date, str], bool] | None = is_working_day) -> Plan:
    """One message per customer per channel for the invoices whose next step is due today.

    `done` maps invoice id -> names of steps already queued for it. `working_day=None` ignores the
    calendar (a dry run on a Sunday still shows what Monday would send).
    """
    out = Plan()
    for customer in customers:
        if working_day is not None and not working_day(today, customer.country):
            out.skipped += [Skip(customer.id, None, "not_working_day")]
            continue
        _plan_customer(customer, policy, today, done, out)
    return out


def _plan_customer(customer: CustomerState, policy: Policy, today: date, done: Mapping[int, Set[str]],
                   out: Plan) -> None:
    ladder = policy.ladder(customer.segment)
    rank = {s.name: i for i, s in enumerate(ladder)}
    by_channel: dict[str, list[PlannedInvoice]] = defaultdict(list)
    for invoice in customer.invoices:
        state = invoice_state(invoice, customer.promises, today, policy.promise_grace_days)
        if state == "closed":
            continue
        if state not in OPEN_STATUSES:
            out.skipped.append(Skip(customer.id, invoice.id, state))
            continue
        step = due_step(ladder, invoice, today, done.get(invoice.id, frozenset()))
        if step is None:
            continue
        if invoice.open_amount < step.min_amount:
            out.skipped.append(Skip(customer.id, invoice.id, "below_minimum"))
            continue
        item = PlannedInvoice(invoice, step, (today - invoice.due_date).days)
        for channel in step.channels:
            by_channel[channel].append(item)
    for channel, items in by_channel.items():
        recipient = _recipient(customer, channel)
        reason = "opted_out" if channel in customer.opt_outs or "all" in customer.opt_outs else (
            None if recipient else "no_contact")
        if reason:
            out.skipped += [Skip(customer.id, i.invoice.id, reason, channel) for i in items]
            continue
        step = max((i.step for i in items), key=lambda s: rank[s.name])
        out.messages.append(PlannedMessage(customer, channel, step, recipient, tuple(items), today))


def _recipient(customer: CustomerState, channel: str) -> str | None:
    if channel == "email":
        return customer.emails[0] if customer.emails else None
    if channel in ("sms", "vms"):
        return customer.phones[0] if customer.phones else None
    return customer.name if customer.has_address else None

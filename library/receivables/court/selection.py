"""Which debts go to court today, and why the others do not.

An invoice qualifies when its final demand went out, the demand's deadline (+ wait) has passed,
it is open, not disputed, no promise is pending, and nothing was paid after the demand. A
customer's qualifying invoices in one currency make one case if they reach `min_claim`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from receivables.court.facts import DemandFact, demand_fact, final_demands, load_invoices, open_disputes
from receivables.court.rules import CourtRules
from receivables.dunning.planner import OPEN_STATUSES, InvoiceState, PromiseState, invoice_state
from receivables.dunning.policy import Policy
from receivables.ledger.models import Customer, Invoice, Promise

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Skipped:
    customer: str
    invoice: str | None
    reason: str  # no_final_demand | deadline_not_passed | disputed | promised | paid_after_demand | under_threshold | in_court
    detail: str = ""


@dataclass
class Selection:
    groups: dict[tuple[int, str], dict[int, DemandFact]] = field(default_factory=dict)  # (customer, currency) -> invoice -> demand
    skipped: list[Skipped] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return dict(Counter(s.reason for s in self.skipped))


def deadline_days(policy: Policy, segment: str | None, step: str) -> int | None:
    for s in policy.ladder(segment):
        if s.name == step:
            return s.deadline_days or 0
    return None


def select_cases(s: Session, rules: CourtRules, policy: Policy, today: date,
                 customer_ids: list[int] | None = None, invoice_ids: list[int] | None = None) -> Selection:
    step = rules.selection.final_demand_step
    query = select(Invoice).where(Invoice.status.in_(OPEN_STATUSES), Invoice.kind == "invoice",
                                  Invoice.open_amount > 0, Invoice.missing_from_source.is_(False),
                                  Invoice.written_off.is_(False), Invoice.in_court.is_(False))
    if customer_ids is not None:
        query = query.where(Invoice.customer_id.in_(customer_ids))
    if invoice_ids is not None:
        query = query.where(Invoice.id.in_(invoice_ids))
    invoices = list(s.scalars(query))
    out = Selection()
    if not invoices:
        return out
    demands = final_demands(s, [i.id for i in invoices], step)
    customers = {c.id: c for c in s.scalars(select(Customer).where(Customer.id.in_({i.customer_id for i in invoices})))}
    with_demand = [i for i in invoices if i.id in demands]
    promises: dict[int, list[PromiseState]] = defaultdict(list)
    for p in s.scalars(select(Promise).where(Promise.customer_id.in_({i.customer_id for i in with_demand}),
                                             Promise.status == "pending")):
        promises[p.customer_id].append(PromiseState(p.invoice_id, p.promised_date, p.status))
    payments = {f.id: f.payments for f in load_invoices(s, [i.id for i in with_demand])} if with_demand else {}
    disputes = {cid: open_disputes(s, cid) for cid in {i.customer_id for i in with_demand}}
    candidates: dict[tuple[int, str], dict[int, DemandFact]] = defaultdict(dict)
    for inv in invoices:
        c = customers[inv.customer_id]
        if inv.id not in demands:
            out.skipped.append(Skipped(c.external_id, inv.number, "no_final_demand"))
            continue
        days = deadline_days(policy, c.segment, step)
        demand = demand_fact(demands[inv.id], days or 0, None)
        if demand is None:
            out.skipped.append(Skipped(c.external_id, inv.number, "no_final_demand", "queued, never sent"))
            continue
        if (today - demand.deadline).days <= rules.selection.wait_days:
            out.skipped.append(Skipped(c.external_id, inv.number, "deadline_not_passed",
                                       f"deadline {demand.deadline.isoformat()}"))
            continue
        state = InvoiceState(inv.id, inv.number, inv.issue_date, inv.due_date, inv.currency, inv.gross,
                             inv.open_amount, inv.status, inv.disputed, inv.promised, inv.in_court, inv.written_off)
        reason = invoice_state(state, tuple(promises[c.id]), today, policy.promise_grace_days)
        if reason not in OPEN_STATUSES:
            out.skipped.append(Skipped(c.external_id, inv.number, reason))
            continue
        if inv.id in disputes[c.id] or None in disputes[c.id]:
            out.skipped.append(Skipped(c.external_id, inv.number, "disputed", "open dispute"))
            continue
        later = [p for p in payments.get(inv.id, ()) if p.on > demand.day]
        if later:
            out.skipped.append(Skipped(c.external_id, inv.number, "paid_after_demand",
                                       f"{later[-1].amount} on {later[-1].on.isoformat()}"))
            continue
        candidates[(c.id, inv.currency)][inv.id] = demand
    open_by_id = {i.id: i.open_amount for i in invoices}
    for (cid, currency), chosen in candidates.items():
        total = sum((open_by_id[i] for i in chosen), ZERO)
        minimum = rules.selection.min_claim.get(currency)
        if minimum is None or total < minimum:
            numbers = [i.number for i in invoices if i.id in chosen]
            out.skipped += [Skipped(customers[cid].external_id, n, "under_threshold",
                                    f"{total} {currency} < {minimum}") for n in numbers]
            continue
        out.groups[(cid, currency)] = chosen
    return out

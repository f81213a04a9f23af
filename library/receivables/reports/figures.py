"""The report's numbers, from ledger facts: aging, DSO, CEI, promises, contact results, cash per week.

Every amount is per currency (PLN and EUR are never added together) and exact to the cent.
Invoices written off are left out of receivables, sales and CEI, and counted separately; an
invoice's open amount on a past day is rebuilt from its gross, the credit notes issued by then
and the payments booked by then, so the figures of any day agree with the ledger of that day.
The definitions printed in the report (labels, 'definitions') say the same in words.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from receivables.ledger.queries import AGING_BUCKETS, aging_bucket
from receivables.reports.facts import ContactFact, InvoiceFact, LedgerFacts

BUCKETS = tuple(name for _, _, name in AGING_BUCKETS)
ZERO = Decimal("0.00")
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Span:
    start: date
    end: date  # inclusive

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def label(self) -> str:
        year, week, _ = self.start.isocalendar()
        return f"{year}-W{week:02d}"


@dataclass
class AgingRow:
    key: str  # customer, segment or manager; "" = none
    currency: str
    buckets: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(BUCKETS, ZERO))
    invoices: int = 0

    @property
    def total(self) -> Decimal:
        return sum(self.buckets.values(), ZERO)

    @property
    def overdue(self) -> Decimal:
        return self.total - self.buckets["current"]


@dataclass(frozen=True)
class DsoPoint:
    day: date
    currency: str
    receivables: Decimal
    sales: Decimal
    dso: Decimal | None  # days; None without sales in the window


@dataclass(frozen=True)
class CeiRow:
    span: Span
    currency: str
    beginning: Decimal
    sales: Decimal
    ending: Decimal
    ending_current: Decimal
    cei: Decimal | None  # percent; None when the denominator is not positive


@dataclass
class PromiseRow:
    key: str  # "week" | "trend" | a channel
    made: int = 0
    made_amount: dict[str, Decimal] = field(default_factory=dict)
    made_without_amount: int = 0
    due: int = 0
    kept: int = 0
    broken: int = 0
    pending: int = 0

    @property
    def kept_rate(self) -> Decimal | None:
        decided = self.kept + self.broken
        return _pct(Decimal(self.kept), Decimal(decided)) if decided else None


@dataclass
class ContactRow:
    kind: str
    name: str
    channel: str
    contacts: int = 0
    reached: int = 0
    promised: int = 0
    paid: int = 0
    paid_amount: dict[str, Decimal] = field(default_factory=dict)
    window_open: int = 0


@dataclass(frozen=True)
class CashRow:
    span: Span
    currency: str
    applied: Decimal  # posted allocations to invoices, by booking date
    received: Decimal  # incoming bank credits, allocated or not


@dataclass
class Report:
    as_of: date
    scope: str  # "" = the whole portfolio, else the account manager
    week: Span
    trend: Span
    weeks: list[Span]
    currencies: list[str]
    aging: dict[str, AgingRow]
    by_customer: list[AgingRow]
    by_segment: list[AgingRow]
    by_manager: list[AgingRow]
    credit_balances: dict[str, Decimal]
    written_off: dict[str, tuple[int, Decimal]]
    dso: list[DsoPoint]
    cei: list[CeiRow]
    promises: list[PromiseRow]
    promises_by_channel: list[PromiseRow]
    contacts: list[ContactRow]
    contacts_span: Span
    cash: list[CashRow]
    dso_days: int
    contact_days: int


@dataclass(frozen=True)
class Options:
    weeks: int = 12
    dso_days: int = 90
    contact_days: int = 7
    results_days: int = 28


def week_spans(as_of: date, weeks: int) -> list[Span]:
    """The last `weeks` ISO weeks (Monday to Sunday), the newest ending on `as_of` (week to date)."""
    monday = as_of - timedelta(days=as_of.weekday())
    return [Span(monday - timedelta(weeks=k), min(monday - timedelta(weeks=k) + timedelta(days=6), as_of))
            for k in range(weeks - 1, -1, -1)]


def build_report(facts: LedgerFacts, as_of: date, options: Options = Options(), scope: str = "") -> Report:
    weeks = week_spans(as_of, options.weeks)
    trend = Span(weeks[0].start, as_of)
    live = [i for i in facts.invoices if not i.written_off]
    customers = facts.customers
    aging = _aging(live, as_of, lambda i: "")
    by_customer = sorted(_aging(live, as_of, lambda i: _customer_label(facts, i.customer_id)).values(),
                         key=lambda r: (-r.overdue, -r.total, r.key))
    by_segment = sorted(_aging(live, as_of, lambda i: customers[i.customer_id].segment or "").values(),
                        key=lambda r: (r.currency, r.key))
    by_manager = sorted(_aging(live, as_of, lambda i: customers[i.customer_id].manager or "").values(),
                        key=lambda r: (r.currency, r.key))
    currencies = sorted({i.currency for i in facts.invoices} | {p.currency for p in facts.payments},
                        key=lambda c: (-(aging[("", c)].total if ("", c) in aging else ZERO), c))
    contacts_span = Span(as_of - timedelta(days=options.results_days - 1), as_of)
    return Report(
        as_of=as_of, scope=scope, week=weeks[-1], trend=trend, weeks=weeks, currencies=currencies,
        aging={r.currency: r for r in aging.values()}, by_customer=by_customer, by_segment=by_segment,
        by_manager=by_manager, credit_balances={c: credit_balances(live, as_of).get(c, ZERO) for c in currencies}, written_off=_written_off(facts.invoices),
        dso=[p for w in weeks for p in dso_points(live, w.end, options.dso_days)],
        cei=[r for s in [*weeks, trend] for r in cei_rows(live, s)],
        promises=promise_rows(facts, {"week": weeks[-1], "trend": trend}),
        promises_by_channel=promises_by_channel(facts, trend),
        contacts=contact_rows(facts, contacts_span, options.contact_days, as_of), contacts_span=contacts_span,
        cash=cash_rows(facts, weeks), dso_days=options.dso_days, contact_days=options.contact_days)


def _customer_label(facts: LedgerFacts, customer_id: int) -> str:
    c = facts.customers[customer_id]
    return f"{c.name} ({c.external_id})"


def _aging(invoices: Iterable[InvoiceFact], day: date, key: Callable[[InvoiceFact], str]) -> dict[tuple, AgingRow]:
    rows: dict[tuple, AgingRow] = {}
    for inv in invoices:
        owed = inv.open_on(day)
        if owed is None or owed <= ZERO:
            continue
        k = key(inv)
        row = rows.setdefault((k, inv.currency), AgingRow(k, inv.currency))
        row.buckets[aging_bucket((day - inv.due_date).days)] += owed
        row.invoices += 1
    return rows


def receivables(invoices: Iterable[InvoiceFact], day: date, current_only: bool = False) -> dict[str, Decimal]:
    """Positive open amounts at the end of `day` per currency; `current_only`: not yet past due."""
    out: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for inv in invoices:
        if current_only and inv.due_date < day:
            continue
        owed = inv.open_on(day)
        if owed is not None and owed > ZERO:
            out[inv.currency] += owed
    return out


def credit_balances(invoices: Iterable[InvoiceFact], day: date) -> dict[str, Decimal]:
    """What the company owes customers back: overpaid or over-credited invoices, as positive amounts."""
    out: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for inv in invoices:
        owed = inv.open_on(day)
        if owed is not None and owed < ZERO:
            out[inv.currency] -= owed
    return dict(out)


def credit_sales(invoices: Iterable[InvoiceFact], span: Span) -> dict[str, Decimal]:
    """Gross of invoices issued in the span less credit notes issued in the span, per currency."""
    out: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for inv in invoices:
        if inv.issue_date in span:
            out[inv.currency] += inv.gross
        for on, amount in inv.credits:
            if on in span:
                out[inv.currency] -= amount
    return out


def _written_off(invoices: Iterable[InvoiceFact]) -> dict[str, tuple[int, Decimal]]:
    out: dict[str, tuple[int, Decimal]] = {}
    for inv in invoices:
        if inv.written_off:
            n, amount = out.get(inv.currency, (0, ZERO))
            out[inv.currency] = (n + 1, amount + inv.open_amount)
    return out


def _pct(part: Decimal, whole: Decimal) -> Decimal:
    return (part * 100 / whole).quantize(TENTH, rounding=ROUND_HALF_UP)


def dso_points(invoices: list[InvoiceFact], day: date, window_days: int) -> list[DsoPoint]:
    """Standard DSO: receivables at the end of `day` / credit sales of the last `window_days` x days."""
    ar = receivables(invoices, day)
    sales = credit_sales(invoices, Span(day - timedelta(days=window_days - 1), day))
    points = []
    for currency in sorted(set(ar) | set(sales)):
        a, s = ar.get(currency, ZERO), sales.get(currency, ZERO)
        dso = (a * window_days / s).quantize(TENTH, rounding=ROUND_HALF_UP) if s > ZERO else None
        points.append(DsoPoint(day, currency, a, s, dso))
    return points


def cei_rows(invoices: list[InvoiceFact], span: Span) -> list[CeiRow]:
    """CEI = (beginning + credit sales - ending) / (beginning + credit sales - ending current) x 100."""
    begin = receivables(invoices, span.start - timedelta(days=1))
    end = receivables(invoices, span.end)
    end_current = receivables(invoices, span.end, current_only=True)
    sales = credit_sales(invoices, span)
    rows = []
    for currency in sorted(set(begin) | set(end) | set(sales)):
        b, s, e, c = (d.get(currency, ZERO) for d in (begin, sales, end, end_current))
        denominator = b + s - c
        rows.append(CeiRow(span, currency, b, s, e, c, _pct(b + s - e, denominator) if denominator > ZERO else None))
    return rows


def promise_rows(facts: LedgerFacts, spans: dict[str, Span]) -> list[PromiseRow]:
    return [_promises(facts, span, key, lambda p: True) for key, span in spans.items()]


def promises_by_channel(facts: LedgerFacts, span: Span) -> list[PromiseRow]:
    channels = sorted({p.channel for p in facts.promises if p.made_on in span or p.promised_date in span})
    return [_promises(facts, span, ch, lambda p, ch=ch: p.channel == ch) for ch in channels]


def _promises(facts: LedgerFacts, span: Span, key: str, keep: Callable) -> PromiseRow:
    """Made = recorded in the span; due = promised for a day in the span, with the ledger's verdict."""
    row = PromiseRow(key)
    for p in facts.promises:
        if not keep(p):
            continue
        if p.made_on in span:
            row.made += 1
            if p.amount is None or p.currency is None:
                row.made_without_amount += 1
            else:
                row.made_amount[p.currency] = row.made_amount.get(p.currency, ZERO) + p.amount
        if p.promised_date in span:
            row.due += 1
            if p.status == "kept":
                row.kept += 1
            elif p.status == "broken":
                row.broken += 1
            else:
                row.pending += 1
    return row


def contact_rows(facts: LedgerFacts, span: Span, days: int, as_of: date) -> list[ContactRow]:
    """Contacts in the span; each looks at the days [contact, contact + `days`] (up to `as_of`)."""
    by_invoice: dict[int, list] = defaultdict(list)
    by_customer: dict[int, list] = defaultdict(list)
    for p in facts.payments:
        by_invoice[p.invoice_id].append(p)
        by_customer[p.customer_id].append(p)
    promised_on: dict[int, list[date]] = defaultdict(list)
    for pr in facts.promises:
        promised_on[pr.customer_id].append(pr.made_on)
    rows: dict[tuple, ContactRow] = {}
    for c in sorted(facts.contacts, key=lambda c: (c.kind, c.name, c.channel)):
        if c.on not in span:
            continue
        window = Span(c.on, c.on + timedelta(days=days))
        row = rows.setdefault((c.kind, c.name, c.channel), ContactRow(c.kind, c.name, c.channel))
        row.contacts += 1
        row.reached += c.reached
        row.promised += c.promised or any(d in window for d in promised_on[c.customer_id])
        paid = _paid(c, window, by_invoice, by_customer)
        if paid:
            row.paid += 1
            for currency, amount in paid.items():
                row.paid_amount[currency] = row.paid_amount.get(currency, ZERO) + amount
        row.window_open += window.end > as_of
    return list(rows.values())


def _paid(c: ContactFact, window: Span, by_invoice: dict, by_customer: dict) -> dict[str, Decimal]:
    found = [p for i in c.invoice_ids for p in by_invoice[i]] if c.invoice_ids else by_customer[c.customer_id]
    out: dict[str, Decimal] = {}
    for p in found:
        if p.booking_date in window:
            out[p.currency] = out.get(p.currency, ZERO) + p.amount
    return out


def cash_rows(facts: LedgerFacts, weeks: list[Span]) -> list[CashRow]:
    applied: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    received: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    first, last = weeks[0].start, weeks[-1].end

    def week_of(day: date) -> date:
        return day - timedelta(days=day.weekday())

    for p in facts.payments:
        if first <= p.booking_date <= last:
            applied[(week_of(p.booking_date), p.currency)] += p.amount
    for r in facts.receipts:
        if first <= r.booking_date <= last:
            received[(week_of(r.booking_date), r.currency)] += r.amount
    currencies = sorted({c for _, c in applied} | {c for _, c in received})
    return [CashRow(w, c, applied[(w.start, c)], received[(w.start, c)]) for w in weeks for c in currencies]


def headline(report: Report) -> dict[str, dict[str, str | None]]:
    """The first figures per currency as decimal strings: for run summaries, `--json` and the e-mail."""
    dso = {p.currency: p.dso for p in report.dso if p.day == report.as_of}
    cei = {r.currency: r.cei for r in report.cei if r.span == report.week}
    cash = {r.currency: r.applied for r in report.cash if r.span == report.week}
    out = {}
    for currency in report.currencies:
        aging = report.aging.get(currency, AgingRow("", currency))
        values = {"open": aging.total, "overdue": aging.overdue, "over_90": aging.buckets["90+"],
                  "dso_days": dso.get(currency), "cei_week_pct": cei.get(currency),
                  "cash_applied_week": cash.get(currency, ZERO)}
        out[currency] = {k: None if v is None else str(v) for k, v in values.items()}
    return out

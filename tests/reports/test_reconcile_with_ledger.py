"""Report figures on a populated sandbox ledger against independent SQL over the same ledger, to the cent."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import text

from receivables.reports.facts import read_facts
from receivables.reports.figures import BUCKETS, Span, build_report, cei_rows, credit_sales, receivables

from .conftest import AS_OF

ZERO = Decimal("0.00")


def _money(cents) -> Decimal:
    return (Decimal(int(cents or 0)) / 100).quantize(Decimal("0.01"))


def _report(ledger, as_of=AS_OF):
    with ledger.session() as s:
        facts = read_facts(s)
    return facts, build_report(facts, as_of)


def _sql(ledger, query: str, **params):
    with ledger.engine.connect() as c:
        return c.execute(text(query), params).all()


def _bucket(days: int) -> str:
    # written out here rather than taken from the code under test
    if days <= 0:
        return "current"
    if days <= 30:
        return "1-30"
    if days <= 60:
        return "31-60"
    if days <= 90:
        return "61-90"
    return "90+"


def test_aging_equals_the_ledgers_open_amounts_per_currency_and_bucket(populated):
    _, report = _report(populated)
    rows = _sql(populated, "SELECT currency, due_date, open_amount FROM invoices WHERE kind = 'invoice' "
                           "AND status IN ('open', 'partially_paid') AND written_off = :no", no=False)
    expected: dict[str, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(BUCKETS, ZERO))
    for currency, due, cents in rows:
        due = due if isinstance(due, date) else date.fromisoformat(due)
        expected[currency][_bucket((AS_OF - due).days)] += _money(cents)
    assert set(report.aging) == set(expected) == {"PLN", "EUR"}
    for currency, buckets in expected.items():
        assert report.aging[currency].buckets == buckets
        assert report.aging[currency].total == sum(buckets.values())
    totals = dict(_sql(populated, "SELECT currency, SUM(open_amount) FROM invoices WHERE kind = 'invoice' "
                                  "AND status IN ('open', 'partially_paid') GROUP BY currency"))
    assert {c: r.total for c, r in report.aging.items()} == {c: _money(v) for c, v in totals.items()}


def test_aging_by_customer_manager_and_segment_add_up_to_the_total(populated):
    _, report = _report(populated)
    for rows in (report.by_customer, report.by_manager, report.by_segment):
        for currency, total in report.aging.items():
            mine = [r for r in rows if r.currency == currency]
            for bucket in BUCKETS:
                assert sum((r.buckets[bucket] for r in mine), ZERO) == total.buckets[bucket]
    per_customer = dict(_sql(populated, "SELECT c.name || ' (' || c.external_id || ')' || ':' || i.currency, "
                                        "SUM(i.open_amount) FROM invoices i JOIN customers c ON c.id = i.customer_id "
                                        "WHERE i.kind = 'invoice' AND i.status IN ('open', 'partially_paid') "
                                        "GROUP BY c.name, c.external_id, i.currency"))
    assert {f"{r.key}:{r.currency}": r.total for r in report.by_customer} == {
        k: _money(v) for k, v in per_customer.items()}


OPEN_ON = """
SELECT i.currency, i.gross
     + COALESCE((SELECT SUM(n.gross) FROM invoices n WHERE n.corrects_id = i.id AND n.issue_date <= :day), 0)
     - COALESCE((SELECT SUM(a.amount) FROM allocations a JOIN bank_transactions t ON t.id = a.transaction_id
                 WHERE a.invoice_id = i.id AND a.status IN ('auto', 'confirmed') AND t.booking_date <= :day), 0),
     i.due_date
FROM invoices i WHERE i.kind = 'invoice' AND i.written_off = :no AND i.issue_date <= :day
"""


def _sql_receivables(ledger, day: date, current_only: bool = False) -> dict[str, Decimal]:
    out: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for currency, cents, due in _sql(ledger, OPEN_ON, day=day, no=False):
        due = due if isinstance(due, date) else date.fromisoformat(due)
        if _money(cents) > 0 and not (current_only and due < day):
            out[currency] += _money(cents)
    return dict(out)


def _sql_sales(ledger, start: date, end: date) -> dict[str, Decimal]:
    rows = _sql(ledger, "SELECT i.currency, SUM(i.gross) FROM invoices i LEFT JOIN invoices o ON o.id = i.corrects_id "
                        "WHERE i.issue_date BETWEEN :a AND :b AND COALESCE(o.written_off, i.written_off) = :no "
                        "GROUP BY i.currency", a=start, b=end, no=False)
    return {c: _money(v) for c, v in rows}


def test_receivables_on_past_days_and_dso_match_sql_reconstruction(populated):
    facts, report = _report(populated)
    live = [i for i in facts.invoices if not i.written_off]
    for day in (AS_OF - timedelta(days=45), AS_OF - timedelta(days=100), AS_OF):
        assert dict(receivables(live, day)) == _sql_receivables(populated, day)
    for point in (p for p in report.dso if p.day == report.weeks[-4].end):
        sales = _sql_sales(populated, point.day - timedelta(days=89), point.day)
        ar = _sql_receivables(populated, point.day)
        assert point.sales == sales[point.currency] and point.receivables == ar[point.currency]
        # standard DSO: receivables / 90-day credit sales x 90, to a tenth of a day
        assert point.dso == (ar[point.currency] * 90 / sales[point.currency]).quantize(Decimal("0.1"))


def test_cei_of_a_week_from_sql_figures(populated):
    facts, report = _report(populated)
    span = report.weeks[-3]
    begin = _sql_receivables(populated, span.start - timedelta(days=1))
    end = _sql_receivables(populated, span.end)
    end_current = _sql_receivables(populated, span.end, current_only=True)
    sales = _sql_sales(populated, span.start, span.end)
    rows = {r.currency: r for r in report.cei if r.span == span}
    for currency, row in rows.items():
        b, s, e, c = (d.get(currency, ZERO) for d in (begin, sales, end, end_current))
        assert (row.beginning, row.sales, row.ending, row.ending_current) == (b, s, e, c)
        assert row.cei == ((b + s - e) * 100 / (b + s - c)).quantize(Decimal("0.1"))
    assert rows == {r.currency: r for r in cei_rows([i for i in facts.invoices if not i.written_off], span)}


def test_cash_per_week_matches_allocations_and_bank_credits(populated):
    _, report = _report(populated)
    assert report.cash, "the sandbox world has payments in the last weeks"
    for row in report.cash:
        applied = _sql(populated, "SELECT SUM(a.amount) FROM allocations a JOIN bank_transactions t "
                                  "ON t.id = a.transaction_id WHERE a.status IN ('auto', 'confirmed') "
                                  "AND t.currency = :c AND t.booking_date BETWEEN :a AND :b",
                       c=row.currency, a=row.span.start, b=row.span.end)[0][0]
        received = _sql(populated, "SELECT SUM(amount) FROM bank_transactions WHERE amount > 0 AND currency = :c "
                                   "AND booking_date BETWEEN :a AND :b", c=row.currency, a=row.span.start,
                        b=row.span.end)[0][0]
        assert (row.applied, row.received) == (_money(applied), _money(received))
    assert sum((r.applied for r in report.cash), ZERO) > 0


def test_credit_sales_net_of_credit_notes_match_sql(populated):
    facts, _ = _report(populated)
    span = Span(AS_OF - timedelta(days=180), AS_OF)
    notes = _sql(populated, "SELECT COUNT(*) FROM invoices WHERE kind = 'credit_note' AND issue_date BETWEEN :a AND :b",
                 a=span.start, b=span.end)[0][0]
    assert notes > 0, "the world issues credit notes: the case this test is for"
    assert dict(credit_sales(facts.invoices, span)) == _sql_sales(populated, span.start, span.end)

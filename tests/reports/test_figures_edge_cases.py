"""Hand-built ledgers with the arithmetic in comments: bucket boundaries, partial payments, credit notes,
overpayment, write-offs, currencies, DSO, CEI, promises and contact results (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

from receivables.reports.facts import read_facts
from receivables.reports.figures import build_report

from tests.reports.builders import call, campaign, credit_note, customer, invoice, pay, promise, reminder

AS_OF = date(2026, 10, 30)  # Friday of ISO week 44 (26.10 - 30.10)


def days(n: int) -> date:
    return AS_OF - timedelta(days=n)


def report_of(ledger, as_of=AS_OF):
    with ledger.session() as s:
        return build_report(read_facts(s), as_of)


def test_buckets_partial_payments_credit_notes_overpayment_write_offs_and_currencies(ledger):
    with ledger.session() as s:
        a = customer(s, "A", manager="Anna", segment="SME")
        b = customer(s, "B")
        today = invoice(s, a, "100.00", days(0))                # due today: 0 days past due -> current
        invoice(s, a, "200.00", days(30))                       # 30 days -> 1-30
        partial = invoice(s, a, "300.00", days(31))             # 31 days -> 31-60
        pay(s, partial, "120.00", days(5))                      # 300 - 120 = 180
        credited = invoice(s, a, "400.00", days(90))            # 90 days -> 61-90
        credit_note(s, credited, "150.00", days(60))            # 400 - 150 = 250
        invoice(s, a, "500.00", days(91))                       # 91 days -> 90+
        over = invoice(s, a, "50.00", days(10))
        pay(s, over, "80.00", days(3))                          # paid 30 too much: a credit balance, not aging
        invoice(s, a, "999.00", days(200), written_off=True)    # left out, counted apart
        invoice(s, b, "70.00", days(45), currency="EUR")        # 45 days -> 31-60, in EUR
        pay(s, today, "100.00", AS_OF + timedelta(days=1))      # booked after the report date: still open then
    r = report_of(ledger)
    pln, eur = r.aging["PLN"], r.aging["EUR"]
    assert pln.buckets == {"current": D("100.00"), "1-30": D("200.00"), "31-60": D("180.00"),
                           "61-90": D("250.00"), "90+": D("500.00")}
    assert pln.total == D("1230.00") and pln.overdue == D("1130.00")  # 100+200+180+250+500; less 100 not due
    assert eur.total == D("70.00") and eur.buckets["31-60"] == D("70.00")  # never added to PLN
    assert r.credit_balances == {"PLN": D("30.00"), "EUR": D("0.00")}
    assert r.written_off == {"PLN": (1, D("999.00"))}
    assert r.currencies == ["PLN", "EUR"]  # the larger open total first
    assert {(m.key, m.currency): m.total for m in r.by_manager} == {("Anna", "PLN"): D("1230.00"),
                                                                     ("", "EUR"): D("70.00")}
    assert {(m.key, m.currency) for m in r.by_segment} == {("SME", "PLN"), ("", "EUR")}
    later = report_of(ledger, AS_OF + timedelta(days=1))
    assert later.aging["PLN"].total == D("1130.00")  # the 100.00 paid on 31.10


def test_dso_standard_method(ledger):
    with ledger.session() as s:
        c = customer(s, "C")
        invoice(s, c, "900.00", days(-20), issued=days(10))     # in the 90-day window, not due
        invoice(s, c, "300.00", days(70), issued=days(100))     # before the window, still open
        paid = invoice(s, c, "600.00", days(0), issued=days(30))  # in the window, paid
        pay(s, paid, "600.00", days(5))
    [point] = [p for p in report_of(ledger).dso if p.day == AS_OF]
    # receivables 900 + 300 = 1200; credit sales of the window 900 + 600 = 1500; 1200 / 1500 x 90 = 72.0
    assert (point.receivables, point.sales, point.dso) == (D("1200.00"), D("1500.00"), D("72.0"))


def test_cei_of_the_report_week(ledger):
    with ledger.session() as s:
        c = customer(s, "C")
        x = invoice(s, c, "1000.00", date(2026, 10, 20), issued=date(2026, 10, 1))
        invoice(s, c, "500.00", date(2026, 11, 10), issued=date(2026, 10, 27))
        pay(s, x, "600.00", date(2026, 10, 28))
    r = report_of(ledger)
    [row] = [c for c in r.cei if c.span == r.week]
    # beginning (25.10) 1000; sales 500; ending 400 + 500 = 900; ending current (not due) 500
    # CEI = (1000 + 500 - 900) / (1000 + 500 - 500) x 100 = 600 / 1000 x 100 = 60.0
    assert (row.beginning, row.sales, row.ending, row.ending_current) == (
        D("1000.00"), D("500.00"), D("900.00"), D("500.00"))
    assert row.cei == D("60.0")


def test_promises_made_kept_broken_pending(ledger):
    with ledger.session() as s:
        c = customer(s, "C")
        promise(s, c, date(2026, 10, 27), date(2026, 10, 29), "kept", "100.00", channel="email")
        promise(s, c, date(2026, 10, 20), date(2026, 10, 28), "broken", "200.00", channel="call")
        promise(s, c, date(2026, 10, 28), date(2026, 11, 5), "pending", None, channel="call")
        promise(s, c, date(2026, 10, 29), date(2026, 10, 30), "pending", "50.00", currency="EUR", channel="email")
        promise(s, c, date(2026, 9, 1), date(2026, 9, 5), "kept", "10.00", channel="call")
    r = report_of(ledger)
    week, trend = r.promises
    # made this week: 27.10, 28.10, 29.10; due this week: 29.10 kept, 28.10 broken, 30.10 pending
    assert (week.made, week.made_without_amount, week.made_amount) == (3, 1, {"PLN": D("100.00"), "EUR": D("50.00")})
    assert (week.due, week.kept, week.broken, week.pending, week.kept_rate) == (3, 1, 1, 1, D("50.0"))
    # 12 weeks: all five made; due: all but the one for 05.11; kept 2 of 3 decided = 66.7 %
    assert (trend.made, trend.due, trend.kept, trend.broken, trend.pending) == (5, 4, 2, 1, 1)
    assert trend.kept_rate == D("66.7")
    by_channel = {p.key: (p.made, p.kept, p.broken, p.kept_rate) for p in r.promises_by_channel}
    assert by_channel == {"call": (3, 1, 1, D("50.0")), "email": (2, 1, 0, D("100.0"))}


def test_reminder_and_campaign_results(ledger):
    with ledger.session() as s:
        c = customer(s, "C")
        d = customer(s, "D")
        c1 = invoice(s, c, "1000.00", date(2026, 9, 30))
        c2 = invoice(s, c, "500.00", date(2026, 9, 30))
        c3 = invoice(s, c, "300.00", date(2026, 9, 30))
        reminder(s, c, [c1], date(2026, 9, 20))                             # before the 28 days: not counted
        reminder(s, c, [c1], date(2026, 10, 7))                             # window 07.10 - 14.10
        pay(s, c1, "400.00", date(2026, 10, 14))                            # 7th day: within
        promise(s, c, date(2026, 10, 9), date(2026, 10, 20), "pending")     # within the 07.10 window only
        reminder(s, c, [c2], date(2026, 10, 10))                            # window 10.10 - 17.10
        pay(s, c2, "500.00", date(2026, 10, 18))                            # 8th day: too late
        reminder(s, c, [c3], date(2026, 10, 28), step="overdue_30", channel="sms", sent=False)  # window still open
        camp = campaign(s, "camp-1")
        call(s, camp, c, date(2026, 10, 20), "no_answer")
        call(s, camp, c, date(2026, 10, 21), "answered", "promise", attempt=2)
        pay(s, c3, "300.00", date(2026, 10, 25))                            # 5 days after the first dial
        call(s, camp, d, date(2026, 10, 22), "no_answer")
    r = report_of(ledger)
    rows = {(x.kind, x.name, x.channel): x for x in r.contacts}
    seven = rows[("reminder", "overdue_7", "email")]
    assert (seven.contacts, seven.reached, seven.promised, seven.paid, seven.window_open) == (2, 2, 1, 1, 0)
    assert seven.paid_amount == {"PLN": D("400.00")}
    sms = rows[("reminder", "overdue_30", "sms")]
    assert (sms.contacts, sms.reached, sms.paid, sms.window_open) == (1, 0, 0, 1)  # c3 was paid before 28.10
    calls = rows[("call", "camp-1", "call")]
    assert (calls.contacts, calls.reached, calls.promised, calls.paid) == (2, 1, 1, 1)
    assert calls.paid_amount == {"PLN": D("300.00")}

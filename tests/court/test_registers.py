"""Debtor registers: the statutory conditions one by one, warning -> entry -> removal with their dates."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from receivables.court.facts import Party
from receivables.court.register_steps import mark_warning_sent, run_registers
from receivables.court.registers import Debt, check_conditions, next_step
from receivables.court.rules import load_rules
from receivables.ledger.models import Event, RegisterEntry
from tests.court.builders import add_debtor, add_invoice, pay

RULES = load_rules()
RR = RULES.registers


def party(consumer=False, country="PL") -> Party:
    return Party("K1", "X", "ul. A 1", "00-001", "Warszawa", country, "pl", None, None, None, consumer, None)


def ok(checks) -> dict[str, bool]:
    return {c.name: c.ok for c in checks}


TODAY = date(2026, 5, 2)


@pytest.mark.parametrize(("consumer", "amount", "days", "expected"), [
    (False, "500.00", 30, {"amount": True, "days_overdue": True}),
    (False, "499.99", 30, {"amount": False, "days_overdue": True}),
    (False, "500.00", 29, {"amount": False, "days_overdue": False}),  # nothing is 30 days overdue yet
    (True, "200.00", 60, {"amount": True, "days_overdue": True}),
    (True, "199.99", 60, {"amount": False, "days_overdue": True}),
    (True, "5000.00", 59, {"amount": False, "days_overdue": False}),
])
def test_amount_and_days(consumer, amount, days, expected) -> None:
    debts = [Debt(1, "FV/1", TODAY - timedelta(days=days), D(amount))]
    got = ok(check_conditions(party(consumer), debts, TODAY, RR, None))
    assert {k: got[k] for k in expected} == expected
    assert got["debtor_in_poland"] and not got["warning_sent"]


def test_only_polish_debtors() -> None:
    debts = [Debt(1, "FV/1", TODAY - timedelta(days=90), D("5000"))]
    assert not ok(check_conditions(party(country="DE"), debts, TODAY, RR, None))["debtor_in_poland"]
    assert next_step(None, check_conditions(party(country="DE"), debts, TODAY, RR, None), debts) is None


@pytest.mark.parametrize(("days_ago", "allowed"), [(29, False), (30, True), (31, True)])
def test_warning_must_be_a_month_old(days_ago, allowed) -> None:
    # sent 2 April 2026 (+29 days = 1 May: not yet; a month after 2 April is 2 May)
    debts = [Debt(1, "FV/1", date(2026, 1, 5), D("800"))]
    sent = TODAY - timedelta(days=days_ago)
    checks = check_conditions(party(), debts, TODAY, RR, sent)
    assert ok(checks)["warning_sent"] is allowed
    assert next_step("warning_sent", checks, debts) == ("prepare_entry" if allowed else None)


def test_prepared_but_unconfirmed_warning_is_not_sent() -> None:
    debts = [Debt(1, "FV/1", date(2026, 1, 5), D("800"))]
    checks = check_conditions(party(), debts, TODAY, RR, None)
    assert next_step("warning_prepared", checks, debts) is None


def test_warning_entry_removal_on_the_ledger(settings, ledger, tmp_path) -> None:
    cid = add_debtor(ledger, "K00012")
    inv = add_invoice(ledger, cid, "FV/2026/01/0005", "800.00", date(2026, 1, 5))
    folder = tmp_path / "registers"

    def step(day):
        with ledger.session() as s:
            return run_registers(s, RULES, settings.company, day, folder, None)

    assert step(date(2026, 2, 3)) == {"steps": {}, "notes": []}  # due 5 January: 29 days overdue
    assert step(date(2026, 2, 4))["steps"] == {"prepare_warning": 1}  # 30 days, 800 zł >= 500 zł
    with ledger.session() as s:
        row = s.scalar(select(RegisterEntry))
        assert (row.key, row.status, row.warning_prepared_on) == ("register:K00012:KRD", "warning_prepared",
                                                                 date(2026, 2, 4))
        assert {c["name"]: c["ok"] for c in row.conditions["checks"]} == {
            "debtor_in_poland": True, "amount": True, "days_overdue": True, "warning_sent": False}
    assert (folder / "K00012-KRD" / "ostrzezenie-2026-02-04.pdf").exists()
    assert step(date(2026, 3, 20)) == {"steps": {}, "notes": []}  # not confirmed: no entry, ever
    with ledger.session() as s:
        mark_warning_sent(s, RULES, "K00012", "KRD", date(2026, 3, 2))
    assert step(date(2026, 4, 1)) == {"steps": {}, "notes": []}  # 30 days, a month is 2 April
    assert step(date(2026, 4, 2))["steps"] == {"prepare_entry": 1}
    entry = (folder / "K00012-KRD" / "wpis-2026-04-02.csv").read_text(encoding="utf-8-sig")
    assert "FV/2026/01/0005;2026-01-05;800.00;PLN;2026-03-02" in entry
    pay(ledger, inv, "800.00", date(2026, 4, 10), "tx-paid")
    assert step(date(2026, 4, 13))["steps"] == {"prepare_removal": 1}
    with ledger.session() as s:
        row = s.scalar(select(RegisterEntry))
        assert (row.status, row.paid_on, row.removal_prepared_on) == ("removal_prepared", date(2026, 4, 10),
                                                                      date(2026, 4, 13))
        kinds = [e.kind for e in s.scalars(select(Event).order_by(Event.id)) if e.kind.startswith("register_")]
    assert kinds == ["register_prepare_warning", "register_warning_sent", "register_prepare_entry",
                     "register_prepare_removal"]
    removal = (folder / "K00012-KRD" / "usuniecie-2026-04-13.csv").read_text(encoding="utf-8-sig")
    assert "2026-04-10;2026-04-24" in removal  # paid 10 April + 14 days


def test_mark_sent_refuses_unknown_or_early_dates(cledger) -> None:
    with cledger.session() as s, pytest.raises(LookupError, match="no register warning prepared"):
        mark_warning_sent(s, RULES, "K99999", "KRD", date(2026, 3, 2))

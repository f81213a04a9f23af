"""The planner as a pure function: pauses per invoice, promises, opt-outs, calendar, catch-up, segments."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D
from pathlib import Path

import pytest

from receivables.config import PROJECT_ROOT
from receivables.dunning.calendar import is_working_day
from receivables.dunning.planner import CustomerState, InvoiceState, PromiseState, due_step, plan
from receivables.dunning.policy import PolicyError, load_policy

POLICY = load_policy(PROJECT_ROOT / "config" / "dunning.yaml")
TODAY = date(2026, 3, 10)


def inv(i: int, days_late: int, amount: str = "500.00", **flags) -> InvoiceState:
    due = TODAY - timedelta(days_late)
    return InvoiceState(i, f"FV/{i}", due - timedelta(14), due, "PLN", D(amount), D(amount), "open", **flags)


def cust(*invoices, **kw) -> CustomerState:
    base = dict(id=1, external_id="K1", name="Firma", country="PL", language="pl", segment=None,
                emails=("a@b.pl",), phones=("+48600100200",), invoices=invoices)
    return CustomerState(**{**base, **kw})


def test_promise_pauses_until_it_expires_then_the_sequence_resumes():
    c = cust(inv(1, 14), promises=(PromiseState(1, TODAY + timedelta(3), "pending"),))
    p = plan([c], POLICY, TODAY, {})
    assert not p.messages and [s.reason for s in p.skipped] == ["promised"]
    broken = cust(inv(1, 14), promises=(PromiseState(1, TODAY - timedelta(5), "pending"),))
    assert [m.step.name for m in plan([broken], POLICY, TODAY, {}).messages] == ["overdue_14", "overdue_14"]


def test_opt_out_of_one_channel_keeps_the_others():
    p = plan([cust(inv(1, 14), opt_outs=frozenset({"sms", "marketing"}))], POLICY, TODAY, {})
    assert [m.channel for m in p.messages] == ["email"] and p.skipped[0].reason == "opted_out"


def test_no_contact_is_a_skip_with_a_reason():
    p = plan([cust(inv(1, 14), emails=(), phones=())], POLICY, TODAY, {})
    assert not p.messages and {s.reason for s in p.skipped} == {"no_contact"}


def test_in_court_and_below_minimum_and_several_invoices_in_one_message():
    p = plan([cust(inv(1, 14), inv(2, 14, in_court=True), inv(3, 15, amount="10.00"), inv(4, 20))], POLICY, TODAY, {})
    email = next(m for m in p.messages if m.channel == "email")
    assert [i.invoice.number for i in email.invoices] == ["FV/1", "FV/4"]
    assert sorted(s.reason for s in p.skipped) == ["below_minimum", "in_court"]


@pytest.mark.parametrize("day,country,working", [
    (date(2026, 3, 14), "PL", False),  # Saturday
    (date(2026, 5, 3), "PL", False),  # Constitution Day (a Sunday anyway)
    (date(2026, 11, 11), "PL", False),  # Independence Day, a Wednesday
    (date(2026, 10, 3), "DE", False),  # Tag der Deutschen Einheit
    (date(2026, 11, 11), "DE", True),
    (date(2026, 3, 10), "DE", True),
])
def test_working_days_by_the_debtors_country(day, country, working):
    assert is_working_day(day, country) is working


def test_no_plan_on_a_holiday_of_the_debtors_country():
    holiday = date(2026, 11, 11)
    pl = cust(inv(1, 14))
    de = cust(inv(2, 14), id=2, external_id="K2", country="DE", language="de")
    p = plan([pl, de], POLICY, holiday, {})
    assert {m.customer.external_id for m in p.messages} == {"K2"}


def test_catch_up_picks_the_step_for_the_age_once():
    ladder = POLICY.ladder(None)
    assert due_step(ladder, inv(1, 40), TODAY, set()).name == "overdue_30"
    assert due_step(ladder, inv(1, 40), TODAY, {"overdue_30"}) is None
    assert due_step(ladder, inv(1, 46), TODAY, {"overdue_30"}).name == "final_demand"
    assert due_step(ladder, inv(1, -3), TODAY, set()).name == "before_due"


def test_segments_chronic_late_sooner_key_account_softer():
    assert due_step(POLICY.ladder("chronic_late"), inv(1, 8), TODAY, set()).name == "overdue_14"
    assert due_step(POLICY.ladder(None), inv(1, 8), TODAY, set()).name == "overdue_3"
    key = plan([cust(inv(1, 3), segment="key_account")], POLICY, TODAY, {})
    assert [(m.channel, m.step.tone) for m in key.messages] == [("email", "soft")]


def test_policy_errors_name_the_file_and_the_key(tmp_path: Path):
    bad = tmp_path / "dunning.yaml"
    bad.write_text("steps:\n  - {name: x, days: 3, channels: [fax], template: overdue}\n")
    with pytest.raises(PolicyError, match=r"dunning.yaml.*\n.*steps\.0\.channels\.0"):
        load_policy(bad)
    bad.write_text("steps:\n  - {name: x, days: 3, channels: [email], template: overdue}\n"
                   "segments: {vip: {nope: {days: 1}}}\n")
    with pytest.raises(PolicyError, match="unknown steps"):
        load_policy(bad)

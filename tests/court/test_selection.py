"""Debts that must NOT go to court, each for its own reason; and jurisdiction rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from receivables.court.jurisdiction import choose_court, seat_court
from receivables.court.rules import load_rules
from receivables.court.selection import select_cases
from receivables.dunning.policy import load_policy
from receivables.config import config_dir
from tests.court.builders import (
    DEMAND, TODAY, add_debtor, add_invoice, dispute, pay, promise, send_final_demand,
)

RULES = load_rules()
POLICY = load_policy(config_dir() / "dunning.yaml")


def selection(ledger, today=TODAY):
    with ledger.session() as s:
        return select_cases(s, RULES, POLICY, today)


def one_debtor(ledger, gross="5000.00", **kw):
    cid = add_debtor(ledger)
    inv = add_invoice(ledger, cid, "FV/2025/12/0001", gross, date(2025, 12, 10), **kw)
    return cid, inv


def reasons(sel) -> set[str]:
    return {s.reason for s in sel.skipped}


def test_eligible_baseline(cledger) -> None:
    cid, inv = one_debtor(cledger)
    send_final_demand(cledger, cid, "K00012", [inv])
    assert list(selection(cledger).groups) == [(cid, "PLN")]


def test_disputed_invoice_flag(cledger) -> None:
    cid, inv = one_debtor(cledger, disputed=True)
    send_final_demand(cledger, cid, "K00012", [inv])
    sel = selection(cledger)
    assert not sel.groups and reasons(sel) == {"disputed"}


def test_open_dispute_of_the_whole_account(cledger) -> None:
    cid, inv = one_debtor(cledger)
    send_final_demand(cledger, cid, "K00012", [inv])
    dispute(cledger, cid, None)
    sel = selection(cledger)
    assert not sel.groups and reasons(sel) == {"disputed"}


def test_pending_promise(cledger) -> None:
    cid, inv = one_debtor(cledger)
    send_final_demand(cledger, cid, "K00012", [inv])
    promise(cledger, cid, inv, date(2026, 3, 15))
    sel = selection(cledger)
    assert not sel.groups and reasons(sel) == {"promised"}


def test_broken_promise_no_longer_protects(cledger) -> None:
    cid, inv = one_debtor(cledger)
    send_final_demand(cledger, cid, "K00012", [inv])
    promise(cledger, cid, inv, date(2026, 3, 1))  # 1 March + 2 grace days < 10 March
    assert list(selection(cledger).groups) == [(cid, "PLN")]


def test_under_threshold(cledger) -> None:
    cid, inv = one_debtor(cledger, gross="999.99")  # min_claim PLN 1000.00
    send_final_demand(cledger, cid, "K00012", [inv])
    sel = selection(cledger)
    assert not sel.groups and reasons(sel) == {"under_threshold"}


def test_paid_after_the_demand(cledger) -> None:
    cid, inv = one_debtor(cledger)
    send_final_demand(cledger, cid, "K00012", [inv])
    pay(cledger, inv, "100.00", date(2026, 2, 20), "tx-after")
    sel = selection(cledger)
    assert not sel.groups and reasons(sel) == {"paid_after_demand"}


def test_paid_in_full_is_not_a_case(cledger) -> None:
    cid, inv = one_debtor(cledger)
    send_final_demand(cledger, cid, "K00012", [inv])
    pay(cledger, inv, "5000.00", date(2026, 2, 20), "tx-full")
    sel = selection(cledger)
    assert not sel.groups and not sel.skipped


@pytest.mark.parametrize(("today", "eligible"), [(date(2026, 2, 23), False), (date(2026, 2, 24), True)])
def test_demand_deadline(cledger, today, eligible) -> None:
    cid, inv = one_debtor(cledger)
    send_final_demand(cledger, cid, "K00012", [inv])  # 16 Feb + 7 days = 23 Feb
    sel = selection(cledger, today)
    assert bool(sel.groups) is eligible
    if not eligible:
        assert reasons(sel) == {"deadline_not_passed"}


def test_queued_but_never_sent_demand(cledger) -> None:
    cid, inv = one_debtor(cledger)
    send_final_demand(cledger, cid, "K00012", [inv], sent=False)
    sel = selection(cledger)
    assert not sel.groups and reasons(sel) == {"no_final_demand"}


def test_regional_court_above_100000_and_civil_division_not_guessed() -> None:
    pl = RULES.pl
    big = seat_court(pl, "Kraków", "30-001", D("100001"), commercial=True)
    assert (big.court, big.division, big.level) == ("Sąd Okręgowy w Krakowie", "IX Wydział Gospodarczy", "okregowy")
    small = seat_court(pl, "Kraków", "30-001", D("100000"), commercial=True)
    assert small.level == "rejonowy"
    consumer = seat_court(pl, "Kraków", "30-001", D("5000"), commercial=False)
    assert consumer.court is None and "do uzupełnienia" in consumer.heading and consumer.checks
    unknown = seat_court(pl, "Zakopane", "34-500", D("5000"), commercial=True)
    assert unknown.court is None and "brak w tabeli" in unknown.reasons[-1]


def test_epu_only_for_claims_due_within_three_years() -> None:
    kw = dict(country="PL", city="Kraków", postal_code="30-001", value=D("5000"), commercial=True)
    assert choose_court(RULES.pl, due_dates=[date(2023, 3, 10)], filing_day=date(2026, 3, 10), **kw).procedure == "epu"
    old = choose_court(RULES.pl, due_dates=[date(2023, 3, 9)], filing_day=date(2026, 3, 10), **kw)
    assert old.procedure == "ordinary" and "EPU niedostępne" in old.reasons[0]
    assert old.court == "Sąd Rejonowy dla Krakowa-Śródmieścia w Krakowie"

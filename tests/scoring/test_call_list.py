"""The call list on a hand-made ledger (SQLite and PostgreSQL): who is called, who is not and why,
the order, the interest, the parts on disk, and a re-run that rewrites instead of adding."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from receivables.ledger.models import Customer, Event, Invoice
from receivables.scoring.calllist import CallListError, interest_due, latest_folder, read_parts
from receivables.scoring.handover import CallListPart
from receivables.scoring.robot import build_call_list, call_list_folder

from .conftest import AS_OF, NOW, add_attempts, add_debtor, add_dispute, add_opt_out, add_promise, fresh_runs

DAY = timedelta(days=1)


def overdue(days: int) -> date:
    return AS_OF - days * DAY


@pytest.fixture
def debtors(ledger):
    ids = {}
    ids["K1"], _ = add_debtor(ledger, "K1", [("FV/1", overdue(40), "10000.00")])
    ids["K2"], _ = add_debtor(ledger, "K2", [("FV/2", overdue(10), "3000.00")])
    ids["K3"], k3 = add_debtor(ledger, "K3", [("FV/3", overdue(20), "4000.00")])
    add_dispute(ledger, ids["K3"], k3["FV/3"])
    ids["K4"], k4 = add_debtor(ledger, "K4", [("FV/4a", overdue(30), "5000.00"), ("FV/4b", overdue(25), "800.00")])
    add_promise(ledger, ids["K4"], k4["FV/4b"], AS_OF + 7 * DAY)  # pending: FV/4b waits for it
    add_promise(ledger, ids["K4"], k4["FV/4a"], AS_OF - 9 * DAY)  # 9 days past its date (grace 2): call
    ids["K5"], _ = add_debtor(ledger, "K5", [("FV/5", overdue(15), "2500.00")])
    add_promise(ledger, ids["K5"], None, AS_OF + 3 * DAY)  # the whole debt promised
    ids["K6"], _ = add_debtor(ledger, "K6", [("FV/6", overdue(15), "2500.00")])
    add_opt_out(ledger, ids["K6"])
    ids["K7"], _ = add_debtor(ledger, "K7", [("FV/7", overdue(15), "2500.00")], phone_valid=False,
                              invalid_reason="wrong_number")
    ids["K8"], _ = add_debtor(ledger, "K8", [("FV/8", overdue(15), "2500.00")], phone=None)
    ids["K9"], _ = add_debtor(ledger, "K9", [("FV/9", overdue(15), "2500.00")])
    add_attempts(ledger, ids["K9"], 7, NOW - 5 * DAY)  # the cap: 7 calls in 7 days
    ids["K10"], _ = add_debtor(ledger, "K10", [("FV/10", overdue(20), "2000.00")])
    add_attempts(ledger, ids["K10"], 6, NOW - 5 * DAY)  # one below the cap: still called
    ids["K11"], _ = add_debtor(ledger, "K11", [("FV/11", overdue(50), "9000.00")], fraud=True)
    ids["K12"], _ = add_debtor(ledger, "K12", [("FV/12", overdue(15), "50.00")])
    ids["K13"], _ = add_debtor(ledger, "K13", [("FV/13", AS_OF + 5 * DAY, "7000.00")])  # not yet due
    ids["K14"], k14 = add_debtor(ledger, "K14", [("FV/14", overdue(90), "6000.00")])
    with ledger.session() as s:
        s.get(Invoice, k14["FV/14"]).in_court = True
    fresh_runs(ledger)
    return ids


def run(settings, ledger, today: date = AS_OF, **kw):
    with ledger.run("call-list") as r:
        return build_call_list(settings, ledger, r, today=today, now=NOW + (today - AS_OF), **kw)


def entries_of(settings, day: date = AS_OF):
    return sorted((e for p in read_parts(call_list_folder(settings, day)) for e in p.entries), key=lambda e: e.priority)


def test_who_is_called_in_which_order_and_who_is_not(settings, ledger, debtors):
    summary = run(settings, ledger)
    assert summary["model"]["kind"] == "rules"  # 14 debtors, no paid invoice: the rules, and it says so
    assert summary["model"]["reason"].startswith("not enough history: ")
    assert "known outcomes (need 300)" in summary["model"]["reason"]
    entries = entries_of(settings)
    assert [e.customer for e in entries] == ["K1", "K4", "K2", "K10"]
    assert [e.priority for e in entries] == [1, 2, 3, 4]
    not_called = {x["customer"]: x for x in json.loads(
        (call_list_folder(settings, AS_OF) / "summary.json").read_text())["not_called_detail"]}
    assert {k: v["reason"] for k, v in not_called.items()} == {
        "K3": "segment_no_call", "K5": "promised", "K6": "opted_out", "K7": "wrong_number", "K8": "no_phone",
        "K9": "called_too_often", "K11": "segment_no_call", "K12": "below_minimum", "K14": "nothing_callable"}
    assert not_called["K3"]["detail"] == "disputed" and not_called["K11"]["detail"] == "fraud_review"
    assert not_called["K7"]["detail"] == "wrong_number"
    assert not_called["K9"]["detail"] == "7 calls in 7 days"
    assert not_called["K14"]["detail"] == "in_court: 1"
    k4 = entries[1]
    assert [i.number for i in k4.invoices] == ["FV/4a"]  # FV/4b is covered by the pending promise


def test_score_amount_interest_and_risk_by_hand(settings, ledger, debtors):
    run(settings, ledger)
    k1, _k4, k2, k10 = entries_of(settings)
    # K1: 10,000.00 PLN due 40 days ago; statutory interest for commercial transactions 2026 H1 is 14.00%:
    # 10000 x 0.14 x 40 / 365 = 153.42
    assert k1.invoices[0].interest == D("153.42")
    assert k1.totals == {"PLN": D("10153.42")}
    # more than 30 days late already: risk 1; nobody called yet: reach (0 + 0.6 x 5) / 5 = 0.6;
    # no promises: persuade (0 + 0.5 x 4) / 4 = 0.5, segment high_risk keeps it (x 1.0)
    # score = 10153.42 x 0.6 x 0.5 x (0.25 + 0.75 x 1) = 3046.03 (3046.026)
    assert k1.segment == "high_risk" and k1.score == D("3046.03")
    # K2: 3,000.00 due 10 days ago: interest 3000 x 0.14 x 10 / 365 = 11.51; risk from the rules for a
    # customer with no history: (0 + 0.2 x 3) / (0 + 3) = 0.2; segment new_customer (x 1.0)
    # score = 3011.51 x 0.6 x 0.5 x (0.25 + 0.75 x 0.2) = 3011.51 x 0.12 = 361.38
    assert k2.invoices[0].interest == D("11.51") and k2.score == D("361.38")
    # K10: six unanswered calls: reach (0 + 3) / (6 + 5) = 3/11
    assert any(r.startswith("reach 27% x persuade 50%") for r in k10.reasons)
    assert k1.tax_id_last3 == "274" and k1.time_zone == "Europe/Warsaw" and k1.language == "pl"
    assert any("already 40 days past due" in r for r in k1.reasons)
    assert any(r.startswith("risk 1.00 of paying more than 30 days late") and "rules, no model" in r
               for r in k1.reasons)


def test_a_dry_run_reports_the_list_and_writes_nothing(settings, ledger, debtors):
    summary = run(settings, ledger, dry_run=True)
    assert summary["dry_run"] is True and summary["call_list"]["entries"] == 4
    assert summary["call_list"]["first"][0]["customer"] == "K1" and summary["changed"] == 14
    assert not call_list_folder(settings, AS_OF).exists()
    assert not (settings.paths.output / "models").exists()
    with ledger.session() as s:
        assert s.scalars(select(Customer.segment)).all() == [None] * 14
        assert s.scalars(select(Event).where(Event.kind == "segment_changed")).all() == []


def test_no_list_unless_the_bank_data_is_fresh(settings, ledger, debtors):
    later = NOW + timedelta(hours=40)  # the last import and reconcile are 40 h old (limit 36 h)
    with ledger.run("call-list") as r:
        summary = build_call_list(settings, ledger, r, today=AS_OF, now=later)
    assert summary["call_list"] is None
    assert summary["blocked"] == [
        f"not_fresh: no successful {robot} run in the last 36 h; today's list is not written"
        for robot in ("bank-statements", "reconcile")]
    assert not call_list_folder(settings, AS_OF).exists()
    with ledger.session() as s:  # the segments are still current
        assert s.scalar(select(Customer.segment).where(Customer.external_id == "K11")) == "fraud_review"


def test_interest_without_a_known_rate_is_zero_with_the_reason():
    due = interest_due(D("3000.00"), "PLN", date(2026, 5, 19), date(2026, 8, 3), "pl", consumer=False)
    assert due.amount == D("0.00") and "no rate known after" in due.problem


def test_the_list_says_where_interest_could_not_be_calculated(settings, ledger, debtors):
    later = AS_OF + 66 * DAY  # 2026-08-03: the shipped rate tables end before it
    fresh_runs(ledger, NOW + 66 * DAY)
    run(settings, ledger, today=later)
    k1 = next(e for e in entries_of(settings, later) if e.customer == "K1")
    assert k1.invoices[0].interest == D("0.00") and k1.totals == {"PLN": D("10000.00")}
    note = [r for r in k1.reasons if r.startswith("interest not calculated (0 on the list): FV/1: ")]
    assert len(note) == 1 and "no rate known after" in note[0]


def test_segments_are_written_and_logged_once(settings, ledger, debtors):
    run(settings, ledger)
    run(settings, ledger)
    with ledger.session() as s:
        segments = dict(s.execute(select(Customer.external_id, Customer.segment)).all())
        changes = s.scalars(select(Event).where(Event.kind == "segment_changed")).all()
    assert segments["K11"] == "fraud_review" and segments["K3"] == "disputed" and segments["K1"] == "high_risk"
    assert len(changes) == len(segments)  # the second run changed nothing, so logged nothing
    k3 = next(e for e in changes if e.customer_id == debtors["K3"])
    assert k3.details == {"segment": "disputed", "previous": None,
                          "why": "an open dispute; resolve it before chasing money"}


def test_a_rerun_the_same_day_rewrites_the_same_list(settings, ledger, debtors, tmp_path):
    from receivables.scoring.settings import ScoringSettings

    rules = tmp_path / "scoring.yaml"
    text = (settings.source_file.parent / "scoring.yaml").read_text(encoding="utf-8")
    rules.write_text(text.replace("part_size: 50 ", "part_size: 1 "), encoding="utf-8")
    scoring = ScoringSettings(rules=rules)
    first = run(settings, ledger, scoring=scoring)
    folder = call_list_folder(settings, AS_OF)
    files = {p.name: p.read_bytes() for p in folder.glob("part-*.json")}
    assert first["call_list"]["parts"] == 4 and sorted(files) == [f"part-00{i}.json" for i in (1, 2, 3, 4)]
    run(settings, ledger, scoring=scoring)
    assert {p.name: p.read_bytes() for p in folder.glob("part-*.json")} == files
    add_opt_out(ledger, debtors["K2"])
    again = run(settings, ledger, scoring=scoring)
    assert again["call_list"]["entries"] == 3
    parts = read_parts(folder)
    assert [p.part for p in parts] == [1, 2, 3] and {p.parts for p in parts} == {3}  # part-004 is gone
    assert latest_folder(folder.parent) == folder


def test_parts_are_interleaved_so_every_worker_gets_early_calls(settings, ledger, debtors):
    from receivables.scoring import calllist

    run(settings, ledger)
    entries = entries_of(settings)
    the_list = calllist.CallList(AS_OF, "calls-test", entries + [e.model_copy(update={"priority": e.priority + 4})
                                                                 for e in entries[:1]])
    parts = the_list.parts(2)
    # 5 entries in parts of at most 2: 3 parts, entry i (from 0) in part i mod 3
    assert [[e.priority for e in p.entries] for p in parts] == [[1, 4], [2, 5], [3]]
    assert all(p.parts == 3 and p.campaign == "calls-test" for p in parts)


def test_a_broken_part_file_is_named(settings, ledger, debtors):
    run(settings, ledger)
    folder = call_list_folder(settings, AS_OF)
    (folder / "part-001.json").write_text('{"campaign": "x"}', encoding="utf-8")
    with pytest.raises(CallListError, match="part-001.json: not a call-list part"):
        read_parts(folder)


def test_people_get_csv_and_xlsx_of_the_same_list(settings, ledger, debtors):
    import csv

    from openpyxl import load_workbook

    run(settings, ledger)
    folder = call_list_folder(settings, AS_OF)
    with (folder / "call-list.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert [r["customer"] for r in rows] == ["K1", "K4", "K2", "K10"]
    assert rows[0]["totals"] == "10153.42 PLN" and rows[0]["days_overdue"] == "40"
    wb = load_workbook(folder / "call-list.xlsx", read_only=True)
    sheet = [r for r in wb["Call list"].iter_rows(min_row=2, values_only=True)]
    assert [r[1] for r in sheet] == ["K1", "K4", "K2", "K10"]
    invoices = [r for r in wb["Invoices"].iter_rows(min_row=2, values_only=True)]
    assert [(r[2], r[6], r[7]) for r in invoices][0] == ("FV/1", 10000.0, 153.42)
    assert {r[0] for r in wb["Not called"].iter_rows(min_row=2, values_only=True)} >= {"K3", "K5", "K9"}


def test_a_part_is_the_shared_contract(settings, ledger, debtors):
    run(settings, ledger)
    part = read_parts(call_list_folder(settings, AS_OF))[0]
    again = CallListPart.model_validate(json.loads(part.model_dump_json()))
    assert again == part and part.kind == "call" and part.created == AS_OF and part.campaign == "calls-2026-05-29"

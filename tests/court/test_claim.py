"""The robot on a hand-computed case (SQLite and PostgreSQL): numbers, court, idempotency, in court."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D

from tests.court.builders import TODAY, pay, standard_case
from sqlalchemy import select

from receivables.court.robot import court_claims
from receivables.dunning.planner import InvoiceState, invoice_state
from receivables.ledger.models import CourtCase, Event, Invoice, OutboxMessage


def run(settings, ledger, today=TODAY, **kw):
    with ledger.run("court-claims") as r:
        return court_claims(settings, ledger, r, today=today, **kw)


def test_hand_computed_case(settings, ledger) -> None:
    standard_case(ledger)
    summary = run(settings, ledger)
    assert [c["key"] for c in summary["drafted"]] == ["court:K00012:PLN"]
    with ledger.session() as s:
        row = s.scalar(select(CourtCase))
        d = row.details
    # FV/2025/11/0007: 10 000.00 due 2025-11-15, unpaid: principal 10 000.00 with interest from 2025-11-16.
    #   compensation 70 EUR (5 000 < 10 000 < 50 000) x NBP 4.2543 (2025-10-31) = 297.801 -> 297.80
    #   interest to 2026-03-10: 46 days x 15.25 % (2025 H2: ref 5.25 on 1 July + 10) = 192.19
    #                         + 69 days x 14.00 % (2026 H1: ref 4.00 on 1 January + 10) = 264.66 -> 456.85
    # FV/2026/01/0003: 3 000.00 due 2026-01-20, 1 000.00 paid 2026-02-10 (late):
    #   interest 2026-01-21..02-10 = 21 days x 14 % on 3 000 = 24.16, paid first (art. 451 KC),
    #   so principal 3 000 - (1 000 - 24.16) = 2 024.16, interest from 2026-02-11, nothing capitalized;
    #   compensation 40 EUR x 4.2267 (2025-12-31) = 169.068 -> 169.07;
    #   interest to 2026-03-10: 28 days x 14 % on 2 024.16 = 21.74
    lines = {i["number"]: i for i in d["invoices"]}
    assert lines["FV/2025/11/0007"] == {**lines["FV/2025/11/0007"], "principal": "10000.00",
                                        "interest_from": "2025-11-16", "compensation": "297.80",
                                        "interest_to_date": "456.85", "capitalized": "0.00"}
    assert lines["FV/2026/01/0003"] == {**lines["FV/2026/01/0003"], "principal": "2024.16",
                                        "interest_from": "2026-02-11", "compensation": "169.07",
                                        "interest_to_date": "21.74", "capitalized": "0.00"}
    # 10 000.00 + 297.80 + 2 024.16 + 169.07 = 12 491.03 -> claim value 12 492 zł;
    # fee: 10 000 < 12 492 <= 15 000 -> 750 zł; EPU a quarter: 187.50 -> 188 zł
    assert (d["amount"], row.claim_value, d["fee"], d["interest_to_date"]) == ("12491.03", D("12492"), "188", "478.59")
    assert (row.procedure, d["court"], d["division"]) == ("epu", "Sąd Rejonowy Lublin-Zachód w Lublinie",
                                                          "VI Wydział Cywilny")
    assert (d["seat_court"], d["seat_division"]) == ("Sąd Rejonowy dla Krakowa-Śródmieścia w Krakowie",
                                                     "V Wydział Gospodarczy")
    assert any("3 lat" in r for r in d["reasons"])
    case_json = json.loads((settings.paths.output / "court" / row.folder.rsplit("/", 1)[-1] / "case.json").read_text())
    assert case_json["facts_digest"] == row.facts_digest


def test_in_court_stops_reminders_and_a_rerun_changes_nothing(settings, ledger) -> None:
    _, a, b = standard_case(ledger)
    run(settings, ledger)
    with ledger.session() as s:
        inv = s.get(Invoice, a)
        assert inv.in_court
        state = InvoiceState(inv.id, inv.number, inv.issue_date, inv.due_date, inv.currency, inv.gross,
                             inv.open_amount, inv.status, in_court=inv.in_court)
        assert invoice_state(state, (), TODAY, 2) == "in_court"
        mails = s.scalars(select(OutboxMessage).where(OutboxMessage.key.startswith("court:legal:"))).all()
        assert [m.recipient for m in mails] == ["prawnicy@nordwind.example"]
        assert "FV/2025/11/0007" in mails[0].body and "12491.03" in mails[0].body
    again = run(settings, ledger)
    assert (again["drafted"], again["unchanged"], again["mail_queued"]) == ([], 1, False)
    with ledger.session() as s:
        assert len(s.scalars(select(Event).where(Event.kind == "court_case_drafted")).all()) == 1


def test_changed_facts_redraft_and_full_payment_closes(settings, ledger) -> None:
    _, a, b = standard_case(ledger)
    first = run(settings, ledger)["drafted"][0]
    pay(ledger, b, "500.00", date(2026, 3, 12), "tx-b-2")  # a payment after drafting: facts changed
    second = run(settings, ledger, today=date(2026, 3, 13))["drafted"][0]
    assert second["folder"] != first["folder"]
    # 2 024.16 principal; 500.00 on 2026-03-12: interest 2026-02-11..03-12 = 30 days x 14 % = 23.29 first,
    # 476.71 to principal -> 1 547.45 with interest from 2026-03-13
    with ledger.session() as s:
        d = s.scalar(select(CourtCase)).details
    line = next(i for i in d["invoices"] if i["number"] == "FV/2026/01/0003")
    assert (line["principal"], line["interest_from"]) == ("1547.45", "2026-03-13")
    pay(ledger, a, "10000.00", date(2026, 3, 14), "tx-a-1")
    pay(ledger, b, "1500.00", date(2026, 3, 14), "tx-b-3")
    third = run(settings, ledger, today=date(2026, 3, 16))
    assert third["closed"] == ["court:K00012:PLN"] and third["drafted"] == []

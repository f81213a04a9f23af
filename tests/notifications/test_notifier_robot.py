"""The payment-notifier robot end to end: a real SMTP sink and a real webhook receiver on loopback."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from receivables.documents.fmt import formatter
from receivables.ledger.models import BankTransaction, Event, OutboxMessage
from receivables.notifications.robot import notify_payments

from .conftest import EVENING, MORNING, TODAY, add_customer, add_payment



def pln(amount: str) -> str:
    return formatter("pl").money(Decimal(amount), "PLN")


def run(settings, ledger, nsettings, rules, now, **kw):
    with ledger.run("payment-notifier") as r:
        return notify_payments(settings, ledger, r, now=now, notifications=nsettings, rules=rules, **kw)


def _transpol(ledger):
    _, inv = add_customer(ledger, "K1", "Transpol sp. z o.o.", "Anna Kowalska", [
        ("FV/1", date(2026, 2, 1), "8000.00"), ("FV/2", date(2026, 2, 20), "6000.00"),
        ("FV/3", date(2026, 3, 31), "2500.00"), ("FV/4", date(2026, 1, 15), "1000.00")])
    # 12,000.00 = 8,000.00 settles FV/1 + 4,000.00 of FV/2 (6,000.00 - 4,000.00 = 2,000.00 left)
    tx = add_payment(ledger, "12000.00", TODAY - timedelta(1), {inv["FV/1"]: "8000.00", inv["FV/2"]: "4000.00"})
    return tx, inv


def test_a_large_payment_reaches_the_manager_by_mail_and_chat_once(settings, ledger, sink, receiver, nsettings, rules):
    tx, _ = _transpol(ledger)
    summary = run(settings, ledger, nsettings, rules, MORNING)
    assert summary["instant"] == 1 and summary["sent"] == {"email": 1, "chat": 1}
    [mail] = sink.messages()
    assert mail["To"] == "anna.kowalska@nordwind.example"
    assert mail["Subject"] == f"Wpłata: {pln('12000.00')} od Transpol sp. z o.o."
    text = mail.get_body(("plain",)).get_content()
    assert "Płatnik: Transpol sp. z o.o. (K1)" in text and "zaksięgowana 09.03.2026" in text
    assert f"FV/1 (termin 01.02.2026): zaliczono {pln('8000.00')}, rozliczona w całości" in text
    assert f"FV/2 (termin 20.02.2026): zaliczono {pln('4000.00')}, pozostaje {pln('2000.00')}" in text
    # still open: FV/2 2,000.00 + FV/3 2,500.00 + FV/4 1,000.00 = 5,500.00 in 3 invoices;
    # overdue on 10.03.2026: FV/2 (due 20.02) 2,000.00 + FV/4 (due 15.01) 1,000.00 = 3,000.00
    assert f"Klient jest nadal winien: {pln('5500.00')} (faktur: 3), w tym przeterminowane {pln('3000.00')}" in text
    assert "FV/3" not in text  # not paid by this payment: only in the balance
    assert "<table" in mail.get_body(("html",)).get_content()
    [post] = receiver.requests
    assert post["path"] == "/hooks/sales" and post["type"].startswith("application/json")
    assert post["key"].startswith("<") and post["key"].endswith("@nordwind.example>")  # the outbox Message-ID
    assert f"Transpol sp. z o.o. (K1): wpłata {pln('12000.00')} z dnia 09.03.2026 na" in post["json"]["text"]
    assert f"FV/2 {pln('4000.00')} (pozostaje {pln('2000.00')})" in post["json"]["text"]
    assert post["json"]["blocks"][0]["text"]["type"] == "mrkdwn"
    again = run(settings, ledger, nsettings, rules, MORNING + timedelta(hours=1))
    assert again["payments"] == 0 and again["sent"] == {}
    assert len(sink.messages()) == 1 and len(receiver.requests) == 1
    with ledger.session() as s:
        assert s.get(BankTransaction, tx).notified_at is not None
        kinds = s.scalars(select(Event.kind)).all()
    assert kinds.count("payment_notified") == 1 and kinds.count("message_sent") == 2


def test_small_payments_wait_for_one_digest_a_day_in_the_managers_language(settings, ledger, sink, nsettings, rules):
    _, inv = add_customer(ledger, "K2", "Müller Spedition GmbH", "thomas weber", [
        ("RE/1", date(2026, 3, 1), "300.00"), ("RE/2", date(2026, 3, 20), "700.00")])
    add_payment(ledger, "300.00", TODAY - timedelta(1), {inv["RE/1"]: "300.00"})
    add_payment(ledger, "200.00", TODAY, {inv["RE/2"]: "200.00"})
    morning = run(settings, ledger, nsettings, rules, MORNING)
    assert morning["waiting_for_digest"] == 2 and sink.messages() == []
    evening = run(settings, ledger, nsettings, rules, EVENING)
    assert evening["digests"] == 1 and evening["in_digests"] == 2
    [digest] = sink.messages()
    assert digest["To"] == "thomas.weber@nordwind.example"  # the name matched case- and space-insensitively
    de = formatter("de")
    # 300.00 + 200.00 = 500.00
    assert digest["Subject"] == f"Zahlungen vom 10.03.2026: 2, gesamt {de.money(Decimal('500.00'), 'PLN')}"
    text = digest.get_body(("plain",)).get_content()
    assert "RE/1" in text and "RE/2" in text and "vollständig beglichen" in text
    # a payment allocated after today's digest waits for tomorrow's, and only it goes there
    third = add_payment(ledger, "100.00", TODAY, {inv["RE/2"]: "100.00"})
    late = run(settings, ledger, nsettings, rules, EVENING + timedelta(hours=1))
    assert late["waiting_for_digest"] == 1 and len(sink.messages()) == 1
    next_day = run(settings, ledger, nsettings, rules, EVENING + timedelta(days=1))
    assert next_day["in_digests"] == 1
    second = sink.messages()[1]
    assert second["Subject"].startswith("Zahlungen vom 11.03.2026: 1")
    text = second.get_body(("plain",)).get_content()
    assert "RE/2" in text and "RE/1" not in text
    with ledger.session() as s:
        assert s.get(BankTransaction, third).notified_at is not None


def test_history_is_marked_not_told_and_suggestions_wait_for_an_analyst(settings, ledger, sink, receiver, nsettings,
                                                                         rules):
    _, inv = add_customer(ledger, "K3", "Stara Firma S.A.", None, [
        (f"FV/O/{n}", date(2025, 6, 1), "20000.00") for n in range(3)] + [("FV/S", date(2026, 3, 1), "15000.00")])
    old = [add_payment(ledger, "20000.00", date(2025, 7, n + 1), {inv[f"FV/O/{n}"]: "20000.00"}) for n in range(3)]
    suggested = add_payment(ledger, "15000.00", TODAY, {inv["FV/S"]: "15000.00"}, status="suggested")
    summary = run(settings, ledger, nsettings, rules, MORNING)
    assert summary["marked_without_notice"] == 3 and summary["payments"] == 0
    assert sink.messages() == [] and receiver.requests == []
    with ledger.session() as s:
        assert all(s.get(BankTransaction, t).notified_at is not None for t in old)
        assert s.get(BankTransaction, suggested).notified_at is None
        [event] = s.scalars(select(Event).where(Event.kind == "payments_marked_without_notice")).all()
        assert event.details == {"count": 3, "booked_before": "2026-03-03"}


def test_unknown_managers_go_to_the_fallback_and_dry_run_writes_nothing(settings, ledger, sink, nsettings, rules):
    _, a = add_customer(ledger, "K4", "Nowa Firma sp. z o.o.", "Jan Nieznany", [("FV/N", date(2026, 3, 1), "50000.00")])
    tx = add_payment(ledger, "50000.00", TODAY, {a["FV/N"]: "50000.00"})
    dry = run(settings, ledger, nsettings, rules, MORNING, dry_run=True)
    assert dry["would_send"] == [{"kind": "payment", "to": ["email:w***@nordwind.example"], "payments": [tx]}]
    with ledger.session() as s:
        assert s.scalars(select(OutboxMessage)).all() == []
    assert sink.messages() == []
    run(settings, ledger, nsettings, rules, MORNING)
    [mail] = sink.messages()
    assert mail["To"] == "windykacja@nordwind.example"
    assert "Nowa Firma sp. z o.o. (K4)" in mail.get_body(("plain",)).get_content()


def test_the_digest_can_be_forced_for_the_demo(settings, ledger, sink, nsettings, rules):
    _, inv = add_customer(ledger, "K5", "Mała Firma", "Anna Kowalska", [("FV/M", date(2026, 3, 1), "100.00")])
    add_payment(ledger, "100.00", TODAY, {inv["FV/M"]: "100.00"})
    summary = run(settings, ledger, nsettings, rules, datetime(2026, 3, 10, 6, tzinfo=UTC), digest=True)
    assert summary["in_digests"] == 1 and summary["sent"]["email"] == 1

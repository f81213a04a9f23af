"""The reminders robot end to end: real SMTP on loopback, the ledger's outbox, letters and SMS."""

from __future__ import annotations

import json
import subprocess
from datetime import date, timedelta

from sqlalchemy import select

from receivables.ledger.models import Event, OutboxMessage

from .conftest import NOW, TODAY, add_customer, fresh_runs


def test_one_email_per_customer_with_a_table_amounts_language_and_pdf(rledger, sink, run_reminders, tmp_path):
    fresh_runs(rledger)
    add_customer(rledger, "K1", invoices=[("FV/1", TODAY - timedelta(14), "1200.00"),
                                          ("FV/2", TODAY - timedelta(20), "800.50")])
    summary = run_reminders()
    assert summary["sent"]["email"] == 1 and summary["sent"]["sms"] == 1
    [mail] = sink.messages()
    assert mail["Subject"].startswith("Przypomnienie o płatności")
    assert mail["Content-Language"] == "pl" and mail["Message-ID"].endswith("@nordwind.example>")
    text = mail.get_body(("plain",)).get_content().replace("\u00a0", " ")
    assert "FV/1" in text and "FV/2" in text and "1 200,00 zł" in text and "800,50 zł" in text
    assert mail.get_body(("html",)) is not None
    [pdf] = [p for p in mail.iter_attachments() if p.get_content_type() == "application/pdf"]
    path = tmp_path / "att.pdf"
    path.write_bytes(pdf.get_content())
    pdf_text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "FV/1" in pdf_text and "FV/2" in pdf_text
    with rledger.session() as s:
        row = s.scalar(select(OutboxMessage).where(OutboxMessage.channel == "email"))
        assert row.status == "sent" and row.attachments["message_id"] == mail["Message-ID"]
    sms = [json.loads(line) for p in (tmp_path / "sms").glob("*.jsonl") for line in p.read_text().splitlines()]
    assert len(sms) == 1 and sms[0]["encoding"] == "UCS-2"  # "płatności": Polish diacritics


def test_a_rerun_the_same_day_sends_nothing_again(rledger, sink, run_reminders):
    fresh_runs(rledger)
    add_customer(rledger, "K1", invoices=[("FV/1", TODAY - timedelta(3), "500.00")])
    run_reminders()
    again = run_reminders()
    assert again["messages"] == 0 and not again["sent"]
    assert len(sink.messages()) == 1


def test_dispute_on_one_invoice_does_not_silence_the_others(rledger, sink, run_reminders):
    fresh_runs(rledger)
    _, ids = add_customer(rledger, "K1", invoices=[("FV/1", TODAY - timedelta(14), "500.00"),
                                                   ("FV/2", TODAY - timedelta(14), "700.00")])
    with rledger.session() as s:
        from receivables.ledger.models import Invoice
        s.get(Invoice, ids["FV/1"]).disputed = True
    summary = run_reminders()
    assert summary["skipped"]["disputed"] == 1
    text = sink.messages()[0].get_body(("plain",)).get_content()
    assert "FV/2" in text and "FV/1" not in text


def test_catch_up_sends_only_the_step_for_the_invoices_age_once(rledger, sink, run_reminders):
    fresh_runs(rledger)
    add_customer(rledger, "K1", email="a@b.pl", phone=None, invoices=[("FV/1", TODAY - timedelta(40), "900.00")])
    summary = run_reminders()
    assert summary["planned"] == {"overdue_30": {"email": 1, "letter": 1}}
    later = TODAY + timedelta(days=1)
    fresh_runs(rledger, NOW + timedelta(days=1))
    assert run_reminders(today=later, now=NOW + timedelta(days=1))["messages"] == 0
    assert len(sink.messages()) == 1


def test_letters_are_collected_into_one_print_file(rledger, sink, run_reminders, tmp_path):
    fresh_runs(rledger)
    add_customer(rledger, "K1", invoices=[("FV/1", TODAY - timedelta(31), "900.00")])
    add_customer(rledger, "K2", email="x@y.pl", invoices=[("FV/9", TODAY - timedelta(35), "1900.00")])
    summary = run_reminders()
    assert summary["sent"]["letter"] == 2
    text = subprocess.run(["pdftotext", summary["print_file"], "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "FV/1" in text and "FV/9" in text


def test_interest_not_calculated_after_the_rate_tables_end(rledger, sink, run_reminders, tmp_path):
    late = date(2026, 11, 24)  # after known_until of the shipped PL rates
    from datetime import UTC, datetime
    now = datetime(2026, 11, 24, 9, tzinfo=UTC)
    fresh_runs(rledger, now)
    add_customer(rledger, "K1", invoices=[("FV/1", late - timedelta(14), "1000.00")])
    summary = run_reminders(today=late, now=now)
    assert summary["sent"]["email"] == 1
    [mail] = sink.messages()
    assert "nie obliczono" in mail.get_body(("plain",)).get_content()
    [pdf] = [p for p in mail.iter_attachments() if p.get_content_type() == "application/pdf"]
    (tmp_path / "letter.pdf").write_bytes(pdf.get_content())
    letter = subprocess.run(["pdftotext", str(tmp_path / "letter.pdf"), "-"], capture_output=True, text=True,
                            check=True).stdout
    assert "obliczono" in letter  # "nie obliczono", wrapped in the narrow column: not 0,00 zł of interest
    with rledger.session() as s:
        [event] = s.scalars(select(Event).where(Event.kind == "interest_not_calculated")).all()
        assert event.details["needs_analyst"] is True


def test_stale_bank_data_blocks_sending(rledger, sink, run_reminders):
    fresh_runs(rledger, NOW - timedelta(days=3))
    add_customer(rledger, "K1", invoices=[("FV/1", TODAY - timedelta(14), "500.00")])
    summary = run_reminders()
    assert any(b.startswith("not_fresh") for b in summary["blocked"])
    assert sink.messages() == []
    with rledger.session() as s:
        assert s.scalar(select(OutboxMessage)) is None


def test_outside_hours_blocks_sending(rledger, sink, run_reminders):
    fresh_runs(rledger, NOW.replace(hour=19))
    add_customer(rledger, "K1", invoices=[("FV/1", TODAY - timedelta(14), "500.00")])
    summary = run_reminders(now=NOW.replace(hour=19))  # 20:00 in Warsaw
    assert any(b.startswith("outside_hours") for b in summary["blocked"]) and sink.messages() == []


def test_dry_run_sends_and_writes_nothing(rledger, sink, run_reminders, tmp_path):
    fresh_runs(rledger)
    add_customer(rledger, "K1", invoices=[("FV/1", TODAY - timedelta(31), "900.00")])
    summary = run_reminders(dry_run=True)
    assert summary["dry_run"] and {m["channel"] for m in summary["would_send"]} == {"email", "sms", "letter"}
    assert summary["would_send"][0]["recipient"].startswith("k***@")
    assert sink.messages() == [] and not (tmp_path / "letters").exists() and not (tmp_path / "sms").exists()
    with rledger.session() as s:
        assert s.scalar(select(OutboxMessage)) is None
        assert s.scalar(select(Event).where(Event.kind == "reminder_queued")) is None

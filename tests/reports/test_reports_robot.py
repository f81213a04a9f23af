"""The reports robot end to end: files, the outbox, real SMTP on loopback, once per week and recipient."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from receivables.config import SettingsError
from receivables.dunning.settings import SmtpSettings
from receivables.ledger import open_ledger
from receivables.ledger.models import Document, OutboxMessage
from receivables.reports.labels import labels
from receivables.reports.recipients import load_recipients
from receivables.reports.robot import weekly_reports
from receivables.reports.settings import ReportsSettings

from tests.reports.builders import customer, invoice, pay

AS_OF = date(2026, 10, 30)


@pytest.fixture
def rledger(tmp_path):
    led = open_ledger(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    with led.session() as s:
        anna = customer(s, "A1", manager="anna.kowalska@nordwind.example")
        thomas = customer(s, "T1", manager="Thomas Weber")
        nobody = customer(s, "N1", manager="Jan Nikt")
        invoice(s, anna, "1000.00", date(2026, 10, 1))
        pay(s, invoice(s, anna, "250.00", date(2026, 10, 20)), "250.00", date(2026, 10, 27))
        invoice(s, thomas, "400.00", date(2026, 9, 1), currency="EUR")
        invoice(s, nobody, "75.50", date(2026, 11, 15), issued=date(2026, 10, 16))
    yield led
    led.dispose()


@pytest.fixture
def setup(tmp_path, settings, sink):
    managers = tmp_path / "reports.yaml"
    managers.write_text("fallback: windykacja@nordwind.example\n"
                        "managers:\n  Thomas Weber: {email: thomas.weber@nordwind.example, language: de}\n")
    smtp = SmtpSettings(host=sink.host, port=sink.port, security="plain", secret=None,
                        from_address="raporty@nordwind.example")
    settings = settings.model_copy(update={"reminders": settings.reminders.model_copy(update={
        "smtp": smtp, "backoff_seconds": 0, "claim_lease_seconds": 0})})
    rs = ReportsSettings(recipients=("zarzad@nordwind.example",), managers_file=managers, folder=tmp_path / "reports")
    return settings, rs


def run(ledger, settings, rs, **kw):
    with ledger.run("reports") as r:
        return weekly_reports(settings, ledger, r, today=AS_OF, reports=rs, **kw)


def test_board_and_each_manager_get_one_mail_with_pdf_and_xlsx_once_a_week(rledger, setup, sink):
    settings, rs = setup
    summary = run(rledger, settings, rs)
    assert summary["week"] == "2026-W44" and summary["queued"] == 4 and summary["sent"] == 4
    assert summary["figures"]["PLN"]["open"] == "1075.50"  # 1000.00 + 75.50; the 250.00 invoice is paid
    mails = {m["To"]: m for m in sink.messages()}
    assert set(mails) == {"zarzad@nordwind.example", "anna.kowalska@nordwind.example",
                          "thomas.weber@nordwind.example", "windykacja@nordwind.example"}
    board = mails["zarzad@nordwind.example"]
    assert board["Subject"] == "Raport należności 2026-W44 (stan na 30.10.2026)"
    assert board["From"] == "raporty@nordwind.example"
    names = sorted(p.get_filename() for p in board.iter_attachments())
    assert names == ["receivables-2026-10-30-all.pdf", "receivables-2026-10-30-all.xlsx"]
    pdf = next(p for p in board.iter_attachments() if p.get_filename().endswith(".pdf"))
    assert pdf.get_content().startswith(b"%PDF")
    assert mails["thomas.weber@nordwind.example"]["Subject"] == "Forderungsbericht 2026-W44 (Stand 30.10.2026) – Thomas Weber"
    assert "Jan Nikt" in mails["windykacja@nordwind.example"]["Subject"]  # no address: the fallback gets it

    again = run(rledger, settings, rs)
    assert again["queued"] == 0 and again["sent"] == 0
    assert again["already_queued"] == 4 and again["reports"] == []  # the mailed files are not rewritten
    assert len(sink.messages()) == 4
    with rledger.session() as s:
        assert s.scalar(select(OutboxMessage.status).where(
            OutboxMessage.key == "report:weekly:2026-W44:all:zarzad@nordwind.example")) == "sent"
        assert {d.kind for d in s.scalars(select(Document))} == {"report_pdf", "report_xlsx"}


def test_a_managers_report_holds_only_their_customers(rledger, setup, sink):
    settings, rs = setup
    run(rledger, settings, rs)
    anna = next(m for m in sink.messages() if m["To"] == "anna.kowalska@nordwind.example")
    xlsx = next(p for p in anna.iter_attachments() if p.get_filename().endswith(".xlsx"))
    wb = load_workbook(io.BytesIO(xlsx.get_content()))
    rows = list(wb["Klient"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], D(str(r[7]))) for r in rows] == [("Firma A1 (A1)", "PLN", D("1000.00"))]
    cash = [r for r in wb["Wpłaty w tygodniach"].iter_rows(min_row=2, values_only=True) if r[0] == "2026-W44"]
    assert [(r[3], D(str(r[4]))) for r in cash] == [("PLN", D("250.00"))]


def test_without_smtp_the_mails_stay_queued_and_a_later_run_sends_them(rledger, setup, sink):
    settings, rs = setup
    offline = settings.model_copy(update={"reminders": settings.reminders.model_copy(update={
        "smtp": settings.reminders.smtp.model_copy(update={"host": None})})})
    first = run(rledger, offline, rs)
    assert first["queued"] == 4 and first["not_sent"] and not sink.messages()
    second = run(rledger, settings, rs)
    assert second["queued"] == 0 and second["sent"] == 4 and len(sink.messages()) == 4


def test_a_manager_in_the_distribution_list_gets_the_full_report_only(rledger, setup, sink):
    settings, rs = setup
    rs = rs.model_copy(update={"recipients": ("anna.kowalska@nordwind.example",)})
    summary = run(rledger, settings, rs)
    assert summary["sent"] == 3
    [anna] = [m for m in sink.messages() if m["To"] == "anna.kowalska@nordwind.example"]
    assert "–" not in anna["Subject"]


def test_a_wrong_recipients_file_names_file_and_key(tmp_path):
    path = tmp_path / "reports.yaml"
    path.write_text("managers:\n  Anna: {email: not-an-address}\n")
    with pytest.raises(SettingsError) as err:
        load_recipients(ReportsSettings(managers_file=path))
    assert str(path) in str(err.value) and "managers.Anna.email" in str(err.value)


@pytest.mark.parametrize("language", ["pl", "de", "en"])
def test_every_language_has_every_label_and_definition(language):
    words = labels(language)
    assert set(words.words) == set(labels("en").words)
    defs = words.definitions(dso_days=90, contact_days=7)
    assert len(defs) == len(labels("en").words["defs"]) and all("{" not in text for _, text in defs)


def test_the_workbook_travels_as_a_spreadsheet(rledger, setup, sink):
    settings, rs = setup
    run(rledger, settings, rs)
    board = next(m for m in sink.messages() if m["To"] == "zarzad@nordwind.example")
    xlsx = next(p for p in board.iter_attachments() if p.get_filename().endswith(".xlsx"))
    assert xlsx.get_content_type() == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

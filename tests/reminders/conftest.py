"""A small ledger for the reminders robot: customers, invoices, contacts and fresh bank runs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from receivables.config import Settings
from receivables.dunning.settings import RemindersSettings, SmtpSettings, SmsSettings
from receivables.ledger import Ledger, open_ledger
from receivables.ledger.models import Contact, Customer, Run
from receivables.sandbox.smtp_sink import SmtpSink
from tests.ledger.factories import add_open_invoices

TODAY = date(2026, 3, 10)  # a Tuesday; the shipped rate tables cover it
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)  # 10:00 in Warsaw


@pytest.fixture
def rledger(tmp_path: Path) -> Iterator[Ledger]:
    led = open_ledger(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    yield led
    led.dispose()


@pytest.fixture
def rsettings(sink: SmtpSink, tmp_path: Path) -> RemindersSettings:
    return RemindersSettings(
        smtp=SmtpSettings(host=sink.host, port=sink.port, security="plain", secret=None,
                          from_address="windykacja@nordwind.example"),
        sms=SmsSettings(gateway="file", folder=tmp_path / "sms"), letters_folder=tmp_path / "letters",
        claim_lease_seconds=0, backoff_seconds=0, pdf_workers=1)


def fresh_runs(ledger: Ledger, at: datetime = NOW) -> None:
    with ledger.session() as s:
        for robot in ("bank-statements", "reconcile"):
            s.add(Run(robot=robot, status="ok", started_at=at - timedelta(minutes=5), finished_at=at))


def add_customer(ledger: Ledger, ext: str, *, language: str = "pl", country: str = "PL", segment: str | None = None,
                 email: str | None = "k@example.pl", phone: str | None = "+48600100200",
                 invoices: list[tuple[str, date, str]] = ()) -> tuple[int, dict[str, int]]:
    """invoices: (number, due date, gross); issued 14 days before due, currency by language."""
    currency = "PLN" if language == "pl" else "EUR"
    with ledger.session() as s:
        c = Customer(external_id=ext, name=f"Firma {ext} sp. z o.o.", country=country, language=language,
                     street="ul. Prosta 1", postal_code="00-001", city="Warszawa", segment=segment)
        s.add(c)
        s.flush()
        if email:
            s.add(Contact(customer_id=c.id, kind="email", value=email))
        if phone:
            s.add(Contact(customer_id=c.id, kind="phone", value=phone))
        return c.id, add_open_invoices(s, c.id, invoices, currency)


@pytest.fixture
def run_reminders(settings: Settings, rledger: Ledger, rsettings: RemindersSettings):
    def go(today: date = TODAY, now: datetime = NOW, **kw):
        with rledger.run("reminders") as run:
            return __import__("receivables.dunning.robot", fromlist=["x"]).send_reminders(
                settings, rledger, run, today=today, now=now, reminders=kw.pop("reminders", rsettings), **kw)
    return go

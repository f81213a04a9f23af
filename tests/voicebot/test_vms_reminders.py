"""The reminders policy's "vms" channel: a step queues a voice message in the outbox, and the VMS
transport delivers it through a telephony adapter (the loopback fake Twilio, or the simulated one)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from receivables.channels.outbox import Delivery, queue
from receivables.config import Settings
from receivables.dunning.policy import Policy, PolicyError, load_policy
from receivables.dunning.robot import send_reminders
from receivables.dunning.settings import RemindersSettings, SmsSettings
from receivables.ledger import Ledger
from receivables.ledger.models import Contact, Customer, Event, Invoice, OutboxMessage, Promise, Run
from receivables.scoring.handover import CallListEntry, CallListInvoice
from voicebot.telephony.twilio import TwilioTelephony
from voicebot.telephony.twilio_fake import Callee, FakeTwilio
from voicebot.telephony.twilio_settings import TwilioSettings
from voicebot.vms_outbox import VmsTransport

SID, TOKEN = "AC" + "2" * 32, "reminders-token"
TODAY = date(2026, 3, 10)  # a Tuesday inside the shipped interest tables
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)  # 10:00 in Warsaw


def test_policy_names_the_vms_channel(tmp_path: Path) -> None:
    path = tmp_path / "dunning.yaml"
    path.write_text(yaml.safe_dump({"steps": [
        {"name": "overdue_3", "days": 3, "channels": ["email", "vms"], "template": "overdue"}]}))
    assert load_policy(path).steps[0].channels == ("email", "vms")
    path.write_text(yaml.safe_dump({"steps": [
        {"name": "overdue_3", "days": 3, "channels": ["fax"], "template": "overdue"}]}))
    with pytest.raises(PolicyError, match="dunning.yaml"):
        load_policy(path)
    # a segment override may switch a step to a voice message
    assert Policy(steps=[{"name": "s", "days": 3, "channels": ["sms"], "template": "overdue"}],
                  segments={"vip": {"s": {"channels": ["vms"]}}}).ladder("vip")[0].channels == ("vms",)


def _customer(ledger: Ledger, phone: str, gross: str = "1230.00") -> int:
    with ledger.session() as s:
        c = Customer(external_id="K9", name="Firma K9 sp. z o.o.", country="PL", language="pl",
                     street="ul. Prosta 1", postal_code="00-001", city="Warszawa")
        s.add(c)
        s.flush()
        s.add(Contact(customer_id=c.id, kind="phone", value=phone))
        due = TODAY - timedelta(days=3)
        s.add(Invoice(number="FV/2026/02/0009", issuer_tax_id="5252448487", customer_id=c.id,
                      issue_date=due - timedelta(days=14), due_date=due, currency="PLN", net=Decimal(gross),
                      vat=Decimal("0"), gross=Decimal(gross), open_amount=Decimal(gross), status="open"))
        return c.id


def _queue_vms(ledger: Ledger, customer_id: int, phone: str, key: str) -> None:
    entry = CallListEntry(customer="K9", customer_id=customer_id, name="Firma K9", language="pl", country="PL",
                          time_zone="Europe/Warsaw", phones=[phone], priority=1, score=Decimal("0"),
                          totals={"PLN": Decimal("1230.00")},
                          invoices=[CallListInvoice(number="FV/2026/02/0009", issue_date=date(2026, 2, 21),
                                                    due_date=date(2026, 3, 7), open_amount=Decimal("1230.00"),
                                                    currency="PLN")])
    with ledger.session() as s:
        queue(s, key, "vms", phone, "Nordwind: FV/2026/02/0009 1 230,00 zł", domain="nordwind.example",
              language="pl", customer_id=customer_id, extra={"vms": {"entry": entry.model_dump(mode="json")}})


@pytest.fixture
def fake() -> Iterator[FakeTwilio]:
    server = FakeTwilio(SID, TOKEN).start()
    yield server
    server.stop()


def _deliver(ledger: Ledger, fake: FakeTwilio) -> Counter:
    telephony = TwilioTelephony(TwilioSettings(api_base=fake.base_url, listen_port=0), SID, TOKEN)
    transport = VmsTransport(ledger, telephony, "Nordwind", "+48221002030", caller_ids=lambda c: ["+48221002030"],
                             today=TODAY)
    return Delivery(ledger, {"vms": transport}, backoff_seconds=60, lease_seconds=600).run()


def test_delivered_voice_message_is_sent_with_its_result(ledger: Ledger, fake: FakeTwilio) -> None:
    phone = "+48600100200"
    cid = _customer(ledger, phone)
    _queue_vms(ledger, cid, phone, "reminder:K9:overdue_3:2026-03-10:vms")
    fake.callees[phone] = Callee(answers=[{"Digits": "1"}, {"Digits": "3"}])
    counts = _deliver(ledger, fake)
    assert counts == Counter({"sent_vms": 1})
    with ledger.session() as s:
        row = s.scalar(select(OutboxMessage))
        assert row.status == "sent"
        (result,) = row.attachments["vms_results"]
        assert result["result"] == "answered" and result["listened_to_end"] is True
        assert result["keys"] == "13" and result["outcome"] == "promise"
        assert result["promise_date"] == "2026-03-17"  # TODAY + 7
        event = s.scalar(select(Event).where(Event.kind == "vms_call"))
        assert event.customer_id == cid and event.details["choice"] == "confirm"
        promise = s.scalar(select(Promise))  # key 3 pauses the reminders like a spoken promise
        assert promise.customer_id == cid and promise.promised_date == date(2026, 3, 17)
        assert promise.channel == "vms" and promise.status == "pending"
    assert fake.calls[0].params["From"] == ["+48221002030"]
    assert delivered_again(ledger, fake) == Counter()  # exactly once: a second delivery run calls nobody
    assert len(fake.calls) == 1


def delivered_again(ledger: Ledger, fake: FakeTwilio) -> Counter:
    return _deliver(ledger, fake)


def test_busy_retries_and_a_dead_number_fails(ledger: Ledger, fake: FakeTwilio) -> None:
    cid = _customer(ledger, "+48600100201")
    _queue_vms(ledger, cid, "+48600100201", "reminder:K9:a:vms")
    _queue_vms(ledger, cid, "48-bad", "reminder:K9:b:vms")
    fake.callees["+48600100201"] = Callee(pickup="busy")
    counts = _deliver(ledger, fake)
    assert counts == Counter({"retry_vms": 1, "failed_vms": 1})
    with ledger.session() as s:
        rows = {r.key: r for r in s.scalars(select(OutboxMessage))}
        assert rows["reminder:K9:a:vms"].status == "pending"
        assert rows["reminder:K9:a:vms"].attachments["vms_results"][0]["result"] == "busy"
        assert rows["reminder:K9:b:vms"].status == "failed"
        assert rows["reminder:K9:b:vms"].attachments["vms_results"][0]["result"] == "wrong_number"


def test_reminders_robot_sends_a_vms_step(ledger: Ledger, settings: Settings, tmp_path: Path) -> None:
    policy = tmp_path / "dunning.yaml"
    policy.write_text(yaml.safe_dump({"steps": [
        {"name": "overdue_3", "days": 3, "channels": ["vms"], "template": "overdue", "tone": "soft"}]}))
    cid = _customer(ledger, "+48600100202")
    with ledger.session() as s:
        for robot in ("bank-statements", "reconcile"):
            s.add(Run(robot=robot, status="ok", started_at=NOW - timedelta(minutes=5), finished_at=NOW))
    rs = RemindersSettings(policy=policy, sms=SmsSettings(folder=tmp_path / "sms"), letters_folder=tmp_path / "letters",
                           backoff_seconds=60, pdf_workers=1)
    with ledger.run("reminders") as run:
        summary = send_reminders(settings, ledger, run, today=TODAY, now=NOW, reminders=rs)
    assert summary["planned"] == {"overdue_3": {"vms": 1}} and summary["queued"] == 1
    with ledger.session() as s:
        row = s.scalar(select(OutboxMessage))
        entry = CallListEntry.model_validate(row.attachments["vms"]["entry"])
        assert entry.customer_id == cid and entry.phones == ["+48600100202"] and entry.language == "pl"
        # 3 days late on 1230.00 PLN: statutory interest is due, so the total is above the invoice
        assert entry.totals["PLN"] >= Decimal("1230.00")
        (result,) = row.attachments["vms_results"]  # the simulated network placed exactly one call
        answered = result["result"] in ("answered", "voicemail")
        assert row.status == ("sent" if answered else "pending")
        assert (summary["sent"].get("vms", 0), summary["retrying"].get("vms", 0)) == ((1, 0) if answered else (0, 1))

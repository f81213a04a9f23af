"""The twilio adapter end to end on loopback: a fake Twilio API records the REST call and plays the
callee, calling the webhook app back signed as Twilio signs (answer, Gather results, status)."""

from __future__ import annotations

import asyncio
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from receivables.scoring.handover import CallListEntry, CallListInvoice
from voicebot.calls import DialogOutcome, DialRequest, Turn, Utterance
from voicebot.dialog import Creditor, Dialog
from voicebot.settings import VoiceConfig
from voicebot.telephony.twilio import TwilioTelephony
from voicebot.telephony.twilio_fake import Callee, FakeTwilio
from voicebot.telephony.twilio_settings import TwilioSettings
from voicebot.telephony.twilio_signature import compute_signature

SID, TOKEN = "AC" + "0" * 32, "test-auth-token"
NOW = datetime(2026, 5, 11, 10, 0, tzinfo=timezone.utc)  # a Monday


def _entry(lang: str, phone: str) -> CallListEntry:
    return CallListEntry(
        customer="K1", customer_id=1, name="Acme Ltd", language=lang, country="PL", time_zone="Europe/Warsaw",
        phones=[phone], priority=1, score=Decimal("100"), totals={"PLN": Decimal("1234.56")},
        invoices=[CallListInvoice(number="FV/2026/04/0007", issue_date=date(2026, 4, 1), due_date=date(2026, 4, 30),
                                  open_amount=Decimal("1200.00"), interest=Decimal("34.56"), currency="PLN")])


def _dialog(entry: CallListEntry) -> Dialog:
    return Dialog(entry, Creditor("Nordwind", "+48221002030", {"PLN": "PL61109010140000071219812874"}),
                  VoiceConfig(), now=lambda: NOW)


class Scripted:
    """A two-question session, so the webhook mechanics are checked apart from the dialog's wording."""

    def __init__(self, lang: str = "en") -> None:
        self.lang, self.heard = lang, []
        self.outcome = DialogOutcome()

    def start(self) -> Turn:
        return Turn("Question one?", "Question one?", self.lang)

    def hear(self, utterance: Utterance) -> Turn:
        self.heard.append(utterance)
        if len(self.heard) < 2:
            return Turn("Question <two> & more?", "Question two?", self.lang, keypad=False)
        self.outcome.kind = "callback"
        return Turn("Goodbye.", "Goodbye.", self.lang, end=True)


@pytest.fixture
def fake() -> Iterator[FakeTwilio]:
    server = FakeTwilio(SID, TOKEN).start()
    yield server
    server.stop()


@pytest.fixture
def telephony(fake: FakeTwilio) -> Iterator[TwilioTelephony]:
    settings = TwilioSettings(api_base=fake.base_url, listen_port=0, max_call_seconds=30)
    with TwilioTelephony(settings, SID, TOKEN, default_caller_id="+48221002030",
                         voicemail=lambda r: Turn("Please call us back.", "Please call us back.", r.entry.language,
                                                  end=True)) as t:
        yield t


def _call(telephony: TwilioTelephony, entry: CallListEntry, session) -> object:
    return asyncio.run(telephony.call(DialRequest(entry, entry.phones[0], None, 1), session))


def test_rest_call_and_a_promise_in_english_speech(fake: FakeTwilio, telephony: TwilioTelephony) -> None:
    phone = "+447700900123"
    fake.callees[phone] = Callee(answers=[{"SpeechResult": "Yes, speaking.", "Confidence": "0.91"},
                                          {"SpeechResult": "I will pay on the twentieth of May.", "Confidence": "0.87"},
                                          {"Digits": "1"}])
    entry = _entry("en", phone)
    result = _call(telephony, entry, _dialog(entry))
    assert result.result == "answered"
    assert result.outcome.kind == "promise" and result.outcome.promise_date == date(2026, 5, 20)
    assert result.outcome.promised_amount == Decimal("1234.56")
    # the REST request: who, from, the signed-back webhooks, machine detection
    (call,) = fake.calls
    assert call.params["To"] == [phone] and call.params["From"] == ["+48221002030"]
    assert call.params["MachineDetection"] == ["Enable"]
    assert call.params["Url"][0].startswith(telephony.webhooks.public_url + "/twilio/answer?call=")
    # TwiML: Say inside a speech+keypad Gather in en-GB, then Say + Hangup at the end
    first = ET.fromstring(call.twiml[0])
    gather = first.find("Gather")
    assert gather.attrib["input"] == "speech dtmf" and gather.attrib["language"] == "en-GB"
    assert gather.attrib["speechTimeout"] == "auto" and gather.attrib["actionOnEmptyResult"] == "true"
    assert "Acme Ltd" in gather.find("Say").text
    last = ET.fromstring(call.twiml[-1])
    assert last.find("Gather") is None and last.find("Hangup") is not None
    assert "20 May" in last.find("Say").text
    assert call.done.wait(5)  # the fake records the status callback's answer after the adapter has returned
    assert len(call.twiml) == 4 and call.webhook_status == [200, 200, 200, 200, 204]
    assert result.duration_ms == 4 * 7 * 1000  # the fake reports 7 s per TwiML document


def test_polish_by_keypad(fake: FakeTwilio, telephony: TwilioTelephony) -> None:
    phone = "+48600100200"
    # 1 = yes (identity), 2005 = the 20th of May, 1 = yes to the read-back
    fake.callees[phone] = Callee(answers=[{"Digits": "1"}, {"Digits": "2005"}, {"Digits": "1"}])
    entry = _entry("pl", phone)
    result = _call(telephony, entry, _dialog(entry))
    assert result.result == "answered" and result.outcome.promise_date == date(2026, 5, 20)
    first = ET.fromstring(fake.calls[0].twiml[0])
    assert first.find("Gather").attrib["language"] == "pl-PL"
    assert first.find("Gather/Say").attrib["language"] == "pl-PL"


def test_gather_results_reach_the_session(fake: FakeTwilio, telephony: TwilioTelephony) -> None:
    fake.callees["+441234567890"] = Callee(answers=[{"SpeechResult": "hello", "Confidence": "0.5"}, {}])
    session = Scripted()
    result = _call(telephony, _entry("en", "+441234567890"), session)
    assert result.result == "answered" and result.outcome.kind == "callback"
    assert session.heard == [Utterance(text="hello", confidence=0.5), Utterance()]  # {} is silence
    second = ET.fromstring(fake.calls[0].twiml[1])
    assert second.find("Gather").attrib["input"] == "speech"  # keypad=False
    assert second.find("Gather/Say").text == "Question <two> & more?"  # escaped in the XML, intact after parsing


@pytest.mark.parametrize(("pickup", "expected"), [("no-answer", "no_answer"), ("busy", "busy"), ("failed", "failed")])
def test_unanswered_calls(fake: FakeTwilio, telephony: TwilioTelephony, pickup: str, expected: str) -> None:
    fake.callees["+441234567890"] = Callee(pickup=pickup)
    session = Scripted()
    result = _call(telephony, _entry("en", "+441234567890"), session)
    assert result.result == expected and result.outcome is None and session.heard == []
    assert fake.calls[0].twiml == []


def test_answering_machine_gets_the_short_message(fake: FakeTwilio, telephony: TwilioTelephony) -> None:
    fake.callees["+441234567890"] = Callee(pickup="machine")
    session = Scripted()
    result = _call(telephony, _entry("en", "+441234567890"), session)
    assert result.result == "voicemail" and result.outcome is None and session.heard == []
    (twiml,) = fake.calls[0].twiml
    root = ET.fromstring(twiml)
    assert root.find("Say").text == "Please call us back." and root.find("Hangup") is not None


def test_answering_machine_hangup_when_configured(fake: FakeTwilio) -> None:
    fake.callees["+441234567890"] = Callee(pickup="machine")
    settings = TwilioSettings(api_base=fake.base_url, listen_port=0, answering_machine="hangup")
    with TwilioTelephony(settings, SID, TOKEN, default_caller_id="+48221002030",
                         voicemail=lambda r: Turn("x", "x", "en", end=True)) as telephony:
        result = _call(telephony, _entry("en", "+441234567890"), Scripted())
    assert result.result == "voicemail"
    root = ET.fromstring(fake.calls[0].twiml[0])
    assert root.find("Say") is None and root.find("Hangup") is not None


def test_invalid_number_is_a_wrong_number(fake: FakeTwilio, telephony: TwilioTelephony) -> None:
    result = _call(telephony, _entry("en", "12345"), Scripted())
    assert result.result == "wrong_number" and fake.calls == []


def test_wrong_credentials_fail_the_call(fake: FakeTwilio) -> None:
    settings = TwilioSettings(api_base=fake.base_url, listen_port=0)
    with TwilioTelephony(settings, SID, "not-the-token", default_caller_id="+48221002030") as telephony:
        result = _call(telephony, _entry("en", "+441234567890"), Scripted())
    assert result.result == "failed" and fake.calls == []


def _post(url: str, fields: dict[str, str], signature: str | None) -> int:
    headers = {"X-Twilio-Signature": signature} if signature is not None else {}
    req = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode(), method="POST", headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_unsigned_and_forged_requests_are_refused(telephony: TwilioTelephony) -> None:
    url = telephony.webhooks.url("answer", "some-token")
    fields = {"CallSid": "CA1", "CallStatus": "in-progress", "AnsweredBy": "human"}
    assert _post(url, fields, None) == 403
    assert _post(url, fields, compute_signature("wrong-token", url, fields)) == 403
    assert _post(url, {**fields, "AnsweredBy": "machine_start"}, compute_signature(TOKEN, url, fields)) == 403
    assert telephony.webhooks.rejected == 3
    assert _post(url, fields, compute_signature(TOKEN, url, fields)) == 200  # signed: accepted (unknown call: hangup)


def test_from_vault_reads_the_secret(monkeypatch: pytest.MonkeyPatch, fake: FakeTwilio) -> None:
    monkeypatch.setenv("RECEIVABLES_SECRET_TWILIO_ACCOUNT_SID", SID)
    monkeypatch.setenv("RECEIVABLES_SECRET_TWILIO_AUTH_TOKEN", TOKEN)
    fake.callees["+441234567890"] = Callee(pickup="busy")
    with TwilioTelephony.from_vault(TwilioSettings(api_base=fake.base_url, listen_port=0), "+48221002030") as t:
        assert _call(t, _entry("en", "+441234567890"), Scripted()).result == "busy"

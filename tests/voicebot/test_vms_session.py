"""Voice messages: the session's menu and results, uploaded recordings, and VMS calls through Twilio."""

from __future__ import annotations

import asyncio
import wave
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from receivables.scoring.handover import CallListEntry, CallListInvoice
from voicebot.calls import DialRequest, Utterance
from voicebot.speech.tts import EspeakTts
from voicebot.telephony.twilio import TwilioTelephony
from voicebot.telephony.twilio_fake import Callee, FakeTwilio
from voicebot.telephony.twilio_settings import TwilioSettings
from voicebot.vms import VmsError, VmsSession, check_recording, voicemail_turn

TODAY = date(2026, 5, 11)  # a Monday; pay-by = today + 7 = Monday 2026-05-18
NOW = datetime(2026, 5, 11, 10, tzinfo=timezone.utc)
SID, TOKEN = "AC" + "1" * 32, "vms-token"


def _entry(lang: str = "en", currencies: tuple[str, ...] = ("PLN",)) -> CallListEntry:
    invoices = [CallListInvoice(number=f"FV/2026/04/000{n}", issue_date=date(2026, 4, 1), due_date=date(2026, 4, 30),
                                open_amount=Decimal("1000.00"), interest=Decimal("17.25"), currency=c)
                for n, c in enumerate(currencies, 1)]
    totals: dict[str, Decimal] = {}
    for i in invoices:
        totals[i.currency] = totals.get(i.currency, Decimal("0")) + i.open_amount + i.interest
    return CallListEntry(customer="K7", customer_id=7, name="Acme", language=lang, country="PL",
                         time_zone="Europe/Warsaw", phones=["+48600100200"], priority=1, score=Decimal("1"),
                         totals=totals, invoices=invoices)


def _session(lang: str = "en", **kw) -> VmsSession:
    return VmsSession(_entry(lang, kw.pop("currencies", ("PLN",))), "Nordwind", "+48221002030", TODAY,
                      now=lambda: NOW, **kw)


@pytest.mark.parametrize(("lang", "amount_words", "date_words"), [
    # 1000.00 + 17.25 = 1017.25 PLN
    ("pl", "tysiąc siedemnaście złotych dwadzieścia pięć groszy", "do osiemnastego maja"),  # genitive after "do"
    ("de", "eintausendsiebzehn Zloty und fünfundzwanzig Groschen", "Montag, den achtzehnten Mai"),
    ("en", "one thousand seventeen zlotys and twenty-five groszy", "Monday the eighteenth of May"),
])
def test_message_and_menu_in_each_language(lang: str, amount_words: str, date_words: str) -> None:
    turn = _session(lang).start()
    assert not turn.end and turn.keypad and turn.language == lang
    assert amount_words in turn.speech and date_words in turn.speech  # the menu offers "pay by" today + 7
    assert "Nordwind" in turn.text and "FV/2026/04/0001" in turn.text
    assert "1" in turn.text and "3" in turn.text


def test_details_then_confirm_is_a_promise() -> None:
    s = _session()
    s.start()
    details = s.hear(Utterance(digits="1"))
    assert "FV/2026/04/0001" in details.text and not details.end
    done = s.hear(Utterance(digits="3"))
    assert done.end
    assert s.outcome.kind == "promise" and s.outcome.promise_date == date(2026, 5, 18)
    assert s.outcome.promised_amount == Decimal("1017.25")
    assert s.outcome.details == {"listened_to_end": True, "keys": "13", "choice": "confirm", "recording": None}
    assert [t["who"] for t in s.outcome.transcript] == ["bot", "debtor", "bot", "debtor", "bot"]


def test_consultant_is_a_transfer() -> None:
    s = _session("de")
    s.start()
    assert s.hear(Utterance(digits="2")).end
    assert s.outcome.kind == "transfer" and s.outcome.details["choice"] == "consultant"


def test_silence_after_the_message_means_heard_to_the_end_without_keys() -> None:
    s = _session("pl")
    s.start()
    assert s.hear(Utterance()).end
    assert s.outcome.kind == "no_outcome"
    assert s.outcome.details["listened_to_end"] is True and s.outcome.details["keys"] == ""


def test_hanging_up_during_the_message_is_not_heard_to_the_end() -> None:
    s = _session()
    s.start()
    assert s.outcome.details["listened_to_end"] is False


def test_wrong_keys_repeat_the_menu_then_goodbye() -> None:
    s = _session(max_repeats=1)
    s.start()
    again = s.hear(Utterance(digits="7"))
    assert not again.end and "press 1" in again.text
    assert s.hear(Utterance(digits="8")).end
    assert s.outcome.details["keys"] == "78" and s.outcome.details["choice"] is None


def test_no_confirm_option_for_two_currencies() -> None:
    s = _session(currencies=("PLN", "EUR"))
    assert "press 3" not in s.start().text
    s.hear(Utterance(digits="3"))
    assert s.outcome.kind == "no_outcome"


def test_without_menu_the_message_only_waits_for_the_end() -> None:
    s = _session(menu=False)
    turn = s.start()
    assert "press" not in turn.text and not turn.end
    assert s.hear(Utterance(digits="3")).end and s.outcome.kind == "no_outcome"


def _wav(path: Path, seconds: float = 1.0) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(8000)
        w.writeframes(b"\x10\x00" * int(8000 * seconds))
    return path


def test_uploaded_recordings_are_checked(tmp_path: Path) -> None:
    assert check_recording(_wav(tmp_path / "ok.wav")) == tmp_path / "ok.wav"
    mp3 = tmp_path / "ok.mp3"
    mp3.write_bytes(b"ID3\x04\x00" + b"\x00" * 100)
    assert check_recording(mp3) == mp3
    bad_mp3 = tmp_path / "bad.mp3"
    bad_mp3.write_bytes(b"<html>not audio</html>")
    with pytest.raises(VmsError, match="bad.mp3: not an MP3"):
        check_recording(bad_mp3)
    fake_wav = tmp_path / "fake.wav"
    fake_wav.write_bytes(b"RIFF....WAVEjunk")
    with pytest.raises(VmsError, match="fake.wav: not a readable PCM WAV"):
        check_recording(fake_wav)
    with pytest.raises(VmsError, match="unsupported type .ogg"):
        (tmp_path / "a.ogg").write_bytes(b"OggS")
        check_recording(tmp_path / "a.ogg")
    with pytest.raises(VmsError, match="no such file"):
        VmsSession(_entry(), "Nordwind", "+48221002030", TODAY, recording=tmp_path / "missing.wav")


def test_voicemail_has_no_personal_data() -> None:
    turn = voicemail_turn("pl", "Nordwind", "+48221002030")
    assert turn.end and "+48221002030" in turn.text
    assert "plus cztery osiem dwa dwa jeden zero zero dwa zero trzy zero" in turn.speech
    assert "Acme" not in turn.text and "zł" not in turn.text


@pytest.fixture
def fake() -> Iterator[FakeTwilio]:
    server = FakeTwilio(SID, TOKEN).start()
    yield server
    server.stop()


def test_recorded_vms_through_twilio_plays_the_file_then_the_menu(fake: FakeTwilio, tmp_path: Path) -> None:
    recording = _wav(tmp_path / "campaign.wav", 2.0)
    fake.callees["+48600100200"] = Callee(answers=[{"Digits": "3"}])
    session = VmsSession(_entry("pl"), "Nordwind", "+48221002030", TODAY, recording=recording, now=lambda: NOW)
    with TwilioTelephony(TwilioSettings(api_base=fake.base_url, listen_port=0), SID, TOKEN, "+48221002030") as t:
        result = asyncio.run(t.call(DialRequest(session.entry, "+48600100200", None, 1), session))
    assert result.result == "answered" and result.outcome.kind == "promise"
    assert result.outcome.details["recording"] == "campaign.wav"
    call = fake.calls[0]
    first = ET.fromstring(call.twiml[0]).find("Gather")
    assert [child.tag for child in first] == ["Play", "Say"]  # the recording, then the menu
    assert call.played == [recording.stat().st_size]  # Twilio fetched the exact file, signed


@pytest.mark.skipif(__import__("shutil").which("espeak-ng") is None, reason="espeak-ng not installed")
def test_espeak_prompts_played_through_twilio(fake: FakeTwilio, tmp_path: Path) -> None:
    fake.callees["+48600100200"] = Callee(answers=[{}])
    tts = EspeakTts(tmp_path / "tts")
    session = _session("pl")
    settings = TwilioSettings(api_base=fake.base_url, listen_port=0, speech="espeak")
    with TwilioTelephony(settings, SID, TOKEN, "+48221002030", tts=tts) as t:
        result = asyncio.run(t.call(DialRequest(session.entry, "+48600100200", None, 1), session))
    assert result.result == "answered" and result.outcome.details["listened_to_end"] is True
    call = fake.calls[0]
    assert ET.fromstring(call.twiml[0]).find("Gather/Say") is None
    wavs = sorted(tmp_path.joinpath("tts").rglob("*.wav"))
    assert len(wavs) == 2  # message+menu, goodbye: synthesized once each into the cache
    assert sorted(call.played) == sorted(w.stat().st_size for w in wavs)

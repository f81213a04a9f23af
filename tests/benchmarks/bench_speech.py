"""Speech and Twilio-path figures; prints one JSON object.

Run: python tests/benchmarks/bench_speech.py
- tts: espeak-ng synthesis per prompt (cold) and a cache hit (warm), over the English, Polish and
  German VMS messages;
- whisper: load time, seconds of CPU per second of audio, and how many English debtor answers
  (espeak -v en-us -s 135) come back with the date nlu expects; plus the same answers in Polish
  and German, to show why those languages are tested through keypad and text;
- twilio: complete calls per second through the webhook app and the loopback fake Twilio.
"""

from __future__ import annotations

import asyncio
import json
import logging
import statistics
import tempfile
import time
import wave
from datetime import date
from pathlib import Path

from receivables.nlu import understand
from voicebot.speech.recognize import WhisperRecognizer, whisper_available
from voicebot.speech.tts import EspeakTts

REF = date(2024, 5, 6)  # Monday
ANSWERS = {
    "en": [("I will pay the invoice by next Friday.", "2024-05-17"), ("I can pay on the twentieth of May.", "2024-05-20"),
           ("We will transfer the money on the fifteenth of May.", "2024-05-15"),
           ("I'll pay at the end of the month.", "2024-05-31"), ("I can pay tomorrow.", "2024-05-07"),
           ("Payment will go out on the twenty-second of May.", "2024-05-22")],
    "pl": [("Zapłacę do piątku.", "2024-05-10"), ("Zapłacę dwudziestego maja.", "2024-05-20"),
           ("Przelew wyślę jutro.", "2024-05-07")],
    "de": [("Ich zahle bis Freitag.", "2024-05-10"), ("Ich zahle am zwanzigsten Mai.", "2024-05-20"),
           ("Ich überweise morgen.", "2024-05-07")],
}


def _seconds(path: Path) -> float:
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


def bench_tts(folder: Path) -> dict:
    from decimal import Decimal

    from voicebot.speech.verbalize import amount_words

    tts = EspeakTts(folder)
    texts = [(lang, f"{i} {amount_words(Decimal('1234.56') + i, 'PLN', lang)}") for lang in ("pl", "de", "en")
             for i in range(10)]
    cold, warm = [], []
    for lang, text in texts:
        t = time.perf_counter()
        tts.speak(text, lang)
        cold.append(time.perf_counter() - t)
    for lang, text in texts:
        t = time.perf_counter()
        tts.speak(text, lang)
        warm.append(time.perf_counter() - t)
    return {"prompts": len(texts), "cold_ms_p50": round(statistics.median(cold) * 1000, 1),
            "warm_ms_p50": round(statistics.median(warm) * 1000, 3)}


def bench_whisper(folder: Path) -> dict:
    missing = whisper_available()
    if missing:
        return {"skipped": missing}
    t = time.perf_counter()
    recognizer = WhisperRecognizer()
    recognizer.model
    out: dict = {"load_s": round(time.perf_counter() - t, 2)}
    tts = EspeakTts(folder, rate=135)
    for lang, answers in ANSWERS.items():
        ok, audio, spent, heard = 0, 0.0, 0.0, []
        for text, expected in answers:
            wav = tts.speak(text, lang)
            audio += _seconds(wav)
            t = time.perf_counter()
            u = recognizer.transcribe(wav, lang)
            spent += time.perf_counter() - t
            got = understand(u.text or "", REF).date
            ok += str(got) == expected
            heard.append(u.text)
        out[lang] = {"answers": len(answers), "date_correct": ok, "seconds_per_audio_second": round(spent / audio, 2),
                     "heard": heard}
    return out


def bench_twilio(calls: int = 30) -> dict:
    from decimal import Decimal

    from receivables.scoring.handover import CallListEntry, CallListInvoice
    from voicebot.calls import DialRequest
    from voicebot.telephony.twilio import TwilioTelephony
    from voicebot.telephony.twilio_fake import Callee, FakeTwilio
    from voicebot.telephony.twilio_settings import TwilioSettings
    from voicebot.vms import VmsSession

    sid, token = "AC" + "9" * 32, "bench"
    fake = FakeTwilio(sid, token).start()
    entry = CallListEntry(customer="K", customer_id=1, name="Acme", language="pl", country="PL",
                          time_zone="Europe/Warsaw", phones=["+48600100200"], priority=1, score=Decimal("1"),
                          totals={"PLN": Decimal("100.00")},
                          invoices=[CallListInvoice(number="FV/1", issue_date=REF, due_date=REF,
                                                    open_amount=Decimal("100.00"), currency="PLN")])
    fake.callees["+48600100200"] = Callee(answers=[{"Digits": "1"}, {"Digits": "3"}])
    try:
        with TwilioTelephony(TwilioSettings(api_base=fake.base_url, listen_port=0), sid, token, "+48221002030") as tel:
            async def run() -> list:
                return await asyncio.gather(*[tel.call(DialRequest(entry, "+48600100200", None, 1),
                                                       VmsSession(entry, "Nordwind", "+48221002030", REF))
                                              for _ in range(calls)])
            t = time.perf_counter()
            results = asyncio.run(run())
            spent = time.perf_counter() - t
    finally:
        fake.stop()
    return {"calls": calls, "concurrent": True, "seconds": round(spent, 2), "calls_per_s": round(calls / spent, 1),
            "promises": sum(r.outcome is not None and r.outcome.kind == "promise" for r in results),
            "signed_webhook_requests": sum(len(c.webhook_status) for c in fake.calls)}


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per webhook request otherwise
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(json.dumps({"tts": bench_tts(folder / "tts"), "whisper": bench_whisper(folder / "answers"),
                          "twilio": bench_twilio()}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

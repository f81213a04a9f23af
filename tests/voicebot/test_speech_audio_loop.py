"""The whole audio loop in English: espeak-ng speaks a debtor's answer into a WAV, faster-whisper
(Whisper base, from the two weight packages) transcribes it, `receivables.nlu` finds the date.

Polish and German are not tested through audio: on espeak's synthetic voices this small model
mostly fails (it hears "Ich zahle bis Freitag" as "Ich zartle Miss Freitag"), so those languages
are tested through keypad and text in the dialog tests.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from receivables.nlu import understand
from voicebot.speech.recognize import WhisperRecognizer, whisper_available
from voicebot.speech.tts import EspeakTts

_missing = whisper_available()
pytestmark = [
    pytest.mark.skipif(_missing is not None, reason=f"offline recognizer unavailable: {_missing}"),
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed (Debian espeak-ng)"),
    pytest.mark.slow,
]


@pytest.fixture(scope="module")
def recognizer() -> WhisperRecognizer:
    return WhisperRecognizer()


@pytest.mark.parametrize(
    ("answer", "intent", "expected"),
    [
        # 2024-05-06 is a Monday: "next Friday" is 2024-05-10 + 7 = 2024-05-17 in nlu's reading
        ("I will pay the invoice by next Friday.", "promise_to_pay", date(2024, 5, 17)),
        ("I can pay on the twentieth of May.", "promise_to_pay", date(2024, 5, 20)),
        ("We already paid it last week.", "already_paid", None),
    ],
)
def test_spoken_answer_is_transcribed_and_understood(tmp_path: Path, recognizer: WhisperRecognizer,
                                                      answer: str, intent: str, expected: date | None) -> None:
    wav = EspeakTts(tmp_path, rate=135).speak(answer, "en")
    heard = recognizer.transcribe(wav, "en")
    assert heard.text is not None and heard.confidence is not None and 0 < heard.confidence <= 1
    understood = understand(heard.text, date(2024, 5, 6))
    assert understood.intent == intent, heard.text
    assert understood.date == expected, heard.text


def test_silence_is_an_empty_utterance(tmp_path: Path, recognizer: WhisperRecognizer) -> None:
    import wave

    silent = tmp_path / "silence.wav"
    with wave.open(str(silent), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(16000)
        w.writeframes(b"\x00\x00" * 16000 * 2)
    heard = recognizer.transcribe(silent, "en")
    assert heard.text is None and heard.digits is None

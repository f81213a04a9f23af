"""espeak-ng prompts as WAV files, cached by (text, voice, rate): a campaign says the same greeting
thousands of times, and a prompt synthesized once is played from the cache after that.

Writes go to a temp file in the cache folder and are renamed into place, so parallel workers
sharing the folder never read half a file.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Mapping
from pathlib import Path

DEFAULT_VOICES: Mapping[str, str] = {"pl": "pl", "de": "de", "en": "en-us"}
DEFAULT_RATE = 150  # words per minute; espeak's 175 is hurried for someone hearing a sum of money


class SpeechError(RuntimeError):
    """espeak-ng is missing or failed; the message says which and how to fix it."""


def cache_key(text: str, voice: str, rate: int) -> str:
    return hashlib.sha256(json.dumps([text, voice, rate], ensure_ascii=False).encode()).hexdigest()


class EspeakTts:
    def __init__(self, cache_folder: Path, voices: Mapping[str, str] | None = None, rate: int = DEFAULT_RATE,
                 binary: str = "espeak-ng") -> None:
        self.cache_folder, self.rate = Path(cache_folder), rate
        self.voices = dict(voices or DEFAULT_VOICES)
        self.binary = binary

    def voice_for(self, lang: str) -> str:
        try:
            return self.voices[lang]
        except KeyError:
            raise SpeechError(f"no espeak-ng voice configured for language {lang!r}; voices: {self.voices}") from None

    def path_for(self, text: str, lang: str, rate: int | None = None) -> Path:
        key = cache_key(text, self.voice_for(lang), rate or self.rate)
        return self.cache_folder / key[:2] / f"{key}.wav"

    def speak(self, text: str, lang: str, rate: int | None = None) -> Path:
        """The WAV file saying `text`; synthesized on the first request only."""
        if not text.strip():
            raise SpeechError("nothing to say: the text is empty")
        target = self.path_for(text, lang, rate)
        if target.exists():
            return target
        exe = shutil.which(self.binary)
        if exe is None:
            raise SpeechError(f"{self.binary} not found: install the Debian package espeak-ng")
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tts-", suffix=".wav")
        os.close(fd)
        try:
            done = subprocess.run([exe, "-v", self.voice_for(lang), "-s", str(rate or self.rate), "-w", tmp, "--stdin"],
                                  input=text.encode(), capture_output=True, timeout=60)
            if done.returncode != 0:
                raise SpeechError(f"{self.binary} failed ({done.returncode}): {done.stderr.decode(errors='replace')[:300]}")
            with wave.open(tmp) as w:
                if w.getnframes() == 0:
                    raise SpeechError(f"{self.binary} wrote no audio for voice {self.voice_for(lang)!r}")
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return target

"""espeak-ng synthesis: real audio, cached by text, voice and rate, safe under parallel writers."""

from __future__ import annotations

import shutil
import wave
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from voicebot.speech.tts import EspeakTts, SpeechError

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed (Debian espeak-ng)")


def _seconds(path: Path) -> float:
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


def test_speaks_each_language_into_a_wav(tmp_path: Path) -> None:
    tts = EspeakTts(tmp_path)
    for lang, text in [("pl", "Dzień dobry, tu dział rozrachunków."), ("de", "Guten Tag, hier ist die Buchhaltung."),
                       ("en", "Good morning, this is accounts receivable.")]:
        wav = tts.speak(text, lang)
        assert 1.0 < _seconds(wav) < 6.0, (lang, _seconds(wav))


def test_cache_hit_reuses_the_file_and_key_covers_voice_and_rate(tmp_path: Path) -> None:
    tts = EspeakTts(tmp_path)
    first = tts.speak("Please pay by Friday.", "en")
    mtime = first.stat().st_mtime_ns
    assert tts.speak("Please pay by Friday.", "en") == first
    assert first.stat().st_mtime_ns == mtime  # not synthesized again
    slower = tts.speak("Please pay by Friday.", "en", rate=100)
    german = tts.speak("Please pay by Friday.", "de")
    assert len({first, slower, german}) == 3
    assert _seconds(slower) > _seconds(first)  # 100 wpm takes longer than 150 wpm


def test_parallel_writers_leave_one_complete_file(tmp_path: Path) -> None:
    tts = EspeakTts(tmp_path)
    text = "Zapłacę dwudziestego maja."
    with ThreadPoolExecutor(8) as pool:
        paths = set(pool.map(lambda _: tts.speak(text, "pl"), range(8)))
    assert len(paths) == 1
    assert _seconds(paths.pop()) > 0.5
    assert not [p for p in tmp_path.rglob(".tts-*")]  # no temp files left behind


def test_errors_are_clear(tmp_path: Path) -> None:
    with pytest.raises(SpeechError, match="language 'fr'"):
        EspeakTts(tmp_path).speak("Bonjour", "fr")
    with pytest.raises(SpeechError, match="empty"):
        EspeakTts(tmp_path).speak("  ", "en")
    with pytest.raises(SpeechError, match="Debian package espeak-ng"):
        EspeakTts(tmp_path, binary="espeak-ng-missing").speak("Hello", "en")
    assert not list(tmp_path.rglob("*.wav"))

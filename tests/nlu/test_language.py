"""Automatic choice between Polish, German and English."""

from __future__ import annotations

import pytest

from receivables.nlu import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("zapłacę mój dług do tygodnia", "pl"),
        ("zaplace do piatku", "pl"),
        ("Tak, w piątek", "pl"),
        ("Nie wiem", "pl"),
        ("Ich werde meine Schulden in einer Woche begleichen", "de"),
        ("Ja, am Freitag", "de"),
        ("Rufen Sie mich später an", "de"),
        ("I need seven more days to pay", "en"),
        ("on Friday", "en"),
        ("Call me later", "en"),
    ],
)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_no_evidence_falls_back_to_the_default() -> None:
    assert detect_language("ok", default="pl") == "pl"
    assert detect_language("12345") == "en"

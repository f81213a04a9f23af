"""Every utterance of tests/data/nlu/dev.jsonl gives exactly its expected JSON.

The dev set holds answers written after the corpus to find and fix the rules' blind spots
(idiomatic refusals, indirect wrong-person answers, questions about the caller, unusual
promise verbs, "after the 15th", vague spans ...).  Like the corpus it must pass exactly.
The held-out sets (tests/data/nlu/holdout*.jsonl) never teach the rules or the model: see
test_holdout.py.  New dev lines also train the statistical intent model: after adding some, run
`python -m receivables.nlu.examples` (test_intent_model.py checks the shipped file is in sync).
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from receivables.nlu import INTENTS

from .test_corpus import run

DATA = Path(__file__).resolve().parents[1] / "data" / "nlu"
DEV = [json.loads(line) for line in (DATA / "dev.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize(
    "record",
    DEV,
    ids=[f"{n}-{r['expected']['language']}-{r['expected']['intent']}" for n, r in enumerate(DEV, 1)],
)
def test_dev_utterance(record: dict) -> None:
    assert run(record) == record["expected"], record["text"]


def test_dev_set_covers_every_language_and_intent() -> None:
    assert len(DEV) >= 150
    cells = Counter((r["expected"]["language"], r["expected"]["intent"]) for r in DEV)
    for lang in ("pl", "de", "en"):
        for intent in INTENTS:
            assert cells[(lang, intent)] >= 3, (lang, intent)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Zapłacę po piętnastym.", "pl", "2024-05-16"),
        ("Ich zahle nach dem 15.", "de", "2024-05-16"),
        ("I'll pay after the 15th.", "en", "2024-05-16"),
        ("Nach dem Gehalt am Zehnten zahle ich alles.", "de", "2024-05-10"),
        ("Zapłacę za kilka dni.", "pl", "2024-05-09"),
        ("In ein paar Tagen zahle ich.", "de", "2024-05-09"),
        ("I'll pay in a couple of days.", "en", "2024-05-09"),
        ("Zapłacę w ciągu półtora tygodnia.", "pl", "2024-05-16"),
        ("In anderthalb Wochen zahle ich.", "de", "2024-05-16"),
        ("I'll pay in a week and a half.", "en", "2024-05-16"),
        ("Nächsten Monat Anfang zahle ich.", "de", "2024-06-01"),
    ],
)
def test_documented_date_decisions(text: str, lang: str, expected: str) -> None:
    """The choices README.md documents for "after the Nth" and vague spans (today: Monday 6 May 2024)."""
    record = {"text": text, "lang": lang, "today": "2024-05-06"}
    got = run(record)
    assert (got["intent"], got["date"]) == ("promise_to_pay", expected)


def test_sets_do_not_share_utterances() -> None:
    names = ("corpus", "dev", "holdout", "holdout2", "holdout3", "holdout4")
    texts = {
        name: {json.loads(line)["text"] for line in (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
               if line.strip()}
        for name in names
    }
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            assert not texts[first] & texts[second], (first, second)
    assert date(2024, 5, 6).weekday() == 0  # the sets' usual "today" is a Monday

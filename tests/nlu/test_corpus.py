"""Every labelled utterance of tests/data/nlu/corpus.jsonl gives exactly its expected JSON."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from receivables.nlu import INTENTS, understand

CORPUS = Path(__file__).resolve().parents[1] / "data" / "nlu" / "corpus.jsonl"
RECORDS = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


def run(record: dict, **options: bool) -> dict:
    owed = Decimal(record["owed"]) if "owed" in record else None
    result = understand(
        record["text"], date.fromisoformat(record["today"]), record["lang"],
        owed=owed, owed_currency=record.get("owed_currency"), **options,
    )
    return result.to_json_dict()


@pytest.mark.parametrize(
    "record",
    RECORDS,
    ids=[f"{n}-{r['expected']['language']}-{r['expected']['intent']}" for n, r in enumerate(RECORDS, 1)],
)
def test_utterance(record: dict) -> None:
    assert run(record) == record["expected"], record["text"]


def test_corpus_is_large_and_balanced() -> None:
    assert len(RECORDS) >= 400
    languages = Counter(r["expected"]["language"] for r in RECORDS)
    assert set(languages) == {"pl", "de", "en"}
    assert max(languages.values()) - min(languages.values()) <= 0.05 * len(RECORDS)
    cells = Counter((r["expected"]["language"], r["expected"]["intent"]) for r in RECORDS)
    for lang in languages:
        for intent in INTENTS:
            assert cells[(lang, intent)] >= 10, (lang, intent)


def test_issue_examples_are_in_the_corpus() -> None:
    examples = {
        "zapłacę mój dług do tygodnia", "płatność zostanie dokonana do 13 maja",
        "potrzebuję jeszcze 7 dni na zapłatę", "Ich werde meine Schulden in einer Woche begleichen",
        "die Zahlung erfolgt bis zum 13. Mai", "ich brauche noch sieben Tage, um zu zahlen",
        "I'll settle my debt within a week", "the payment will be made by 13 May",
        "I need seven more days to pay",
    }
    found = {r["text"]: r for r in RECORDS if r["text"] in examples}
    assert set(found) == examples
    for record in found.values():
        assert record["today"] == "2024-05-06"
        assert record["expected"]["intent"] == "promise_to_pay"
        assert record["expected"]["date"] == "2024-05-13"

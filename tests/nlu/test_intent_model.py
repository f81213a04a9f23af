"""The statistical intent model: trained on corpus + dev only, asked only when rules have no evidence."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from receivables.nlu import understand
from receivables.nlu.examples import build
from receivables.nlu.intent_model import EXAMPLES_FILE, read_examples, shipped_model, train
from receivables.nlu.text import fold

from .test_corpus import run

DATA = Path(__file__).resolve().parents[1] / "data" / "nlu"
MONDAY = date(2024, 5, 6)


def _shipped_examples() -> str:
    return resources.files("receivables.nlu").joinpath(EXAMPLES_FILE).read_text(encoding="utf-8")


def _records(*names: str) -> list[dict]:
    return [json.loads(line) for name in names for line in (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]


def test_shipped_examples_are_in_sync_with_corpus_and_dev() -> None:
    assert _shipped_examples() == build(), "run: python -m receivables.nlu.examples"


def test_no_held_out_answer_reaches_the_model() -> None:
    taught = {" ".join(text.split()) for _, text in read_examples(_shipped_examples())}
    held_out = {" ".join(r["text"].split()) for r in _records("holdout", "holdout2", "holdout3", "holdout4")}
    assert not taught & held_out


def test_training_at_first_use_is_quick_and_deterministic() -> None:
    examples = [(intent, fold(text)) for intent, text in read_examples(_shipped_examples())]
    start = time.perf_counter()
    model = train(examples)
    assert time.perf_counter() - start < 2.0
    assert model == train(examples) == shipped_model()


def test_the_model_only_decides_where_the_rules_have_no_evidence() -> None:
    for record in _records("corpus", "dev"):
        rules = run(record, use_model=False)
        if rules["intent"] != "unknown":
            assert run(record) == rules, record["text"]


@pytest.mark.parametrize(("text", "lang"), [("Nie.", "pl"), ("Was?", "de"), ("Right.", "en"), ("Ja, gut.", "de")])
def test_one_or_two_words_without_evidence_stay_unknown(text: str, lang: str) -> None:
    assert understand(text, MONDAY, lang).intent == "unknown"


def test_the_model_needs_no_scikit_learn() -> None:
    code = ("import sys, datetime; from receivables.nlu import understand; "
            "understand('Das Paket kam nie an, die Sache ist für mich nicht okay', datetime.date(2024, 5, 6), 'de'); "
            "print(sorted(m for m in ('sklearn', 'numpy', 'pandas') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip() == "[]", proc.stderr

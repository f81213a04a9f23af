"""Classification: header rules first, the shipped model for the rest, never the sandbox's answer."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from receivables.mail.categories import CATEGORIES
from receivables.mail.classify import classify
from receivables.mail.corpus import load_corpus
from receivables.mail.mail_rules import load_mail_rules
from receivables.mail.model import MODEL_FILE
from receivables.mail.parse import parse_message
from receivables.sandbox import mail_compose as mc
from receivables.sandbox.mailbox import CATEGORY_HEADER, true_category
from tests.mail.conftest import world_messages

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "data" / "mail" / "corpus.jsonl"
RULES = load_mail_rules()
WHEN = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def decide(raw: bytes):
    return classify(parse_message(raw), RULES)


def message(text: str, subject: str = "Re: Przypomnienie", **headers: str) -> bytes:
    env = mc.Envelope("anna@transbud.pl", "Anna Nowak", subject, WHEN, "<x1@transbud.pl>", headers=headers)
    return mc.compose(env, text, "pl")


def test_a_delivery_report_is_a_bounce_whatever_it_says():
    original = mc.compose(mc.Envelope(mc.OUR_ADDRESS, mc.OUR_NAME, "Reminder", WHEN, "<r@n.example>", to="a@b.pl"),
                          "Please pay.", "en")
    env = mc.Envelope("postmaster@nordwind.example", "Postmaster", "Zapłacimy jutro", WHEN, "<d@n.example>")
    decision = decide(mc.compose_dsn(env, "We will pay tomorrow, promise.", "a@b.pl", original))
    assert (decision.category, decision.source) == ("bounce", "rule")
    assert decision.confidence >= 0.95 and "delivery status" in decision.reason


@pytest.mark.parametrize("headers", [{"Auto-Submitted": "auto-replied"}, {"X-Autoreply": "yes"},
                                     {"Precedence": "auto_reply"}])
def test_auto_reply_headers_decide_before_the_text(headers):
    decision = decide(message("Zapłacimy do piątku.", **headers))
    assert (decision.category, decision.source) == ("auto_reply", "rule")


def test_the_model_decides_the_rest_with_a_reason():
    decision = decide(message("Dzień dobry, nie zgadzamy się z fakturą, towar przyszedł uszkodzony. Reklamacja w załączeniu."))
    assert (decision.category, decision.source) == ("dispute", "model")
    assert decision.reason.startswith("model: ") and "cue:dispute" in decision.reason


def test_the_sandbox_category_header_is_never_read(world):
    messages = world_messages(world)
    assert len(messages) > 50
    for raw in messages:
        truth = true_category(raw)
        wrong = next(c for c in CATEGORIES if c != truth)
        forged = raw.replace(f"{CATEGORY_HEADER}: {truth}".encode(), f"{CATEGORY_HEADER}: {wrong}".encode())
        assert forged != raw
        assert decide(forged) == decide(raw)
    library = REPO / "library" / "receivables" / "mail"
    readers = [p for p in library.rglob("*.py")
               if any(word in p.read_text(encoding="utf-8").lower() for word in ("x-sandbox", "category_header",
                                                                                  "true_category"))]
    assert readers == []


def test_the_sandbox_mailbox_is_classified_right(world):
    """The sandbox's phrasings were written apart from the corpus: an independent check."""
    results = Counter((true_category(raw), decide(raw).category) for raw in world_messages(world))
    right = sum(n for (truth, got), n in results.items() if truth == got)
    assert right / sum(results.values()) >= 0.95, results


def test_the_corpus_is_big_enough_and_covers_every_category_and_language():
    messages = load_corpus(CORPUS)
    assert len(messages) >= 600
    assert {(m.lang, m.category) for m in messages} == {(lang, c) for lang in ("pl", "de", "en") for c in CATEGORIES}
    splits = Counter(m.split for m in messages)
    assert splits["test"] >= 0.25 * len(messages)


def test_held_back_accuracy_stays_above_its_floor():
    """A regression floor below today's figures (bench_mail_accuracy.py prints them)."""
    messages = load_corpus(CORPUS, "test")
    right, total = Counter(), Counter()
    for m in messages:
        total[m.category] += 1
        right[m.category] += decide(m.raw).category == m.category
    assert sum(right.values()) / len(messages) >= 0.955
    assert min(right[c] / total[c] for c in total) >= 0.90, {c: round(right[c] / total[c], 3) for c in total}


def test_blind_set_accuracy_stays_above_its_floor():
    """blind2.jsonl was written by someone who never saw the classifier; never trained on."""
    messages = load_corpus(CORPUS.with_name("blind2.jsonl"))
    right = sum(decide(m.raw).category == m.category for m in messages)
    assert right / len(messages) >= 0.93


@pytest.mark.slow
def test_the_shipped_model_is_what_the_corpus_trains():
    from receivables.mail.train import dump, fit, training_messages

    assert dump(fit(training_messages())) == MODEL_FILE.read_text(encoding="utf-8"), (
        "rebuild it: python -m receivables.mail.train")

"""Rebuild the shipped model from the training messages: `python -m receivables.mail.train`.

Training messages: the corpus's train split plus tests/data/mail/train2.jsonl (written apart, by
other hands, to widen the phrasing); the corpus's test split and blind2.jsonl are never trained on.

Deterministic: the same corpus gives the same file. `--check` only compares and exits 1 when
the shipped file is not what the corpus gives (tests run the same comparison).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from receivables.config import PROJECT_ROOT
from receivables.mail.classify import model_input
from receivables.mail.corpus import LabelledMessage, load_corpus
from receivables.mail.features import features
from receivables.mail.model import COEF_SCALE, MODEL_FILE
from receivables.mail.parse import parse_message

CORPUS_FILE = PROJECT_ROOT / "tests" / "data" / "mail" / "corpus.jsonl"
EXTRA_TRAINING = PROJECT_ROOT / "tests" / "data" / "mail" / "train2.jsonl"
MIN_DOCUMENTS = 3  # a feature seen in fewer training messages is noise (cross-validation agrees)
REGULARIZATION = 5.0  # logistic regression's C: chosen by grouped 5-fold cross-validation on the train split
DIGITS = 3


def fit(messages: list[LabelledMessage]) -> dict:
    """The model file's content for these training messages."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = [model_input(parse_message(m.raw)) for m in messages]
    labels = [m.category for m in messages]
    vectorizer = TfidfVectorizer(analyzer=features, min_df=MIN_DOCUMENTS, sublinear_tf=True)
    matrix = vectorizer.fit_transform(texts)
    classifier = LogisticRegression(C=REGULARIZATION, max_iter=5000)
    classifier.fit(matrix, labels)
    return {
        "format": 1,
        "trained_on": len(messages),
        "classes": [str(c) for c in classifier.classes_],
        "features": [str(f) for f in vectorizer.get_feature_names_out()],
        "idf": [round(float(v), DIGITS) for v in vectorizer.idf_],
        "coef_thousandths": [[round(float(v) * COEF_SCALE) for v in row] for row in classifier.coef_],
        "intercept": [round(float(v), DIGITS) for v in classifier.intercept_],
    }


def training_messages(corpus: Path = CORPUS_FILE) -> list[LabelledMessage]:
    return load_corpus(corpus, "train") + (load_corpus(EXTRA_TRAINING) if EXTRA_TRAINING.exists() else [])


def dump(model: dict) -> str:
    """One line per class and per array, so a rebuilt file diffs readably."""
    lines = [f'  "{key}": {json.dumps(model[key], ensure_ascii=False, separators=(",", ":"))}'
             for key in ("format", "trained_on", "classes", "features", "idf", "intercept")]
    rows = ",\n    ".join(json.dumps(row, separators=(",", ":")) for row in model["coef_thousandths"])
    return "{\n" + ",\n".join(lines) + f',\n  "coef_thousandths": [\n    {rows}\n  ]\n}}\n'


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS_FILE)
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    parser.add_argument("--check", action="store_true", help="compare with --out instead of writing it")
    args = parser.parse_args(argv)
    text = dump(fit(training_messages(args.corpus)))
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print(f"{args.out}: {'in sync with' if same else 'differs from'} {args.corpus}")
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.out}: {len(text) // 1024} KB, trained on {args.corpus}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

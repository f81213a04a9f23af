"""Rebuild the intent model's examples from the labelled sets: `python -m receivables.nlu.examples`.

The model learns from tests/data/nlu/corpus.jsonl and dev.jsonl only; the held-out sets never
reach it.  Deterministic: the same sets give the same file.  `--check` only compares and exits
1 when the shipped file is not what the sets give (a test runs the same comparison).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .intent_model import EXAMPLES_FILE

DATA = Path(__file__).resolve().parents[3] / "tests" / "data" / "nlu"
TRAINING_SETS = ("corpus.jsonl", "dev.jsonl")
OUT = Path(__file__).resolve().parent / EXAMPLES_FILE


def build(data: Path = DATA) -> str:
    """The examples file's content: one `intent<TAB>answer` line per labelled answer."""
    lines = [f"# Built by `python -m receivables.nlu.examples` from {', '.join(TRAINING_SETS)}; do not edit."]
    for name in TRAINING_SETS:
        for raw in (data / name).read_text(encoding="utf-8").splitlines():
            if raw.strip():
                record = json.loads(raw)
                text = " ".join(record["text"].split())
                lines.append(f"{record['expected']['intent']}\t{text}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file instead of writing it")
    args = parser.parse_args(argv)
    text = build()
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print(f"{OUT}: {'in sync with' if same else 'differs from'} {DATA}")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"{OUT}: {text.count(chr(10)) - 1} examples")
    return 0


if __name__ == "__main__":
    sys.exit(main())

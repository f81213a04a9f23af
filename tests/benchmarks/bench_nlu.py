"""Accuracy and latency of receivables.nlu on its labelled sets; prints one JSON object.

Run: python tests/benchmarks/bench_nlu.py [--failures]
Six sets, reported separately (tests/data/nlu/; README.md there tells their history):
- corpus.jsonl, dev.jsonl: the answers the rules were written from and the statistical
  intent model is trained on (must stay at 100%);
- holdout.jsonl, holdout2.jsonl, holdout3.jsonl: answers written before the rules they
  measure; their failures were read, so the phrase families behind them have since been fixed;
- holdout4.jsonl: the blind set -- its failures were never looked at while tuning, so it is
  the honest estimate of accuracy on new text.  tests/nlu/test_holdout.py checks floors.
For each: accuracy per language and per intent, date/amount/plan accuracy and latency
p50/p95, and the rules alone next to rules + model.  For the corpus also which path resolved
each date (own rules or the dateparser fallback) and dateparser alone as a baseline on the
same promises.  Failures are listed for the corpus and dev sets only; `--failures` lists
the holdouts' too.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from receivables.nlu import understand

DATA = Path(__file__).resolve().parents[1] / "data" / "nlu"
CORPUS = DATA / "corpus.jsonl"
SETS = {name: DATA / f"{name}.jsonl" for name in ("corpus", "dev", "holdout", "holdout2", "holdout3", "holdout4")}
HELD_OUT = ("holdout", "holdout2", "holdout3", "holdout4")
GOALS = {"date_accuracy": 0.98, "intent_accuracy": 0.95, "latency_p95_ms": 10.0}


def _call(record: dict, **options):
    owed = Decimal(record["owed"]) if "owed" in record else None
    return understand(
        record["text"], date.fromisoformat(record["today"]), options.pop("lang", record["lang"]),
        owed=owed, owed_currency=record.get("owed_currency"), **options,
    )


def _rate(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _dateparser_alone(records: list[dict]) -> dict:
    """dateparser.search on the raw sentence, explicit language and DMY/future settings."""
    from dateparser.search import search_dates

    hits = 0
    for record in records:
        today = date.fromisoformat(record["today"])
        settings = {"DATE_ORDER": "DMY", "PREFER_DATES_FROM": "future",
                    "RELATIVE_BASE": datetime(today.year, today.month, today.day)}
        found = search_dates(record["text"], languages=[record["expected"]["language"]], settings=settings) or []
        guess = found[-1][1].date().isoformat() if found else None
        hits += guess == record["expected"]["date"]
    return {"promises": len(records), "date_accuracy": _rate(hits, len(records))}


def rules_against_model(records: list[dict]) -> dict:
    """Intent accuracy of the rules alone next to the rules with the statistical model."""
    report = {}
    for name, use_model in (("rules_only", False), ("rules_and_model", True)):
        got = [_call(r, use_model=use_model).to_json_dict() for r in records]
        by_language: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for record, result in zip(records, got):
            by_language[record["expected"]["language"]][0] += result["intent"] == record["expected"]["intent"]
            by_language[record["expected"]["language"]][1] += 1
        report[name] = {
            "intent": _rate(sum(g["intent"] == r["expected"]["intent"] for g, r in zip(got, records)), len(records)),
            "intent_by_language": {k: _rate(*v) for k, v in sorted(by_language.items())},
            "date": _rate(sum(g["date"] == r["expected"]["date"] for g, r in zip(got, records)), len(records)),
            "exact": _rate(sum(g == r["expected"] for g, r in zip(got, records)), len(records)),
        }
    return report


def _load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate(records: list[dict], *, baselines: bool = False, list_failures: bool = True) -> dict:
    """Accuracy and latency of one labelled set (after one warm-up pass over it)."""
    for record in records:
        _call(record)

    latencies: list[float] = []
    results = []
    for record in records:
        start = time.perf_counter()
        result = _call(record)
        latencies.append((time.perf_counter() - start) * 1000)
        results.append(result)

    by = {"language": defaultdict(lambda: [0, 0]), "intent": defaultdict(lambda: [0, 0]),
          "exact_language": defaultdict(lambda: [0, 0]), "date_language": defaultdict(lambda: [0, 0])}
    totals = defaultdict(lambda: [0, 0])
    sources = defaultdict(int)
    failures = []
    for record, result in zip(records, results):
        got, want = result.to_json_dict(), record["expected"]
        checks = {
            "exact": got == want,
            "intent": got["intent"] == want["intent"],
            "date": got["date"] == want["date"],
            "amount": (got["amount"], got["currency"]) == (want["amount"], want["currency"]),
            "installments": got["installments"] == want["installments"],
            "language": got["language"] == want["language"],
        }
        for name, ok in checks.items():
            totals[name][0] += ok
            totals[name][1] += 1
        if record["lang"] == "auto":
            totals["language_auto"][0] += checks["language"]
            totals["language_auto"][1] += 1
        by["language"][want["language"]][0] += checks["intent"]
        by["language"][want["language"]][1] += 1
        by["exact_language"][want["language"]][0] += checks["exact"]
        by["exact_language"][want["language"]][1] += 1
        by["date_language"][want["language"]][0] += checks["date"]
        by["date_language"][want["language"]][1] += 1
        by["intent"][want["intent"]][0] += checks["intent"]
        by["intent"][want["intent"]][1] += 1
        if want["date"] is not None:
            totals["promised_date"][0] += checks["date"]
            totals["promised_date"][1] += 1
            if checks["date"]:
                sources[result.date_source or "none"] += 1
        if not checks["exact"]:
            failures.append({"text": record["text"], "got": got, "expected": want})

    detected = sum(_call(r, lang="auto").language == r["expected"]["language"] for r in records)
    report = {
        "utterances": len(records),
        "exact_match": _rate(*totals["exact"]),
        "exact_match_by_language": {k: _rate(*v) for k, v in sorted(by["exact_language"].items())},
        "intent_accuracy": _rate(*totals["intent"]),
        "intent_accuracy_by_language": {k: _rate(*v) for k, v in sorted(by["language"].items())},
        "intent_accuracy_by_intent": {k: _rate(*v) for k, v in sorted(by["intent"].items())},
        "date_accuracy": _rate(*totals["date"]),
        "date_accuracy_by_language": {k: _rate(*v) for k, v in sorted(by["date_language"].items())},
        "date_accuracy_on_utterances_with_a_date": _rate(*totals["promised_date"]),
        "amount_accuracy": _rate(*totals["amount"]),
        "installments_accuracy": _rate(*totals["installments"]),
        "language_detection_accuracy_all_utterances_auto": _rate(detected, len(records)),
        "latency_ms": {
            "p50": round(statistics.median(latencies), 3),
            "p95": round(_percentile(latencies, 0.95), 3),
            "max": round(max(latencies), 3),
        },
    }
    if baselines:
        promises = [r for r in records if r["expected"]["intent"] == "promise_to_pay" and r["expected"]["date"]]
        rules_only = sum(
            _call(r, use_dateparser=False).to_json_dict()["date"] == r["expected"]["date"] for r in promises
        )
        resolved = sum(sources.values())
        report["dates_resolved_by"] = {
            "rules": sources["rules"], "dateparser": sources["dateparser"],
            "rules_share": _rate(sources["rules"], resolved), "dateparser_share": _rate(sources["dateparser"], resolved),
        }
        report["promise_dates_rules_alone"] = {"promises": len(promises), "date_accuracy": _rate(rules_only, len(promises))}
        report["promise_dates_dateparser_alone"] = _dateparser_alone(promises)
    report["failures"] = failures if list_failures else len(failures)
    return report


def _meets_goals(report: dict) -> bool:
    return (
        (report["date_accuracy"] or 0) >= GOALS["date_accuracy"]
        and (report["intent_accuracy"] or 0) >= GOALS["intent_accuracy"]
        and report["latency_ms"]["p95"] < GOALS["latency_p95_ms"]
    )


def main(show_holdout_failures: bool = False) -> dict:
    from receivables.nlu.intent_model import shipped_model

    cold_start = time.perf_counter()
    _call({"text": "zapłacę 13.05.2099", "lang": "pl", "today": "2024-05-06"})
    _call({"text": "xyz 5", "lang": "en", "today": "2024-05-06"})
    cold_ms = (time.perf_counter() - cold_start) * 1000
    training_start = time.perf_counter()
    shipped_model()
    training_ms = (time.perf_counter() - training_start) * 1000

    records = {name: _load(path) for name, path in SETS.items() if path.exists()}
    reports = {
        name: evaluate(rows, baselines=name == "corpus", list_failures=name not in HELD_OUT or show_holdout_failures)
        for name, rows in records.items()
    }
    summary = {
        name: {
            "utterances": r["utterances"], "intent": r["intent_accuracy"], "date": r["date_accuracy"],
            "amount": r["amount_accuracy"], "exact": r["exact_match"],
            "intent_by_language": r["intent_accuracy_by_language"], "latency_ms": r["latency_ms"],
        }
        for name, r in reports.items()
    }
    report = {
        "summary": summary,
        "rules_only_vs_rules_and_model": {name: rules_against_model(rows) for name, rows in records.items()},
        "cold_first_calls_incl_dateparser_import_ms": round(cold_ms, 1),
        "intent_model_training_at_first_use_ms": round(training_ms, 1),
        "goals": GOALS,
        "goals_met_by_set": {name: _meets_goals(r) for name, r in reports.items()},
        **reports,
    }
    return report


if __name__ == "__main__":
    json.dump(main(show_holdout_failures="--failures" in sys.argv[1:]), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")

"""Statement parsing throughput and memory: our streaming MT940/camt.053 parsers vs mt-940.

    python tests/benchmarks/bench_statements_parse.py [--n 1000000] [--per-statement 2000]

Writes N transactions as daily MT940 statements and as one camt.053 document of daily
statements (with the package's streaming writers) into a temp dir, then parses each file in a
fresh child process and reports wall and CPU seconds (the CPU figure is steadier on a shared
machine), transactions/s and the child's peak RSS above an
idle child that imported the same modules (so the memory figure is the parse's own). The
mt-940 library (the "plain approach") parses a smaller MT940 file, as it is far slower.
Prints one JSON object. Goal: >= 100,000 tx/s with memory flat in N.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path


def _transactions(count: int, day: date, offset: int):
    from receivables.banking.records import StatementTransaction

    for i in range(offset, offset + count):
        amount = Decimal(i % 99991 - 30000) / 100 or Decimal("0.01")
        yield StatementTransaction(
            day, day, amount, "PLN", f"KLIENT {i % 997} SP. Z O.O.", "PL61109010140000071219812874",
            f"FV/{i % 100000}/2024 zapłata", f"REF{i:012d}", None, None,
        )


def _statements(n: int, per: int):
    from receivables.banking.records import Statement

    balance = Decimal(0)
    for k, start in enumerate(range(0, n, per)):
        day = date(2020, 1, 1) + timedelta(days=k)
        count = min(per, n - start)
        header = Statement("PL26105014451000002279872154", f"ST{k:06d}/1", "PLN", balance, None, day)
        yield header, _transactions(count, day, start)
        balance = header.opening_balance + sum(Decimal(i % 99991 - 30000) / 100 or Decimal("0.01")
                                               for i in range(start, start + count))


def write_files(directory: Path, n: int, per: int, lib_n: int) -> dict[str, float]:
    from receivables.banking.writers import Camt053Writer, Mt940Writer

    timings = {}
    start = time.perf_counter()
    for name, count in (("statements.sta", n), ("lib_reference.sta", lib_n)):
        with open(directory / name, "w", encoding="cp1250", newline="\r\n") as handle:
            writer = Mt940Writer(handle, "ing_pl")
            for header, entries in _statements(count, per):
                writer.write_statement(header, entries)
        if name == "statements.sta":
            timings["write_mt940_s"] = round(time.perf_counter() - start, 3)
    start = time.perf_counter()
    with open(directory / "statements.xml", "w", encoding="utf-8") as handle:
        with Camt053Writer(handle, version="001.08") as writer:
            for header, entries in _statements(n, per):
                writer.write_statement(header, entries)
    timings["write_camt053_s"] = round(time.perf_counter() - start, 3)
    return timings


def child(kind: str, path: str) -> None:
    """Parse in this (fresh) process and print seconds, count and peak RSS."""
    from receivables.banking import camt, mt940

    from lxml import etree  # noqa: F401  (imported in every child so the idle baseline matches)

    try:
        import mt940 as mt940_lib
    except ImportError:
        if kind == "mt940_lib":
            raise SystemExit("mt-940 is not installed (pip install mt-940==5.1.1)") from None

    count = 0
    start = time.perf_counter()
    cpu_start = time.process_time()
    if kind == "mt940":
        for statement in mt940.extract(path):
            count += len(statement.transactions)
    elif kind == "camt053":
        for statement in camt.extract(path):
            count += len(statement.transactions)
    elif kind == "mt940_lib":
        count = len(mt940_lib.parse(path, encoding="cp1250"))
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"count": count, "seconds": seconds, "cpu_seconds": cpu_seconds, "peak_rss_kb": peak_kb}))


def run_child(kind: str, path: Path | str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(path)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="transactions per format (default 100000)")
    parser.add_argument("--per-statement", type=int, default=2000, help="entries per daily statement")
    parser.add_argument("--lib-n", type=int, default=20_000, help="transactions for the mt-940 reference")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    lib_n = min(args.lib_n, args.n)
    with tempfile.TemporaryDirectory(prefix="bench-statements-") as tmp:
        directory = Path(tmp)
        result: dict = {"n": args.n, "per_statement": args.per_statement}
        result.update(write_files(directory, args.n, args.per_statement, lib_n))
        result["file_mb"] = {
            "mt940": round((directory / "statements.sta").stat().st_size / 1e6, 1),
            "camt053": round((directory / "statements.xml").stat().st_size / 1e6, 1),
        }
        baseline = run_child("none", "-")["peak_rss_kb"]
        result["idle_child_rss_mb"] = round(baseline / 1024, 1)
        runs = {
            "mt940_ours": ("mt940", directory / "statements.sta"),
            "camt053_ours": ("camt053", directory / "statements.xml"),
            "mt940_lib_5.1.1": ("mt940_lib", directory / "lib_reference.sta"),
        }
        for label, (kind, path) in runs.items():
            try:
                measured = run_child(kind, path)
            except subprocess.CalledProcessError as exc:
                result[label] = {"error": exc.stderr.strip().splitlines()[-1] if exc.stderr else str(exc)}
                continue
            result[label] = {
                "transactions": measured["count"],
                "seconds": round(measured["seconds"], 3),
                "tx_per_s": round(measured["count"] / measured["seconds"]) if measured["seconds"] else None,
                "cpu_seconds": round(measured["cpu_seconds"], 3),
                "tx_per_cpu_s": round(measured["count"] / measured["cpu_seconds"]) if measured["cpu_seconds"] else None,
                "peak_rss_above_idle_mb": round((measured["peak_rss_kb"] - baseline) / 1024, 1),
            }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

"""Statement parsing throughput, the plain approaches beside ours, for MT940 and camt.053.

    python tests/benchmarks/bench_statements_parse.py [--sizes 10000,100000,1000000] [--repeat 3]

For each size N, writes N entries as daily MT940 statements and as one camt.053 document (with
the package's streaming writers) and parses each file in a fresh child process, `--repeat`
times, keeping the fastest run. Approaches:

- mt940 "fast": receivables.banking.mt940 (streaming 1 MB chunks; entries read whole by one
  pattern per statement, banking/mt940_fast.py, field by field where it does not match);
  "plain": the straightforward reader of tests/banking/reference.py (whole file, line by line,
  field by field; same records); "mt940_lib": the mt-940 package (PyPI), default processors.
- camt.053 "fast": receivables.banking.camt (entries read by exact per-layout patterns, lxml for
  the rest); "lxml_per_element": the same reader with that fast way off (lxml iterparse, one
  element at a time; what it did before); "plain": tests/banking/reference.py (whole tree,
  one path lookup per field).

The plain approaches hold the whole file in memory, so they run only up to --plain-max entries.
Prints one JSON object: entries/s by wall clock and by CPU time (steadier on a shared machine),
and the child's peak RSS above an idle child. Goal: >= 100,000 entries/s, memory flat in N.
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

REPO = Path(__file__).resolve().parents[2]
PER_STATEMENT = 2000


def _transactions(count: int, day: date, offset: int):
    from receivables.banking.records import StatementTransaction

    for i in range(offset, offset + count):
        yield StatementTransaction(
            day, day, _amount(i), "PLN", f"KLIENT {i % 997} SP. Z O.O.", "PL61109010140000071219812874",
            f"FV/{i % 100000}/2024 zapłata", f"REF{i:012d}", None, None,
        )


def _amount(i: int) -> Decimal:
    return Decimal(i % 99991 - 30000) / 100 or Decimal("0.01")


def _statements(n: int):
    from receivables.banking.records import Statement

    balance = Decimal(0)
    for k, start in enumerate(range(0, n, PER_STATEMENT)):
        day = date(2020, 1, 1) + timedelta(days=k)
        count = min(PER_STATEMENT, n - start)
        yield Statement("PL26105014451000002279872154", f"ST{k:06d}/1", "PLN", balance, None, day), \
            _transactions(count, day, start)
        balance += sum(_amount(i) for i in range(start, start + count))


def write_files(directory: Path, n: int) -> dict[str, Path]:
    from receivables.banking.writers import Camt053Writer, Mt940Writer

    files = {"mt940": directory / f"{n}.sta", "camt053": directory / f"{n}.xml"}
    with open(files["mt940"], "w", encoding="cp1250", newline="\r\n") as handle:
        writer = Mt940Writer(handle, "ing_pl")
        for header, entries in _statements(n):
            writer.write_statement(header, entries)
    with open(files["camt053"], "w", encoding="utf-8") as handle, Camt053Writer(handle) as camt_writer:
        for header, entries in _statements(n):
            camt_writer.write_statement(header, entries)
    return files


def child(approach: str, path: str) -> None:
    """Parse in this (fresh) process and print seconds, CPU seconds, count and peak RSS."""
    sys.path.insert(0, str(REPO))
    from lxml import etree  # noqa: F401  (imported in every child so the idle baseline matches)

    from receivables.banking import camt, camt_fast, mt940
    from receivables.banking.bank_config import load_bank_configs
    from tests.banking import reference

    load_bank_configs()  # read once per process (cached), not part of any one file's parse

    if approach == "camt053/lxml_per_element":
        camt_fast.Layouts.read = lambda self, block: None  # type: ignore[method-assign]
    parse = {
        "mt940/fast": mt940.extract,
        "mt940/plain": reference.mt940_reference,
        "camt053/fast": camt.extract,
        "camt053/lxml_per_element": camt.extract,
        "camt053/plain": reference.camt_reference,
    }.get(approach)
    count = 0
    start, cpu_start = time.perf_counter(), time.process_time()
    if approach == "mt940/mt940_lib":
        import mt940 as mt940_lib

        count = len(mt940_lib.parse(path, encoding="cp1250"))
    elif parse is not None:
        for statement in parse(path):
            count += len(statement.transactions)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    print(json.dumps({"count": count, "seconds": seconds, "cpu_seconds": cpu_seconds,
                      "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))


def measure(approach: str, path: Path, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, __file__, "--child", approach, str(path)],
                             check=True, capture_output=True, text=True).stdout
        runs.append(json.loads(out))
    return min(runs, key=lambda run: run["seconds"]) | {"cpu_seconds": min(run["cpu_seconds"] for run in runs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000", help="entries per file, comma separated")
    parser.add_argument("--repeat", type=int, default=2, help="runs per measurement; the fastest counts")
    parser.add_argument("--plain-max", type=int, default=10_000, help="largest N for the plain approaches")
    parser.add_argument("--child", nargs=2, metavar=("APPROACH", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    try:
        import mt940  # noqa: F401
        has_lib = True
    except ImportError:
        has_lib = False
    approaches = {
        "mt940": ["fast", "plain"] + (["mt940_lib"] if has_lib else []),
        "camt053": ["fast", "lxml_per_element", "plain"],
    }
    idle = measure("none", Path("-"), 1)["peak_rss_kb"]
    result: dict = {"benchmark": "statements_parse", "goal_entries_per_s": 100_000, "repeat": args.repeat,
                    "entries_per_statement": PER_STATEMENT, "tx_per_s": {}, "tx_per_cpu_s": {},
                    "peak_rss_above_idle_mb": {}, "file_mb": {}}
    with tempfile.TemporaryDirectory(prefix="bench-statements-") as tmp:
        for n in (int(size) for size in args.sizes.split(",")):
            files = write_files(Path(tmp), n)
            for fmt, names in approaches.items():
                result["file_mb"].setdefault(fmt, {})[n] = round(files[fmt].stat().st_size / 1e6, 1)
                for name in names:
                    if name not in ("fast", "lxml_per_element") and n > args.plain_max:
                        continue
                    run = measure(f"{fmt}/{name}", files[fmt], args.repeat)
                    for key, value in (("tx_per_s", run["count"] / run["seconds"]),
                                       ("tx_per_cpu_s", run["count"] / run["cpu_seconds"]),
                                       ("peak_rss_above_idle_mb", (run["peak_rss_kb"] - idle) / 1024)):
                        digits = 1 if key.endswith("_mb") else None
                        result[key].setdefault(fmt, {}).setdefault(n, {})[name] = round(value, digits)
            for path in files.values():
                path.unlink()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

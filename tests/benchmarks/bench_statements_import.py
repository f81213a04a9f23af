"""Benchmark: import N statement entries (MT940 and camt.053 files) through the inbox into SQLite.

    python tests/benchmarks/bench_statements_import.py --n 1000000

Prints JSON: seconds, entries/s and peak resident memory per format. The files are written first
with the streaming writers (not timed), in daily statements of 2,000 entries.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from receivables.banking.inbox import process_inbox
from receivables.banking.records import Statement, StatementTransaction
from receivables.banking.writers import Camt053Writer, write_mt940
from receivables.ledger import open_ledger

ACCOUNT = "PL94105014451000009071219812"
PER_STATEMENT = 2_000


def entries(day: date, start: int):
    for i in range(start, start + PER_STATEMENT):
        yield StatementTransaction(
            booking_date=day, value_date=day, amount=Decimal(f"{100 + i % 9000}.{i % 100:02d}"), currency="PLN",
            counterparty_name=f"KLIENT {i % 5000} SP. Z O.O.", counterparty_iban="PL45116022027557396729776374",
            title=f"Zapłata za fakturę FV/2026/{i % 12 + 1:02d}/{i % 10000:04d}", reference=f"R{i:09d}")


def write_files(folder: Path, n: int, fmt: str) -> None:
    balance = Decimal("1000.00")
    day = date(2020, 1, 1)
    with (folder / f"all.{'sta' if fmt == 'mt940' else 'xml'}").open("w", encoding="utf-8") as fh:
        writer = Camt053Writer(fh).__enter__() if fmt == "camt053" else None
        for k, start in enumerate(range(0, n, PER_STATEMENT)):
            header = Statement(account=ACCOUNT, statement_id=f"{day:%Y%m%d}/{k + 1}", currency="PLN",
                               opening_balance=balance, opening_date=day, closing_date=day)
            if writer:
                balance = writer.write_statement(header, entries(day, start))
            else:
                balance = write_mt940(fh, header, entries(day, start))
            day += timedelta(days=1)
        if writer:
            writer.__exit__(None, None, None)


def run(n: int, fmt: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        inbox = Path(tmp) / "inbox"
        inbox.mkdir()
        write_files(inbox, n, fmt)
        ledger = open_ledger(f"sqlite:///{tmp}/ledger.sqlite")
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        result = process_inbox(ledger, inbox, None)
        seconds = time.perf_counter() - start
        assert result.summary["transactions_new"] == n, result.summary
        again = time.perf_counter()
        (inbox / "processed").rename(inbox / "old")
        for f in (inbox / "old").rglob("*.*"):
            f.rename(inbox / f.name)
        repeat = process_inbox(ledger, inbox, None).summary["transactions_already_known"]
        reimport = time.perf_counter() - again
        ledger.dispose()
    return {"format": fmt, "entries": n, "seconds": round(seconds, 2), "entries_per_s": round(n / seconds),
            "reimport_seconds_no_op": round(reimport, 2), "reimport_known": repeat,
            "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "rss_before_mb": round(rss_before / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()
    runs = []
    for fmt in ("mt940", "camt053"):
        with ProcessPoolExecutor(max_workers=1) as pool:
            runs.append(pool.submit(run, args.n, fmt).result())
    print(json.dumps({"benchmark": "statements_import_sqlite", "goal_entries_per_s": 50_000, "runs": runs},
                     indent=2))


if __name__ == "__main__":
    main()

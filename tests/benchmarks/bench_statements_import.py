"""Statement import into the SQLite ledger, the plain approaches beside ours.

    python tests/benchmarks/bench_statements_import.py [--sizes 10000,100000,1000000] [--repeat 2]

Each measurement runs in a fresh process on a fresh SQLite file ledger (WAL), `--repeat` times,
keeping the fastest. Entries come in daily statements of 2,000 (written with the package's
writers, not timed).

- "import_only": statements already parsed, written to the ledger in one transaction, then the
  same again (a re-import must insert nothing). Approaches: "orm_row_by_row" (a query per
  entry for its key, then session.add; up to --plain-max entries), "insert_returning" (the
  import before the bulk path: one INSERT .. ON CONFLICT DO NOTHING RETURNING of all rows),
  "fast" (ledger.repository.import_statement: a key query per 5,000 entries only when the
  ledger has entries of the account on the statement's days, then multi-row INSERT .. VALUES
  statements of up to 512 new rows at the driver).
- "inbox_end_to_end": MT940 and camt.053 files through banking.inbox.process_inbox (detect,
  parse, check balances, import, move), then the same files again.

Prints JSON with seconds and entries/s (wall clock; cpu = process CPU time, steadier on a shared
machine); for the inbox also how far the process's peak memory grew while importing (flat:
statements are parsed and written one at a time).
Goal: >= 50,000 entries/s into SQLite; a re-import inserts nothing.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from sqlalchemy import select  # noqa: E402

from receivables.banking.inbox import process_inbox  # noqa: E402
from receivables.banking.records import Statement, StatementTransaction  # noqa: E402
from receivables.banking.writers import Camt053Writer, write_mt940  # noqa: E402
from receivables.ledger import open_ledger  # noqa: E402
from receivables.ledger.models import BankTransaction  # noqa: E402
from receivables.ledger.repository import ZERO, import_statement, insert_ignoring_duplicates  # noqa: E402
from tests.banking.reference import statement_fingerprints_reference  # noqa: E402

ACCOUNT = "PL94105014451000009071219812"
PER_STATEMENT = 2_000


def entries(day: date, start: int, count: int):
    for i in range(start, start + count):
        yield StatementTransaction(
            booking_date=day, value_date=day, amount=Decimal(f"{100 + i % 9000}.{i % 100:02d}"), currency="PLN",
            counterparty_name=f"KLIENT {i % 5000} SP. Z O.O.", counterparty_iban="PL45116022027557396729776374",
            title=f"Zapłata za fakturę FV/2026/{i % 12 + 1:02d}/{i % 10000:04d}", reference=f"R{i:09d}")


def write_file(folder: Path, n: int, fmt: str) -> Path:
    path = folder / f"all.{'sta' if fmt == 'mt940' else 'xml'}"
    balance = Decimal("1000.00")
    day = date(2020, 1, 1)
    with path.open("w", encoding="utf-8") as fh:
        writer = Camt053Writer(fh).__enter__() if fmt == "camt053" else None
        for k, start in enumerate(range(0, n, PER_STATEMENT)):
            header = Statement(account=ACCOUNT, statement_id=f"{day:%Y%m%d}/{k + 1}", currency="PLN",
                               opening_balance=balance, opening_date=day, closing_date=day)
            batch = entries(day, start, min(PER_STATEMENT, n - start))
            balance = writer.write_statement(header, batch) if writer else write_mt940(fh, header, batch)
            day += timedelta(days=1)
        if writer:
            writer.__exit__(None, None, None)
    return path


def _row(fingerprint: str, statement: Statement, tx: StatementTransaction, source_file: str) -> dict:
    return {"fingerprint": fingerprint, "account_iban": statement.account, "statement_id": statement.statement_id,
            "booking_date": tx.booking_date, "value_date": tx.value_date, "amount": tx.amount,
            "currency": tx.currency, "counterparty_name": tx.counterparty_name,
            "counterparty_iban": tx.counterparty_iban, "title": tx.title, "reference": tx.reference,
            "end_to_end_id": tx.end_to_end_id, "source_file": source_file,
            "status": "new" if tx.amount > 0 else "outgoing", "allocated": ZERO, "created_run_id": None}


def import_orm_row_by_row(session, statement: Statement, source_file: str) -> int:
    inserted = 0
    for fingerprint, tx in zip(statement_fingerprints_reference(statement), statement.transactions):
        if session.scalar(select(BankTransaction.id).where(BankTransaction.fingerprint == fingerprint)) is None:
            session.add(BankTransaction(**_row(fingerprint, statement, tx, source_file)))
            inserted += 1
    session.flush()
    return inserted


def import_insert_returning(session, statement: Statement, source_file: str) -> int:
    rows = [_row(fingerprint, statement, tx, source_file)
            for fingerprint, tx in zip(statement_fingerprints_reference(statement), statement.transactions)]
    return insert_ignoring_duplicates(session, BankTransaction.__table__, rows)


def import_fast(session, statement: Statement, source_file: str) -> int:
    return import_statement(session, statement, source_file, None).inserted


APPROACHES = {"orm_row_by_row": import_orm_row_by_row, "insert_returning": import_insert_returning,
              "fast": import_fast}


def _timed(work) -> tuple[float, float, int]:
    start, cpu = time.perf_counter(), time.process_time()
    result = work()
    return time.perf_counter() - start, time.process_time() - cpu, result


def import_only(approach: str, n: int) -> dict:
    from receivables.banking import mt940

    with tempfile.TemporaryDirectory() as tmp:
        statements = list(mt940.extract(write_file(Path(tmp), n, "mt940")))
        ledger = open_ledger(f"sqlite:///{tmp}/ledger.sqlite")
        results = []
        for _ in range(2):  # a fresh import, then the same again
            def work():
                with ledger.session() as session:
                    return sum(APPROACHES[approach](session, s, "all.sta") for s in statements)
            results.append(_timed(work))
        ledger.dispose()
    (seconds, cpu, inserted), (re_seconds, re_cpu, re_inserted) = results
    assert inserted == n, (approach, inserted)
    return {"seconds": round(seconds, 2), "tx_per_s": round(n / seconds), "tx_per_cpu_s": round(n / cpu),
            "reimport_tx_per_s": round(n / re_seconds), "reimport_inserted": re_inserted}


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def inbox_end_to_end(fmt: str, n: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        inbox = Path(tmp) / "inbox"
        inbox.mkdir()
        write_file(inbox, n, fmt)
        ledger = open_ledger(f"sqlite:///{tmp}/ledger.sqlite")
        before = _peak_rss_mb()
        seconds, cpu, first = _timed(lambda: process_inbox(ledger, inbox, None).summary)
        peak = _peak_rss_mb() - before
        assert first["transactions_new"] == n, first
        for done in (inbox / "processed").rglob("*.*"):
            done.rename(inbox / done.name)
        re_seconds, _, again = _timed(lambda: process_inbox(ledger, inbox, None).summary)
        ledger.dispose()
    return {"seconds": round(seconds, 2), "tx_per_s": round(n / seconds), "tx_per_cpu_s": round(n / cpu),
            "reimport_tx_per_s": round(n / re_seconds), "reimport_inserted": again["transactions_new"],
            "peak_rss_growth_mb": round(peak, 1)}


def best(function, *args, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        with ProcessPoolExecutor(max_workers=1) as pool:
            runs.append(pool.submit(function, *args).result())
    return max(runs, key=lambda run: run["tx_per_s"]) | {"tx_per_cpu_s": max(run["tx_per_cpu_s"] for run in runs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000", help="entries, comma separated")
    parser.add_argument("--repeat", type=int, default=2, help="runs per measurement; the fastest counts")
    parser.add_argument("--plain-max", type=int, default=10_000, help="largest N for orm_row_by_row")
    args = parser.parse_args()
    result: dict = {"benchmark": "statements_import_sqlite", "goal_entries_per_s": 50_000, "repeat": args.repeat,
                    "import_only": {}, "inbox_end_to_end": {"mt940": {}, "camt053": {}}}
    for n in (int(size) for size in args.sizes.split(",")):
        result["import_only"][n] = {
            approach: best(import_only, approach, n, repeat=args.repeat)
            for approach in APPROACHES if approach != "orm_row_by_row" or n <= args.plain_max
        }
        for fmt in ("mt940", "camt053"):
            result["inbox_end_to_end"][fmt][n] = best(inbox_end_to_end, fmt, n, repeat=args.repeat)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

"""Benchmark: sync a 100,000-invoice export into the ledger, then re-sync it unchanged.

Run: .venv/bin/python tests/benchmarks/bench_accounting_sync.py [--invoices N] [--ledger-url URL]
Prints JSON. Goal (accounting-sync issue): >= 20,000 invoices/s from a file, end to end (read +
validate + ledger), and an unchanged re-sync that writes nothing. The plain approach, one ORM
lookup and insert per record, is timed on a slice and reported beside it.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_invoice_files import ISSUER, _customers, _invoices, write_csv  # noqa: E402

from receivables.accounting.detect import read_invoices  # noqa: E402
from receivables.ledger import open_ledger  # noqa: E402
from receivables.ledger.invoice_sync import SyncCount, sync_accounting  # noqa: E402
from receivables.ledger.models import Customer, Invoice  # noqa: E402
from receivables.ledger.repository import derive_status  # noqa: E402


def plain_sync(session, batch) -> None:  # noqa: ANN001
    """The straightforward way: look each record up by its key, then insert or update it."""
    customers = {}
    for rec in batch.customers:
        row = session.scalar(select(Customer).where(Customer.external_id == rec.external_id))
        if row is None:
            row = Customer(external_id=rec.external_id, name=rec.name, country=rec.country, tax_id=rec.tax_id,
                           language=rec.language)
            session.add(row)
            session.flush()
        customers[rec.external_id] = row.id
    for rec in batch.invoices:
        row = session.scalar(select(Invoice).where(Invoice.issuer_tax_id == rec.issuer_tax_id,
                                                   Invoice.number == rec.number))
        if row is None:
            session.add(Invoice(number=rec.number, issuer_tax_id=rec.issuer_tax_id,
                                customer_id=customers[rec.customer_external_id], kind=rec.kind,
                                issue_date=rec.issue_date, due_date=rec.due_date, currency=rec.currency,
                                net=rec.net, vat=rec.vat, gross=rec.gross, open_amount=rec.gross,
                                status=derive_status(rec.gross, rec.gross * 0, rec.kind)))
    session.flush()


def run(ledger_url: str, folder: Path, listed: bool) -> dict[str, object]:
    ledger = open_ledger(ledger_url)
    started = time.perf_counter()
    batch = read_invoices(folder)
    read_s = time.perf_counter() - started
    issuers = {ISSUER: {i.number for i in batch.invoices}} if listed else None
    results = {}
    for label in ("first sync", "unchanged re-sync"):
        started = time.perf_counter()
        with ledger.session() as session:
            count: SyncCount = sync_accounting(session, batch.customers, batch.invoices, None, listed=issuers)
        seconds = time.perf_counter() - started
        results[label] = {"ledger_s": round(seconds, 3), "rows_written": count.writes,
                          "invoices_per_s_ledger_only": round(len(batch.invoices) / seconds),
                          "invoices_per_s_with_read": round(len(batch.invoices) / (seconds + read_s))}
    with ledger.session() as session:
        results["invoices_in_ledger"] = session.scalar(select(func.count()).select_from(Invoice))
    ledger.dispose()
    return {"read_validate_s": round(read_s, 3), **results}


def run_plain(ledger_url: str, folder: Path, limit: int) -> dict[str, object]:
    ledger = open_ledger(ledger_url)
    batch = read_invoices(folder)
    batch.invoices[:] = [i for i in batch.invoices if i.kind == "invoice"][:limit]
    started = time.perf_counter()
    with ledger.session() as session:
        plain_sync(session, batch)
    seconds = time.perf_counter() - started
    ledger.dispose()
    return {"invoices": limit, "ledger_s": round(seconds, 3), "invoices_per_s_ledger_only": round(limit / seconds)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=5_000)
    parser.add_argument("--plain-invoices", type=int, default=10_000)
    parser.add_argument("--ledger-url", help="default: a fresh SQLite file; a PostgreSQL URL must be an empty db")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp) / "export"
        folder.mkdir()
        write_csv(folder, _customers(args.customers), _invoices(args.invoices, args.customers))
        fast = run(args.ledger_url or f"sqlite:///{temp}/fast.sqlite", folder, listed=True)
        plain = run_plain(f"sqlite:///{temp}/plain.sqlite", folder, args.plain_invoices)
    print(json.dumps({"benchmark": "accounting sync from an export", "invoices": args.invoices,
                      "goal_invoices_per_s": 20_000, "bulk_sync": fast, "plain_row_by_row": plain}, indent=2))


if __name__ == "__main__":
    main()

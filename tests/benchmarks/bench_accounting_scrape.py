"""Benchmark: the accounting web app scraper on a demo-sized world.

Run: .venv/bin/python tests/benchmarks/bench_accounting_scrape.py [INVOICES] [--customers N] [--goto-sample N]
Prints JSON: login seconds, list pages walked and pages/s, detail pages per second read in the
browser session with fetch + DOMParser (the default) and with one page.goto per detail (on a
sample), and the seconds of a full first-run scrape (login, both lists, every detail page).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

from receivables.accounting.web_source import AccountingAppScraper, AppCredentials, load_app_config
from receivables.sandbox.accounting_app import ACCOUNTING_USERS, register_accounting_app
from receivables.sandbox.server import SandboxServer
from receivables.sandbox.world import WorldGenerator, WorldSpec

T = TypeVar("T")
ACCOUNTS = {"PLN": "PL61109010140000071219812874", "EUR": "PL27114020040000300201355387"}


def timed(call: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("invoices", nargs="?", type=int, default=2000)
    parser.add_argument("--customers", type=int, default=200)
    parser.add_argument("--goto-sample", type=int, default=200, help="detail pages read with page.goto")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    user, login = next(iter(ACCOUNTING_USERS.items()))
    creds = AppCredentials(user, login["password"])
    with tempfile.TemporaryDirectory() as tmp:
        world = Path(tmp) / "world"
        spec = WorldSpec(seed=42, customers=args.customers, invoices=args.invoices, months=12, as_of=date(2026, 11, 27))
        WorldGenerator(spec, "5252448487", ACCOUNTS).write(world)
        server = SandboxServer(world)
        book, load_s = timed(lambda: register_accounting_app(server.app, world))
        result: dict = {"cpus": os.cpu_count(), "documents": len(book.invoice_entries()),
                        "customers": len(book.customer_entries()), "app_load_s": round(load_s, 3)}
        with server:
            config = load_app_config("sandbox_app", base_url=server.url)
            fail = Path(tmp) / "fail"
            with AccountingAppScraper(config, creds, fail) as scraper:
                started = time.perf_counter()
                _, login_s = timed(scraper.login)
                (invoices, customers), list_s = timed(lambda: (scraper.list_invoices(), scraper.list_customers()))
                pages = scraper.stats["list_pages"]
                records, invoice_s = timed(lambda: scraper.fetch_invoices([i.number for i in invoices]))
                people, customer_s = timed(lambda: scraper.fetch_customers([c.external_id for c in customers]))
                total_s = time.perf_counter() - started
            result.update(
                login_s=round(login_s, 2), list_pages=pages, list_rows_per_page=config.per_page,
                list_s=round(list_s, 2), list_pages_per_s=round(pages / list_s, 1),
                fetch_details=len(records) + len(people), fetch_details_s=round(invoice_s + customer_s, 2),
                fetch_details_per_s=round((len(records) + len(people)) / (invoice_s + customer_s), 1),
                concurrency=config.concurrency, full_scrape_s=round(total_s, 2),
            )
            sample = [i.number for i in invoices[: args.goto_sample]]
            with AccountingAppScraper(config, creds, fail, mode="goto") as scraper:
                scraper.login()
                _, goto_list_s = timed(scraper.list_customers)
                _, goto_s = timed(lambda: scraper.fetch_invoices(sample))
            result.update(goto_list_pages_per_s=round(scraper.stats["list_pages"] / goto_list_s, 1),
                          goto_details=len(sample), goto_details_per_s=round(len(sample) / goto_s, 1),
                          goto_full_scrape_estimate_s=round(
                              login_s + pages * goto_list_s / scraper.stats["list_pages"]
                              + (len(records) + len(people)) * goto_s / len(sample), 1))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

"""Benchmark: the sandbox bank portal and the web-banking scraper on a demo-sized world.

Run: .venv/bin/python tests/benchmarks/bench_portal.py [--months N] [--invoices N]
Prints JSON: how long the portal takes to read the world, seconds per scraper run (login,
accounts, one statement per account) for each format, and history pages/s in Chromium.
"""

from __future__ import annotations

import argparse
import json
import logging
import tempfile
import time
from datetime import date
from pathlib import Path

from playwright.sync_api import sync_playwright

from receivables.banking.portal import (
    CHROMIUM, CHROMIUM_ARGS, PortalCredentials, download_statements, load_portal_config)
from receivables.sandbox.bank_portal import SANDBOX_USERS, register_bank_portal
from receivables.sandbox.server import SandboxServer
from receivables.sandbox.world import WorldGenerator, WorldSpec

ACCOUNTS = {"PLN": "PL61109010140000071219812874", "EUR": "PL27114020040000300201355387"}


def history_pages_per_second(
    base: str, credentials: PortalCredentials, iban: str, since: date, until: date
) -> tuple[int, float]:
    """Log in by hand, then follow the history's "Next" links to the last page."""
    import pyotp

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{base}/bank/login")
        page.fill("#user-id", credentials.user)
        page.fill("#password", credentials.password)
        page.click("#login-submit")
        page.fill("#otp-code", pyotp.TOTP(credentials.totp_secret).now())
        page.click("#otp-submit")
        page.wait_for_selector("table#accounts")
        started, pages = time.perf_counter(), 1
        page.goto(f"{base}/bank/accounts/{iban}/history?from={since}&to={until}")
        while page.locator("a.next").count():
            page.click("a.next")
            page.wait_for_selector(f".page-info:has-text('Page {pages + 1} ')")
            pages += 1
        elapsed = time.perf_counter() - started
        browser.close()
    return pages, pages / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--invoices", type=int, default=2000)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    as_of = date(2026, 11, 27)
    with tempfile.TemporaryDirectory() as tmp:
        world = Path(tmp) / "world"
        spec = WorldSpec(seed=42, customers=200, invoices=args.invoices, months=args.months, as_of=as_of)
        counts = WorldGenerator(spec, "5252448487", ACCOUNTS).write(world)["counts"]
        server = SandboxServer(world)
        started = time.perf_counter()
        register_bank_portal(server.app, world)
        load_s = time.perf_counter() - started
        user = SANDBOX_USERS["nordwind"]
        credentials = PortalCredentials("nordwind", user["password"], user["totp_secret"])
        result: dict = {"bank_transactions": counts["bank_transactions"], "portal_load_s": round(load_s, 3)}
        with server:
            portal = load_portal_config("sandbox_bank", base_url=server.url)
            for fmt in ("mt940", "camt053"):
                started = time.perf_counter()
                files = download_statements(portal, credentials, spec.start, as_of, Path(tmp) / fmt, fmt,
                                            failure_dir=Path(tmp) / "fail")
                result[f"scrape_{fmt}_s"] = round(time.perf_counter() - started, 2)
                result[f"scrape_{fmt}_files"] = len(files)
            pages, rate = history_pages_per_second(server.url, credentials, ACCOUNTS["PLN"], spec.start, as_of)
            result.update(history_pages=pages, history_pages_per_s=round(rate, 1))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

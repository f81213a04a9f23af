"""The accounting app scraper in real Chromium against the sandbox app on loopback.

One server and one logged-in browser serve the module; tests that change the book compare
against the book as it is then, so their order does not matter.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("playwright.sync_api", reason="Playwright is needed for the accounting app scraper")
if not Path("/usr/bin/chromium").exists():
    pytest.skip("Debian's chromium (/usr/bin/chromium) is not installed", allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402

from receivables.accounting import web_source  # noqa: E402
from receivables.accounting.detect import read_invoices  # noqa: E402
from receivables.accounting.web_source import (  # noqa: E402
    AccountingAppError, AccountingAppScraper, AppConfig, AppCredentials, load_app_config)
from receivables.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from receivables.sandbox.accounting_app import AccountingBook  # noqa: E402
from receivables.sandbox.server import SandboxServer  # noqa: E402
from tests.accounting_web.helpers import PASSWORD, exported  # noqa: E402

GOOD = AppCredentials("tester", PASSWORD)


@pytest.fixture(scope="module")
def config(served: tuple[SandboxServer, AccountingBook]) -> AppConfig:
    """The shipped config without its per_page, so lists come in the app's pages of 25."""
    return replace(load_app_config("sandbox_app", base_url=served[0].url), per_page=None)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """One Chromium for the module; every scraper opens its own context (cookies) in it."""
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def scraper(config: AppConfig, browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AccountingAppScraper]:
    with AccountingAppScraper(config, GOOD, tmp_path_factory.mktemp("failures"), browser=browser) as running:
        running.login()
        yield running


@pytest.fixture
def book(served: tuple[SandboxServer, AccountingBook]) -> AccountingBook:
    return served[1]


def test_lists_walk_every_page(scraper: AccountingAppScraper, book: AccountingBook) -> None:
    pages_before = scraper.stats["list_pages"]
    listed = scraper.list_invoices()
    entries = book.invoice_entries()
    assert scraper.stats["list_pages"] - pages_before == math.ceil(len(entries) / 25) >= 5
    assert [i.number for i in listed] == [e.record.number for e in entries]
    assert [(i.kind, i.customer_external_id, i.modified_at) for i in listed] == [
        (e.record.kind, e.record.customer_external_id, e.modified_at) for e in entries]
    assert {i.kind for i in listed} == {"invoice", "credit_note"}
    customers = scraper.list_customers()
    assert [(c.external_id, c.modified_at) for c in customers] == [
        (c.record.external_id, c.modified_at) for c in book.customer_entries()]


def test_details_equal_the_book(scraper: AccountingAppScraper, book: AccountingBook,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(web_source, "BATCH", 7)
    numbers = [e.record.number for e in book.invoice_entries()]
    fetched = scraper.fetch_invoices(numbers)
    assert fetched == book.invoices()
    notes = [i for i in fetched if i.kind == "credit_note"]
    assert notes and all(n.corrects and n.gross < 0 for n in notes)
    assert all(isinstance(line.net, Decimal) for i in fetched for line in i.lines)
    assert {len(i.lines) for i in fetched} == {1, 2, 3}
    ids = [c.record.external_id for c in book.customer_entries()]
    assert scraper.fetch_customers(reversed(ids)) == book.customers()[::-1]


def test_text_comes_back_exactly(scraper: AccountingAppScraper, book: AccountingBook) -> None:
    book.change_customer("K00005", name='Zażółć & <Gęślą> "Jaźń" sp. z o.o.', regon=None, account_manager=None,
                         emails=["a&b@example.pl", "x@y.de"], phones=[], is_consumer=True)
    [fetched] = scraper.fetch_customers(["K00005"])
    assert fetched == book.customer("K00005")
    assert fetched.name == 'Zażółć & <Gęślą> "Jaźń" sp. z o.o.' and fetched.phones == [] and fetched.regon is None


def test_a_change_shows_a_newer_modified_at(scraper: AccountingAppScraper, book: AccountingBook) -> None:
    entry = book.invoice_entries()[7]
    before = {i.number: i.modified_at for i in scraper.list_invoices()}[entry.record.number]
    new_due = entry.record.due_date + timedelta(days=10)
    book.change_invoice(entry.record.number, due_date=new_due)
    after = {i.number: i.modified_at for i in scraper.list_invoices()}[entry.record.number]
    assert after > before and after == book.entry(entry.record.number).modified_at
    [fetched] = scraper.fetch_invoices([entry.record.number])
    assert fetched.due_date == new_due
    assert fetched.payment_terms_days == entry.record.payment_terms_days + 10


def test_credit_note_issued_in_the_browser(scraper: AccountingAppScraper, book: AccountingBook) -> None:
    original = next(e for e in book.invoice_entries() if e.record.kind == "invoice" and e.record.currency == "EUR"
                    and not book.credit_notes_for(e.record.number) and e.record.net > 50)
    page = scraper.page
    page.goto(f"{scraper.config.base_url}/accounting/invoices/{original.id}")
    page.fill("#credit-net", "12,50")
    page.fill("#credit-vat", "0,00")
    page.click("#credit-note-submit")
    page.wait_for_selector(".notice.saved")
    [number] = book.credit_notes_for(original.record.number)
    assert page.inner_text("#invoice-number") == number
    listed = {i.number: i for i in scraper.list_invoices()}
    assert listed[number].kind == "credit_note"
    [note] = scraper.fetch_invoices([number])
    assert (note.corrects, note.net, note.vat, note.gross) == (original.record.number, Decimal("-12.50"),
                                                               Decimal("0.00"), Decimal("-12.50"))
    assert note == book.invoice(number)


def test_a_removed_invoice_is_gone(scraper: AccountingAppScraper, book: AccountingBook) -> None:
    number = book.invoice_entries()[-3].record.number
    assert number in {i.number for i in scraper.list_invoices()}
    book.remove_invoice(number)
    assert number not in {i.number for i in scraper.list_invoices()}
    assert scraper.fetch_invoices([number]) == []
    assert number in scraper.stats["not_found"]


def test_an_expired_session_means_one_more_login(served: tuple, scraper: AccountingAppScraper,
                                                 book: AccountingBook) -> None:
    server, _ = served
    store = server.app.extensions["accounting_app"]["sessions"]
    for session in list(store._sessions.values()):
        store.drop(session)
    relogins = scraper.stats["relogins"]
    numbers = [e.record.number for e in book.invoice_entries()[:5]]
    assert [i.number for i in scraper.fetch_invoices(numbers)] == numbers
    assert scraper.stats["relogins"] == relogins + 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_downloads(scraper: AccountingAppScraper, book: AccountingBook, fmt: str, tmp_path: Path) -> None:
    path = scraper.download_export(fmt, tmp_path)
    if fmt == "csv":
        assert path.is_dir() and sorted(p.name for p in path.iterdir()) == ["customers.csv", "invoices.csv"]
    else:
        assert path.suffix == ".xlsx" and path.is_file()
    assert not list(tmp_path.glob("*.part"))
    batch = read_invoices(path, mapping="sandbox")
    assert batch.customers == book.customers()
    assert [exported(i) for i in batch.invoices] == [exported(i) for i in book.invoices()]


def test_goto_mode_reads_the_same(config: AppConfig, browser, book: AccountingBook, tmp_path: Path) -> None:
    numbers = [e.record.number for e in book.invoice_entries()[:4]]
    with AccountingAppScraper(config, GOOD, tmp_path, mode="goto", browser=browser) as slow:
        assert slow.fetch_invoices(numbers) == [book.invoice(n) for n in numbers]
        assert [c.external_id for c in slow.list_customers()] == [c.record.external_id for c in book.customer_entries()]


def test_wrong_password_leaves_evidence(config: AppConfig, browser, tmp_path: Path) -> None:
    bad = AppCredentials("tester", "not-the-password")
    with AccountingAppScraper(config, bad, tmp_path / "fail", browser=browser) as scraper, \
            pytest.raises(AccountingAppError) as caught:
        scraper.login()
    error = caught.value
    assert error.step == "login" and error.url.endswith("/accounting/login")
    assert "Wrong user name or password" in str(error)
    assert error.screenshot.read_bytes().startswith(b"\x89PNG")
    assert "Wrong user name or password" in error.html.read_text(encoding="utf-8")
    assert "not-the-password" not in str(error) and "not-the-password" not in repr(bad)


def test_a_page_that_does_not_match_the_config(config: AppConfig, browser, book: AccountingBook,
                                               tmp_path: Path) -> None:
    broken = replace(config, selectors={**config.selectors, "invoice": {**config.selectors["invoice"],
                                                                       "net": "#no-such-total"}})
    number = book.invoice_entries()[2].record.number
    with AccountingAppScraper(broken, GOOD, tmp_path / "fail", browser=browser) as scraper, \
            pytest.raises(AccountingAppError) as caught:
        scraper.fetch_invoices([number])
    error = caught.value
    assert error.step == "invoice details" and error.selector == "#no-such-total"
    assert "invoice.net" in str(error) and "/accounting/invoices/" in error.url
    assert error.screenshot.is_file() and number in error.html.read_text(encoding="utf-8")


def test_a_list_row_selector_that_matches_nothing(config: AppConfig, browser, tmp_path: Path) -> None:
    broken = replace(config, selectors={**config.selectors, "invoice_list": {**config.selectors["invoice_list"],
                                                                            "row": "table#bills tr"}})
    with AccountingAppScraper(broken, GOOD, tmp_path / "fail", browser=browser) as scraper, \
            pytest.raises(AccountingAppError) as caught:
        scraper.list_invoices()
    assert caught.value.selector == "table#bills tr" and "no rows" in str(caught.value)
    assert caught.value.html.is_file()


def test_a_config_file_missing_keys(tmp_path: Path) -> None:
    (tmp_path / "accounting_apps").mkdir()
    (tmp_path / "accounting_apps" / "half.yaml").write_text("name: half\nbase_url: http://x\npaths: {login: /l}\n")
    with pytest.raises(AccountingAppError) as caught:
        load_app_config("half", config_dir=tmp_path)
    assert "paths.customers" in str(caught.value) and "invoice.net" in str(caught.value)

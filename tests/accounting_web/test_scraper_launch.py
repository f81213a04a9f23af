"""The scraper launching and closing its own Chromium (the robot's way), and a browser that will not start."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("playwright.sync_api", reason="Playwright is needed for the accounting app scraper")
if not Path("/usr/bin/chromium").exists():
    pytest.skip("Debian's chromium (/usr/bin/chromium) is not installed", allow_module_level=True)

from receivables.accounting.web_source import (  # noqa: E402
    AccountingAppError, AccountingAppScraper, AppCredentials, load_app_config)
from tests.accounting_web.helpers import PASSWORD  # noqa: E402


def test_own_browser_session(served: tuple, tmp_path: Path) -> None:
    server, book = served
    config = load_app_config("sandbox_app", base_url=server.url)
    scraper = AccountingAppScraper(config, AppCredentials("tester", PASSWORD), tmp_path)
    with pytest.raises(RuntimeError, match="context manager"):
        scraper.list_customers()
    with scraper:
        listed = scraper.list_customers()
        assert scraper.stats["list_pages"] == 1
    assert [c.external_id for c in listed] == [c.record.external_id for c in book.customer_entries()]
    assert scraper.page is None and scraper.stats["seconds"] > 0


def test_a_browser_that_does_not_start(served: tuple, tmp_path: Path) -> None:
    config = load_app_config("sandbox_app", base_url=served[0].url)
    with pytest.raises(AccountingAppError) as caught:
        with AccountingAppScraper(config, AppCredentials("tester", PASSWORD), tmp_path, browser_path="/no/chromium"):
            pass
    assert caught.value.step == "launch" and "/no/chromium" in str(caught.value)

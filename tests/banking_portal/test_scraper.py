"""The web-banking scraper in real Chromium against the sandbox bank portal on loopback."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask, request

pytest.importorskip("playwright.sync_api", reason="Playwright is needed for the web-banking scraper")
if not Path("/usr/bin/chromium").exists():
    pytest.skip("Debian's chromium (/usr/bin/chromium) is not installed", allow_module_level=True)

from receivables.banking.portal import (  # noqa: E402
    PortalConfig, PortalCredentials, PortalError, download_statements, load_portal_config)
from receivables.sandbox.server import SandboxServer  # noqa: E402
from tests.banking_portal.helpers import (  # noqa: E402
    USER, WORLD_FORMAT, FakeClock, expected_range, parse, same_entries)

SINCE, UNTIL = date(2026, 9, 17), date(2026, 11, 3)
GOOD = PortalCredentials("tester", USER["tester"]["password"], USER["tester"]["totp_secret"])


def portal(server: SandboxServer) -> PortalConfig:
    return load_portal_config("sandbox_bank", base_url=server.url)


@pytest.mark.parametrize("fmt", ["mt940", "camt053"])
def test_downloads_match_the_world(serve: Callable, monthly: dict, fmt: str, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    files = download_statements(portal(serve()), GOOD, SINCE, UNTIL, inbox, fmt, failure_dir=tmp_path / "fail")
    suffix = {"mt940": "sta", "camt053": "xml"}[fmt]
    assert sorted(p.name for p in inbox.iterdir()) == sorted(
        f"{iban}_20260917_20261103.{suffix}" for iban in monthly)
    assert sorted(files) == sorted(inbox.iterdir())
    for path in files:
        [got] = parse(path)
        opening, want = expected_range(monthly[got.account], SINCE, UNTIL)
        assert (got.opening_date, got.closing_date) == (SINCE, UNTIL)
        assert got.opening_balance == opening
        assert got.closing_balance == opening + sum((t.amount for t in want), Decimal("0"))
        same_entries(got.transactions, want, same_format=fmt == WORLD_FORMAT[got.account])
    assert not (tmp_path / "fail").exists()


def test_wrong_password_leaves_evidence(serve: Callable, tmp_path: Path) -> None:
    bad = PortalCredentials("tester", "not-the-password", GOOD.totp_secret)
    with pytest.raises(PortalError) as caught:
        download_statements(portal(serve()), bad, SINCE, UNTIL, tmp_path / "inbox", failure_dir=tmp_path / "fail")
    error = caught.value
    assert error.step == "login" and error.url.endswith("/bank/login")
    assert "Invalid user ID or password" in str(error)
    assert error.screenshot.read_bytes().startswith(b"\x89PNG")
    assert "Invalid user ID or password" in error.html.read_text(encoding="utf-8")
    assert "not-the-password" not in str(error) and "not-the-password" not in repr(bad)
    assert not list((tmp_path / "inbox").iterdir())


def test_wrong_totp_secret_is_refused(serve: Callable, tmp_path: Path) -> None:
    bad = PortalCredentials("tester", GOOD.password, "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU")
    with pytest.raises(PortalError) as caught:
        download_statements(portal(serve()), bad, SINCE, UNTIL, tmp_path / "inbox", failure_dir=tmp_path / "fail")
    assert caught.value.step == "otp" and "Invalid one-time code" in str(caught.value)
    assert caught.value.screenshot.is_file() and caught.value.html.is_file()


def test_expired_session_means_one_more_login(serve: Callable, tmp_path: Path) -> None:
    clock, logins, expired = FakeClock(), [], []

    def configure(app: Flask) -> None:
        app.extensions["bank_portal"]["sessions"].clock = clock

        @app.before_request
        def idle_before_first_download() -> None:
            if request.method == "POST" and request.path.endswith("/login/otp"):
                logins.append(request.path)
            if request.method == "POST" and request.path.endswith("/statement") and not expired:
                expired.append(request.path)
                clock.offset += 601

    files = download_statements(portal(serve(configure)), GOOD, SINCE, UNTIL, tmp_path / "inbox",
                                failure_dir=tmp_path / "fail")
    assert len(files) == 2 and all(path.stat().st_size > 0 for path in files)
    assert len(expired) == 1 and len(logins) == 2

"""Web-banking scraper: log in (password + TOTP), list the accounts, download one statement each.

One entry point, `download_statements`. What differs between banks (URL paths, CSS selectors,
format option values, timeouts) lives in config/portals/<name>.yaml, so a bank whose portal has
the usual login -> one-time code -> accounts -> statement form shape is a new YAML file.
Playwright drives Debian's Chromium (no browser download). Every failure leaves a screenshot and
the page HTML in `failure_dir` and raises `PortalError` naming the step and URL. Passwords and
TOTP secrets are never logged.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pyotp
import yaml

from receivables.banking import camt, mt940
from receivables.browser import CHROMIUM, CHROMIUM_ARGS, WebStepError, safe, save_evidence

log = logging.getLogger(__name__)

_IDENTIFY = {"mt940": mt940.identify, "camt053": camt.identify}
_REQUIRED = {
    "paths": ("login", "accounts"),
    "login": ("user", "password", "submit", "error"),
    "otp": ("code", "submit", "error"),
    "session": ("expired",),
    "accounts": ("row", "iban", "currency", "statement_link"),
    "statement": ("date_from", "date_to", "format", "submit", "error"),
}


class PortalError(WebStepError):
    """The bank portal refused us or did not look as configured."""


@dataclass(frozen=True)
class PortalCredentials:
    """Filled by the robot from the vault or environment; repr hides the secrets."""

    user: str
    password: str = field(repr=False)
    totp_secret: str = field(repr=False)


@dataclass(frozen=True)
class PortalFormat:
    option: str
    extension: str


@dataclass(frozen=True)
class PortalConfig:
    """One bank's portal: base URL, paths and selectors per step (see config/portals/)."""

    name: str
    base_url: str
    paths: Mapping[str, str]
    selectors: Mapping[str, Mapping[str, str]]
    formats: Mapping[str, PortalFormat]
    step_timeout_ms: int = 15_000
    download_timeout_ms: int = 60_000

    def url(self, path_key: str) -> str:
        return urljoin(self.base_url.rstrip("/") + "/", self.paths[path_key].lstrip("/"))

    def sel(self, step: str, key: str) -> str:
        return self.selectors[step][key]


@dataclass(frozen=True)
class PortalAccount:
    iban: str
    currency: str
    statement_url: str


def load_portal_config(name: str, *, base_url: str | None = None, directory: Path | None = None) -> PortalConfig:
    """Read config/portals/<name>.yaml; `base_url` overrides the file's (e.g. a test server)."""
    if directory is None:
        from receivables.config import config_dir

        directory = config_dir() / "portals"
    path = Path(directory) / f"{name}.yaml"
    try:
        data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise PortalError(f"cannot read {path}: {exc}", step="config") from exc
    missing = [f"{group}.{key}" for group, keys in _REQUIRED.items() for key in keys
               if not isinstance(data.get(group), dict) or key not in data[group]]
    if not (base_url or data.get("base_url")):
        missing.append("base_url")
    if not data.get("formats"):
        missing.append("formats")
    if missing:
        raise PortalError(f"{path} lacks {', '.join(missing)}", step="config")
    timeouts = data.get("timeouts") or {}
    return PortalConfig(
        name=data.get("name", name),
        base_url=base_url or data["base_url"],
        paths=dict(data["paths"]),
        selectors={group: dict(data[group]) for group in _REQUIRED if group != "paths"},
        formats={fmt: PortalFormat(str(spec["option"]), str(spec["extension"]))
                 for fmt, spec in data["formats"].items()},
        step_timeout_ms=int(timeouts.get("step_ms", 15_000)),
        download_timeout_ms=int(timeouts.get("download_ms", 60_000)),
    )


def download_statements(
    portal: PortalConfig,
    credentials: PortalCredentials,
    since: date,
    until: date,
    target_dir: Path,
    fmt: str = "mt940",
    *,
    failure_dir: Path,
    browser_path: str | None = None,
) -> list[Path]:
    """Download one statement per account for [since, until] into `target_dir`; return the files.

    Files appear whole (written as *.part, then renamed) as <IBAN>_<since>_<until>.<ext>.
    Raises PortalError (with a screenshot and HTML in `failure_dir`) on any failure.
    """
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    if fmt not in portal.formats:
        raise ValueError(f"{portal.name} offers {sorted(portal.formats)}, not {fmt!r}")
    if since > until:
        raise ValueError(f"since {since} is after until {until}")
    executable = browser_path or os.environ.get("RECEIVABLES_CHROMIUM", CHROMIUM)
    target_dir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        except PlaywrightError as exc:
            raise PortalError(f"cannot start Chromium {executable}: {exc.message}", step="launch") from exc
        try:
            page = browser.new_context(accept_downloads=True).new_page()
            page.set_default_timeout(portal.step_timeout_ms)
            return _PortalRun(page, portal, credentials, failure_dir).run(since, until, fmt, target_dir)
        finally:
            browser.close()


class _SessionExpired(Exception):
    """The portal sent us back to its login page in the middle of the work."""


class _PortalRun:
    """One browser session's walk through the portal; `step` always says where it is."""

    def __init__(self, page: Any, portal: PortalConfig, credentials: PortalCredentials, failure_dir: Path) -> None:
        self.page, self.portal, self.credentials, self.failure_dir = page, portal, credentials, failure_dir
        self.step = "start"
        self.relogins = 0

    def run(self, since: date, until: date, fmt: str, target_dir: Path) -> list[Path]:
        started = time.monotonic()
        try:
            self.login()
            accounts = self.accounts()
            files = [self.download(account, since, until, fmt, target_dir) for account in accounts]
        except Exception as exc:
            raise self.evidence(exc) from exc
        log.info("%s: %d statement(s) %s..%s in %.1f s", self.portal.name, len(files), since, until,
                 time.monotonic() - started)
        return files

    # -- steps -----------------------------------------------------------------------------
    def login(self) -> None:
        page, portal = self.page, self.portal
        self.step = "login"
        page.goto(portal.url("login"))
        self.need("login", "user").fill(self.credentials.user)
        self.need("login", "password").fill(self.credentials.password)
        self.need("login", "submit").click()
        if self.first_of(("login", "error"), ("otp", "code")) == ("login", "error"):
            raise self.refused("login", "the bank rejected the user id or password")
        self.step = "otp"
        self.need("otp", "code").fill(pyotp.TOTP(self.credentials.totp_secret).now())
        self.need("otp", "submit").click()
        if self.first_of(("otp", "error"), ("accounts", "row")) == ("otp", "error"):
            raise self.refused("otp", "the bank rejected the one-time code")
        log.info("%s: logged in", portal.name)

    def accounts(self) -> list[PortalAccount]:
        self.step = "accounts"
        if self.page.url != self.portal.url("accounts"):
            self.goto(self.portal.url("accounts"))
        self.need("accounts", "row")
        rows = self.page.locator(self.portal.sel("accounts", "row"))
        found = []
        for i in range(rows.count()):
            row = rows.nth(i)
            link = row.locator(self.portal.sel("accounts", "statement_link")).first.get_attribute("href")
            if not link:
                raise PortalError("an account row has no statement link", step=self.step, url=self.page.url)
            found.append(PortalAccount(
                iban="".join(row.locator(self.portal.sel("accounts", "iban")).first.inner_text().split()),
                currency=row.locator(self.portal.sel("accounts", "currency")).first.inner_text().strip(),
                statement_url=urljoin(self.page.url, link),
            ))
        log.info("%s: %d account(s)", self.portal.name, len(found))
        return found

    def download(self, account: PortalAccount, since: date, until: date, fmt: str, target_dir: Path) -> Path:
        spec = self.portal.formats[fmt]
        self.step = f"statement {mask(account.iban)}"
        while True:
            self.goto(account.statement_url)
            self.need("statement", "date_from").fill(since.isoformat())
            self.need("statement", "date_to").fill(until.isoformat())
            self.need("statement", "format").select_option(spec.option)
            try:
                download = self.submit_for_download()
                break
            except _SessionExpired:
                self.relogin()
        final = target_dir / f"{account.iban}_{since:%Y%m%d}_{until:%Y%m%d}.{spec.extension}"
        part = final.with_name(final.name + ".part")
        download.save_as(part)
        if not _IDENTIFY[fmt](part):
            part.unlink()
            raise PortalError(f"the downloaded file is not a {fmt} statement", step=self.step, url=self.page.url)
        part.replace(final)
        log.info("%s: saved %s statement of %s", self.portal.name, fmt, mask(account.iban))
        return final

    # -- helpers ---------------------------------------------------------------------------
    def goto(self, url: str) -> None:
        """Open a page of the logged-in area; after a session timeout log in again (once)."""
        self.page.goto(url)
        if self.logged_out():
            self.relogin()
            self.page.goto(url)
            if self.logged_out():
                raise PortalError("still on the login page after logging in again", step=self.step, url=url)

    def relogin(self) -> None:
        step = self.step
        if self.relogins:
            raise PortalError("the session expired again after logging in again", step=step, url=self.page.url)
        self.relogins += 1
        log.info("%s: session expired during %s; logging in again", self.portal.name, step)
        self.login()
        self.step = step

    def logged_out(self) -> bool:
        sel = self.portal.sel
        return self._count(sel("session", "expired")) > 0 or self._count(sel("login", "user")) > 0

    def submit_for_download(self) -> Any:
        """Click the download button; return the download, or raise _SessionExpired."""
        downloads: list[Any] = []
        self.page.once("download", lambda download: downloads.append(download))
        self.need("statement", "submit").click()
        deadline = time.monotonic() + self.portal.download_timeout_ms / 1000
        while not downloads:
            if self.logged_out():
                raise _SessionExpired
            if self._count(self.portal.sel("statement", "error")):
                raise self.refused("statement", "the bank refused the statement request")
            if time.monotonic() > deadline:
                raise PortalError("no file arrived after asking for the statement", step=self.step,
                                  url=self.page.url)
            self.page.wait_for_timeout(50)
        return downloads[0]

    def need(self, step: str, key: str) -> Any:
        """The element for `step.key`, waited for; a clear error if the page does not have it."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        selector = self.portal.sel(step, key)
        locator = self.page.locator(selector).first
        try:
            locator.wait_for(state="visible")
        except PlaywrightTimeout:
            raise PortalError(f"missing element {step}.{key} ({selector})", step=self.step,
                              url=self.page.url) from None
        return locator

    def first_of(self, *candidates: tuple[str, str]) -> tuple[str, str]:
        """Wait until one of the configured elements shows; return which (error or next step)."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        selectors = [self.portal.sel(*c) for c in candidates]
        try:
            self.page.locator(", ".join(selectors)).first.wait_for(state="visible")
        except PlaywrightTimeout:
            names = " or ".join(".".join(c) for c in candidates)
            raise PortalError(f"expected {names}, found neither", step=self.step, url=self.page.url) from None
        for candidate, selector in zip(candidates, selectors):
            if self._count(selector):
                return candidate
        return candidates[-1]

    def refused(self, step: str, message: str) -> PortalError:
        text = self.page.locator(self.portal.sel(step, "error")).first.inner_text().strip()
        return PortalError(f"{message}: {text!r}", step=self.step, url=self.page.url)

    def _count(self, selector: str) -> int:
        from playwright.sync_api import Error as PlaywrightError

        try:
            return self.page.locator(selector).count()
        except PlaywrightError:
            return 0

    def evidence(self, exc: Exception) -> PortalError:
        """Save a screenshot and the HTML of the page as it is now; return the error to raise."""
        error = exc if isinstance(exc, PortalError) else PortalError(
            f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}", step=self.step,
            url=safe(lambda: self.page.url))
        error.screenshot, error.html = save_evidence(self.page, self.failure_dir, self.portal.name, self.step)
        log.error("%s: %s", self.portal.name, error)
        return error


def mask(iban: str) -> str:
    """Logs show an account as PL61…2874 (the design masks IBANs unless debugging)."""
    return f"{iban[:4]}…{iban[-4:]}" if len(iban) > 8 else "…"

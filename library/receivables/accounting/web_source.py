"""Accounting web app scraper: log in, walk the customer and invoice lists, open details, export.

The accounting-sync robot decides which details to open (newer than its cursor, or unknown to
the ledger); this module only reads. Paths, selectors and display formats come from
config/accounting_apps/<name>.yaml. Playwright drives Debian's Chromium. Pages are read inside
the logged-in browser session: by default with `fetch` + `DOMParser` from the page itself,
several at a time (about 15x faster here than a navigation per page; same cookies, same selectors);
`mode="goto"` navigates to every page instead. Any failure raises AccountingAppError naming the
step, selector and URL, with a screenshot and the page's HTML in `failure_dir`. The password
is never logged.
"""

from __future__ import annotations

import logging
import os
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

from receivables.accounting.records import CustomerRecord, InvoiceRecord
from receivables.accounting.web_config import AccountingAppError, AppConfig, load_app_config, plan
from receivables.accounting.web_parse import PageValues, customer_record, invoice_record
from receivables.browser import CHROMIUM, CHROMIUM_ARGS, safe, save_evidence

__all__ = ["AccountingAppError", "AccountingAppScraper", "AppConfig", "AppCredentials", "ListedCustomer",
           "ListedInvoice", "load_app_config"]
log = logging.getLogger(__name__)
MAX_RELOGINS = 3
BATCH = 250  # pages per in-browser call: progress in the log, a re-login repeats at most this many

_EXTRACT_JS = r"""
function norm(s) { return (s == null ? '' : String(s)).replace(/\s+/g, ' ').trim(); }
function read(el, attr) { return attr ? norm(el.getAttribute(attr)) : norm(el.textContent); }
function extract(root, plan) {
  const data = {}, missing = [];
  for (const [key, spec] of Object.entries(plan)) {
    if (spec.rows) {
      data[key] = Array.from(root.querySelectorAll(spec.sel)).map(el => {
        const r = extract(el, spec.rows); missing.push(...r.missing); return r.data; });
    } else if (spec.many) {
      data[key] = Array.from(root.querySelectorAll(spec.sel)).map(el => read(el, spec.attr));
    } else {
      const el = root.querySelector(spec.sel);
      data[key] = el === null ? null : read(el, spec.attr);
      if (el === null && !spec.optional) missing.push(spec.label);
    }
  }
  return {data, missing};
}
"""
_READ_JS = "(plan) => {" + _EXTRACT_JS + "return extract(document, plan); }"
_FETCH_JS = "async ({urls, plan, concurrency, loginPath}) => {" + _EXTRACT_JS + r"""
  const parser = new DOMParser(), out = new Array(urls.length);
  let next = 0;
  async function worker() {
    while (next < urls.length) {
      const i = next++;
      try {
        const resp = await fetch(urls[i], {credentials: 'same-origin'});
        const body = await resp.text();
        if (new URL(resp.url).pathname === loginPath) { out[i] = {final: resp.url, login: true}; continue; }
        if (!resp.ok) { out[i] = {final: resp.url, status: resp.status}; continue; }
        const r = extract(parser.parseFromString(body, 'text/html'), plan);
        out[i] = {final: resp.url, status: resp.status, data: r.data, missing: r.missing};
      } catch (e) { out[i] = {final: urls[i], error: String(e)}; }
    }
  }
  await Promise.all(Array.from({length: Math.min(concurrency, urls.length)}, worker));
  return out;
}"""


@dataclass(frozen=True)
class AppCredentials:
    """Filled by the robot from the vault or environment; repr hides the password."""

    user: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class ListedInvoice:
    number: str
    kind: str
    customer_external_id: str
    modified_at: datetime


@dataclass(frozen=True)
class ListedCustomer:
    external_id: str
    modified_at: datetime


@dataclass
class _Page:
    """One read page: its final URL and the plan's values, or why there are none."""

    url: str
    data: dict[str, Any] | None = None
    status: int = 200
    login: bool = False
    missing: list[str] = field(default_factory=list)
    error: str | None = None


class AccountingAppScraper:
    """One browser session against one accounting app; use as a context manager.

    `browser`: an already launched Playwright Browser to open this session's context in (its
    owner closes it); by default the scraper launches and closes its own Chromium.
    """

    def __init__(self, config: AppConfig, creds: AppCredentials, failure_dir: Path, *, headless: bool = True,
                 mode: Literal["fetch", "goto"] = "fetch", browser_path: str | None = None,
                 browser: Any | None = None) -> None:
        self.config, self.creds, self.failure_dir = config, creds, Path(failure_dir)
        self.headless, self.mode = headless, mode
        self.executable = browser_path or os.environ.get("RECEIVABLES_CHROMIUM", CHROMIUM)
        self.values = PageValues(config)
        self.stats: dict[str, Any] = {"list_pages": 0, "details": 0, "relogins": 0, "seconds": 0.0, "not_found": []}
        self._plans = {name: plan(config, name) for name in ("customer_list", "invoice_list", "customer", "invoice")}
        self._links: dict[tuple[str, str], str] = {}
        self._logged_in = False
        self._pw: Any = None
        self._browser: Any = browser
        self._own_browser = browser is None
        self._context: Any = None
        self.page: Any = None
        self.step = "start"

    # -- lifecycle -------------------------------------------------------------------------
    def __enter__(self) -> AccountingAppScraper:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright

        if self._own_browser:
            self._pw = sync_playwright().start()
            try:
                self._browser = self._pw.chromium.launch(executable_path=self.executable, headless=self.headless,
                                                         args=CHROMIUM_ARGS)
            except PlaywrightError as exc:
                self._pw.stop()
                raise AccountingAppError(f"cannot start Chromium {self.executable}: {exc.message}",
                                         step="launch") from exc
        self._context = self._browser.new_context(accept_downloads=True)
        self.page = self._context.new_page()
        self.page.set_default_timeout(self.config.step_timeout_ms)
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self._context is not None:
                self._context.close()
            if self._own_browser and self._browser is not None:
                self._browser.close()
        finally:
            if self._pw is not None:
                self._pw.stop()
            self._context = self._pw = self.page = None
            if self._own_browser:
                self._browser = None

    # -- public steps ----------------------------------------------------------------------
    def login(self) -> None:
        """Log in through the form; a refusal raises AccountingAppError with the app's message."""
        with self._guard("login"):
            self._login()

    def list_customers(self) -> list[ListedCustomer]:
        """Every customer on every page of the list, with when it last changed."""
        with self._guard("customer list"):
            rows = self._walk("customer_list", "customers", "external_id")
            return [ListedCustomer(row["external_id"], self._value("stamp", row, "customer_list.modified_at"))
                    for row in rows]

    def list_invoices(self) -> list[ListedInvoice]:
        """Every invoice and credit note on every page of the list, with when it last changed."""
        with self._guard("invoice list"):
            rows = self._walk("invoice_list", "invoices", "number")
            return [ListedInvoice(row["number"], self._value("kind", row, "invoice_list.kind"),
                                  row["customer_external_id"], self._value("stamp", row, "invoice_list.modified_at"))
                    for row in rows]

    def fetch_customers(self, external_ids: Iterable[str]) -> list[CustomerRecord]:
        """Open each customer's page; ids the app no longer has are left out (see stats["not_found"])."""
        with self._guard("customer details"):
            pages = self._details("customer", [(i, self._link("customer", i)) for i in external_ids])
            return [self._same(key, customer_record(self.values, page.data, page.url), "external_id", page)
                    for key, page in pages]

    def fetch_invoices(self, numbers: Iterable[str]) -> list[InvoiceRecord]:
        """Open each document's page: lines, customer id, corrects, terms, payee IBAN.

        Numbers the app no longer has are left out (and listed in stats["not_found"]).
        """
        with self._guard("invoice details"):
            pages = self._details("invoice", [(n, self._link("invoice", n)) for n in numbers])
            return [self._same(key, invoice_record(self.values, page.data, page.url), "number", page)
                    for key, page in pages]

    def download_export(self, fmt: Literal["csv", "xlsx"], target_dir: Path) -> Path:
        """Click the export button; a zip is unpacked into a folder read_invoices() can read.

        Returns the workbook or that folder; files appear whole (saved as *.part, then renamed).
        """
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        with self._guard(f"export {fmt}"):
            if fmt not in ("csv", "xlsx"):
                raise ValueError(f"format must be csv or xlsx, not {fmt!r}")
            self._goto(self.config.url("export"))
            button = self._need("export", fmt)
            try:
                with self.page.expect_download(timeout=self.config.download_timeout_ms) as info:
                    button.click()
            except PlaywrightTimeout:
                raise AccountingAppError("no file arrived after clicking the export button", step=self.step,
                                         url=self.page.url, selector=self.config.sel("export", fmt)) from None
            download = info.value
            target_dir = Path(target_dir)
            target_dir.mkdir(parents=True, exist_ok=True)
            final = target_dir / Path(download.suggested_filename).name
            part = final.with_name(final.name + ".part")
            download.save_as(part)
            part.replace(final)
            return _unpack(final, self.step, self.page.url) if final.suffix.lower() == ".zip" else final

    # -- walking ---------------------------------------------------------------------------
    def _walk(self, page_plan: str, path_key: str, key: str) -> list[dict[str, Any]]:
        """All rows of a paginated list, following its "next" links.

        If the count differs from the total the app shows (rows moved while we walked), walk again once.
        """
        for attempt in (1, 2):
            url: str | None = self._first_list_url(path_key)
            rows: dict[str, dict[str, Any]] = {}
            seen: set[str] = set()
            total = None
            while url:
                if url in seen:
                    raise AccountingAppError("the list's next link leads back to a page already read",
                                             step=self.step, url=url, selector=self.config.sel(page_plan, "next"))
                seen.add(url)
                page = self._read([url], page_plan)[0]
                if page is None:
                    raise AccountingAppError("the list page does not exist (HTTP 404)", step=self.step, url=url)
                self.stats["list_pages"] += 1
                total = self.values.value(int, page.data["total"], f"{page_plan}.total", self.step, page.url)
                if total and not page.data["rows"]:
                    raise AccountingAppError(f"no rows on a list page although the app shows {total} in total",
                                             step=self.step, url=page.url, selector=self.config.sel(page_plan, "row"))
                for row in page.data["rows"]:
                    row["_url"] = page.url
                    rows[row[key]] = row
                    link = urljoin(page.url, row["link"])
                    self._links[(page_plan.removesuffix("_list"), row[key])] = link
                url = urljoin(page.url, page.data["next"]) if page.data["next"] else None
            if len(rows) == total:
                return list(rows.values())
            log.info("%s: %s walk found %d of %d rows (attempt %d)", self.config.name, page_plan, len(rows), total,
                     attempt)
        raise AccountingAppError(f"the list shows {total} in total but its pages hold {len(rows)}",
                                 step=self.step, url=self.config.url(path_key))

    def _first_list_url(self, path_key: str) -> str:
        url = self.config.url(path_key)
        if not (self.config.per_page_param and self.config.per_page):
            return url
        parts = urlsplit(url)
        query = "&".join(q for q in (parts.query, urlencode({self.config.per_page_param: self.config.per_page})) if q)
        return urlunsplit(parts._replace(query=query))

    def _details(self, page_plan: str, wanted: list[tuple[str, str]]) -> list[tuple[str, _Page]]:
        pages = self._read([url for _, url in wanted], page_plan)
        found = []
        for (key, url), page in zip(wanted, pages, strict=True):
            if page is None:
                self.stats["not_found"].append(key)
                log.info("%s: %s %s is gone (404 at %s)", self.config.name, page_plan, key, url)
            else:
                found.append((key, page))
        self.stats["details"] += len(found)
        return found

    def _same(self, key: str, record: Any, attribute: str, page: _Page) -> Any:
        """The record of the page asked for, not of some other page the app sent us to."""
        if getattr(record, attribute) != key:
            group = "customer" if attribute == "external_id" else "invoice"
            raise AccountingAppError(f"asked for {key!r} but the page shows {getattr(record, attribute)!r}",
                                     step=self.step, url=page.url, selector=self.config.sel(group, attribute))
        return record

    def _link(self, kind: str, key: str) -> str:
        known = self._links.get((kind, key))
        return known or self.config.url(kind, **{"external_id" if kind == "customer" else "number": key})

    # -- reading pages ---------------------------------------------------------------------
    def _read(self, urls: list[str], page_plan: str) -> list[_Page | None]:
        """Read pages with the plan; None for a page that is gone (404). Batches show progress in the log."""
        if not self._logged_in:
            self._login()
        results: list[_Page | None] = []
        for start in range(0, len(urls), BATCH):
            results += self._read_batch(urls[start:start + BATCH], page_plan)
            if len(urls) > BATCH:
                log.info("%s: %s pages %d of %d", self.config.name, page_plan, len(results), len(urls))
        return results

    def _read_batch(self, urls: list[str], page_plan: str) -> list[_Page | None]:
        """One batch of pages; after a session timeout log in again and read the rest."""
        results: list[_Page | None] = [None] * len(urls)
        todo = list(range(len(urls)))
        while todo:
            pages = self._fetch([urls[i] for i in todo], page_plan) if self.mode == "fetch" else \
                [self._goto_read(urls[i], page_plan) for i in todo]
            again = []
            for i, page in zip(todo, pages, strict=True):
                if page.login:
                    again.append(i)
                elif page.status == 404:
                    results[i] = None
                else:
                    results[i] = self._checked(page, urls[i])
            if again:
                self._relogin()
            todo = again
        return results

    def _fetch(self, urls: list[str], page_plan: str) -> list[_Page]:
        raw = self.page.evaluate(_FETCH_JS, {"urls": urls, "plan": self._plans[page_plan],
                                             "concurrency": self.config.concurrency,
                                             "loginPath": urlsplit(self.config.url("login")).path})
        return [_Page(url=r["final"], data=r.get("data"), status=r.get("status", 0), login=r.get("login", False),
                      missing=r.get("missing") or [], error=r.get("error")) for r in raw]

    def _goto_read(self, url: str, page_plan: str) -> _Page:
        response = self.page.goto(url)
        if self._on_login_page():
            return _Page(url=self.page.url, login=True)
        status = response.status if response is not None else 200
        if status >= 400:
            return _Page(url=self.page.url, status=status)
        result = self.page.evaluate(_READ_JS, self._plans[page_plan])
        return _Page(url=self.page.url, data=result["data"], status=status, missing=result["missing"])

    def _checked(self, page: _Page, url: str) -> _Page:
        if page.error:
            raise AccountingAppError(f"could not load the page: {page.error}", step=self.step, url=url)
        if page.status != 200:
            raise AccountingAppError(f"the app answered HTTP {page.status}", step=self.step, url=page.url)
        if page.missing:
            label = page.missing[0]
            group, _, key = label.partition(".")
            raise AccountingAppError(f"the page does not look as configured: missing {label}", step=self.step,
                                     url=page.url, selector=self.config.selectors.get(group, {}).get(key, ""))
        return page

    def _value(self, parser: str, row: dict[str, Any], label: str) -> Any:
        """Parse one list cell; errors name the cell and the page the row came from."""
        return self.values.value(getattr(self.values, parser), row[label.partition(".")[2]], label, self.step,
                                 row["_url"])

    # -- login and navigation --------------------------------------------------------------
    def _login(self) -> None:
        step, self.step = self.step, "login"
        self.page.goto(self.config.url("login"))
        self._need("login", "user").fill(self.creds.user)
        self._need("login", "password").fill(self.creds.password)
        self._need("login", "submit").click()
        error, done = self.config.sel("login", "error"), self.config.sel("login", "done")
        self._first_visible(error, done)
        if self.page.locator(error).count():
            message = self.page.locator(error).first.inner_text().strip()
            raise AccountingAppError(f"the app rejected the user name or password: {message!r}", step="login",
                                     url=self.page.url)
        self._logged_in = True
        self.step = step
        log.info("%s: logged in", self.config.name)

    def _relogin(self) -> None:
        if self.stats["relogins"] >= MAX_RELOGINS:
            raise AccountingAppError("the session keeps expiring", step=self.step, url=self.page.url)
        self.stats["relogins"] += 1
        log.info("%s: session expired during %s; logging in again", self.config.name, self.step)
        self._login()

    def _goto(self, url: str) -> None:
        if not self._logged_in:
            self._login()
        self.page.goto(url)
        if self._on_login_page():
            self._relogin()
            self.page.goto(url)

    def _on_login_page(self) -> bool:
        return urlsplit(self.page.url).path == urlsplit(self.config.url("login")).path

    def _need(self, group: str, key: str) -> Any:
        """The configured element, waited for; a clear error if the page does not have it."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        selector = self.config.sel(group, key)
        locator = self.page.locator(selector).first
        try:
            locator.wait_for(state="visible")
        except PlaywrightTimeout:
            raise AccountingAppError(f"missing element {group}.{key}", step=self.step, url=self.page.url,
                                     selector=selector) from None
        return locator

    def _first_visible(self, *selectors: str) -> None:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            self.page.locator(", ".join(selectors)).first.wait_for(state="visible")
        except PlaywrightTimeout:
            raise AccountingAppError("after submitting, neither an error nor a logged-in page appeared",
                                     step=self.step, url=self.page.url, selector=" or ".join(selectors)) from None

    # -- errors ----------------------------------------------------------------------------
    def _guard(self, step: str) -> _Guard:
        return _Guard(self, step)

    def evidence(self, exc: Exception) -> AccountingAppError:
        """Save a screenshot and the HTML of the failing page; return the error to raise."""
        from playwright.sync_api import Error as PlaywrightError

        if isinstance(exc, AccountingAppError):
            error = exc
        else:
            detail = exc.message if isinstance(exc, PlaywrightError) else str(exc)
            error = AccountingAppError(f"{type(exc).__name__}: {(detail or '').splitlines()[0] if detail else ''}",
                                       step=self.step, url=safe(lambda: self.page.url))
        if self.page is None:
            return error
        if error.url and safe(lambda: self.page.url) != error.url and error.step != "login":
            safe(lambda: self.page.goto(error.url))
        error.screenshot, error.html = save_evidence(self.page, self.failure_dir, self.config.name, error.step)
        log.error("%s: %s", self.config.name, error)
        return error


class _Guard:
    """Names the step, times it, and turns any failure into an AccountingAppError with evidence."""

    def __init__(self, scraper: AccountingAppScraper, step: str) -> None:
        self.scraper, self.step = scraper, step

    def __enter__(self) -> None:
        if self.scraper.page is None:
            raise RuntimeError("use AccountingAppScraper as a context manager (with ...:)")
        self.scraper.step = self.step
        self.started = time.monotonic()

    def __exit__(self, kind: type | None, exc: BaseException | None, tb: object) -> bool:
        self.scraper.stats["seconds"] += time.monotonic() - self.started
        if exc is None or isinstance(exc, ValueError):
            return False  # the caller's own mistake (a bad argument): no page to blame
        if isinstance(exc, Exception):
            raise self.scraper.evidence(exc) from (None if isinstance(exc, AccountingAppError) else exc)
        return False


def _unpack(archive: Path, step: str, url: str) -> Path:
    """Extract a zip's plain files into a folder named after it (no paths, so nothing escapes)."""
    folder = archive.with_suffix("")
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        bad = [n for n in names if "/" in n or "\\" in n or n in ("", ".", "..")]
        if bad or not names:
            raise AccountingAppError(f"unexpected export archive contents {names!r}", step=step, url=url)
        folder.mkdir(parents=True, exist_ok=True)
        for name in names:
            (folder / name).write_bytes(zf.read(name))
    return folder

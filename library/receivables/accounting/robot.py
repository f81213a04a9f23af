"""The accounting-sync robot: customers and invoices from the sources in config into the ledger.

Sources (settings `accounting.sources`): the accounting web app (scraped; only what changed
since the last run is opened), a CSV/XLSX export, and an inbox of e-invoices (KSeF, UBL, CII,
Factur-X). Each source is synced in its own ledger transaction by the same rules
(receivables.ledger.invoice_sync).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from receivables.accounting.detect import read_invoices
from receivables.accounting.errors import InvoiceSourceError
from receivables.config import Settings
from receivables.file_inbox import mark_processed, pending_files, quarantine
from receivables.ledger.db import Ledger
from receivables.ledger.invoice_sync import SyncCount, SyncError, sync_accounting
from receivables.ledger.models import Customer, Invoice, Run
from receivables.secrets import get_secret

ROBOT = "accounting-sync"


def sync_invoices(settings: Settings, ledger: Ledger, run: Run, today: date | None = None,
                  **_: Any) -> dict[str, Any]:
    today = today or date.today()
    summary: dict[str, Any] = {}
    sources = settings.accounting.sources
    if "web" in sources:
        summary["web"] = sync_from_app(settings, ledger, run.id)
    if "export" in sources:
        summary["export"] = sync_from_export(settings, ledger, run.id)
    if "einvoices" in sources:
        summary["einvoices"] = sync_einvoice_inbox(settings, ledger, run.id, today)
    return summary


def last_cursor(ledger: Ledger) -> datetime | None:
    """Newest modification time the app showed at the last successful sync."""
    with ledger.session() as s:
        summaries = s.scalars(select(Run.summary).where(Run.robot == ROBOT, Run.status == "ok")
                              .order_by(Run.id.desc()).limit(20))
        for summary in summaries:
            cursor = (summary or {}).get("web", {}).get("cursor")
            if cursor:
                return datetime.fromisoformat(cursor)
    return None


def sync_from_app(settings: Settings, ledger: Ledger, run_id: int | None) -> dict[str, Any]:
    from receivables.accounting.web_source import AccountingAppScraper, AppCredentials, load_app_config

    cfg = settings.accounting
    app = load_app_config(cfg.app, base_url=cfg.base_url)
    creds = AppCredentials(**get_secret(cfg.secret, ("user", "password")))
    issuer = settings.company.nip
    cursor = last_cursor(ledger)
    with ledger.session() as s:
        known_customers = set(s.scalars(select(Customer.external_id)))
        known_invoices = set(s.scalars(select(Invoice.number).where(Invoice.issuer_tax_id == issuer)))

    def stale(modified: datetime, key: str, known: set[str]) -> bool:
        return cursor is None or modified >= cursor or key not in known

    with AccountingAppScraper(app, creds, settings.paths.output / "failures") as scraper:
        scraper.login()
        listed_customers = scraper.list_customers()
        listed_invoices = scraper.list_invoices()
        customers = scraper.fetch_customers(
            c.external_id for c in listed_customers if stale(c.modified_at, c.external_id, known_customers))
        invoices = scraper.fetch_invoices(
            i.number for i in listed_invoices if stale(i.modified_at, i.number, known_invoices))
        stats = dict(scraper.stats)
    with ledger.session() as s:
        count = sync_accounting(s, customers, invoices, run_id,
                                listed={issuer: {i.number for i in listed_invoices}}, actor=ROBOT)
    newest = max((x.modified_at for x in (*listed_customers, *listed_invoices)), default=cursor)
    return {
        "app": cfg.app, "since": cursor.isoformat() if cursor else None,
        "cursor": newest.isoformat() if newest else None,
        "listed_customers": len(listed_customers), "listed_invoices": len(listed_invoices),
        "opened_customers": len(customers), "opened_invoices": len(invoices),
        "scrape": stats, **asdict(count),
    }


def sync_from_export(settings: Settings, ledger: Ledger, run_id: int | None) -> dict[str, Any]:
    cfg = settings.accounting
    if cfg.export_path is None:
        raise InvoiceSourceError("(settings)", "accounting.sources has 'export' but accounting.export_path is "
                                 "not set", field="accounting.export_path")
    batch = read_invoices(cfg.export_path, mapping=cfg.export_mapping, issuer_tax_id=settings.company.nip)
    listed = None
    if cfg.export_is_complete:
        listed = {}
        for inv in batch.invoices:
            listed.setdefault(inv.issuer_tax_id, set()).add(inv.number)
    with ledger.session() as s:
        count = sync_accounting(s, batch.customers, batch.invoices, run_id, listed=listed, actor=ROBOT)
    return {"file": str(cfg.export_path), "format": batch.format, "warnings": batch.warnings[:20],
            **asdict(count)}


def sync_einvoice_inbox(settings: Settings, ledger: Ledger, run_id: int | None, today: date) -> dict[str, Any]:
    """Each file syncs whole or goes to quarantine with the reason; the others go on.

    All files are read first and corrections synced last, so a credit note that arrives in the
    same delivery as its invoice does not depend on the file names' order.
    """
    inbox = settings.paths.einvoice_inbox
    inbox.mkdir(parents=True, exist_ok=True)
    total, files, quarantined = SyncCount(), 0, []

    def reject(path: Path, exc: Exception) -> None:
        known = isinstance(exc, InvoiceSourceError | SyncError)
        quarantine(path, inbox / "quarantine",
                   f"{path.name}: {exc}" if known else f"{path.name}: unexpected {type(exc).__name__}: {exc}")
        quarantined.append(path.name)

    batches = []
    for path in pending_files(inbox):
        try:
            batches.append((path, read_invoices(path, issuer_tax_id=settings.company.nip)))
        except Exception as exc:  # one bad file must not stop the others
            reject(path, exc)
    batches.sort(key=lambda item: any(inv.corrects for inv in item[1].invoices))
    for path, batch in batches:
        try:
            with ledger.session() as s:
                total.add(sync_accounting(s, batch.customers, batch.invoices, run_id, actor=ROBOT))
        except Exception as exc:
            reject(path, exc)
            continue
        mark_processed(path, inbox, today)
        files += 1
    return {"inbox": str(inbox), "files": files, "quarantined": quarantined, **asdict(total)}

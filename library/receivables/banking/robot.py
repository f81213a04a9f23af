"""The bank-statements robot: fetch new statements from web banking, then import the inbox."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from receivables.banking.inbox import process_inbox
from receivables.config import Settings
from receivables.ledger.db import Ledger
from receivables.ledger.models import BankTransaction, Run
from receivables.secrets import get_secret


def download_since(ledger: Ledger, accounts: list[str], today: date, lookback_days: int) -> date:
    """The day after the oldest 'last booked day' among our accounts: nothing is skipped."""
    with ledger.session() as s:
        last = [s.scalar(select(func.max(BankTransaction.booking_date))
                         .where(BankTransaction.account_iban == a)) for a in accounts]
    if not last or any(d is None for d in last):
        return today - timedelta(days=lookback_days)
    return min(last) + timedelta(days=1)


def fetch_from_portal(settings: Settings, ledger: Ledger, today: date) -> dict[str, Any]:
    from receivables.banking.portal import PortalCredentials, download_statements, load_portal_config

    cfg = settings.bank_portal
    portal = load_portal_config(cfg.portal, base_url=cfg.base_url)
    secret = get_secret(cfg.secret, ("user", "password", "totp_secret"))
    since = download_since(ledger, list(settings.company.bank_accounts.values()), today, cfg.first_lookback_days)
    if since > today:
        return {"portal": cfg.portal, "downloaded": 0, "since": since.isoformat()}
    files = download_statements(
        portal, PortalCredentials(**secret), since, today, settings.paths.statement_inbox, cfg.format,
        failure_dir=settings.paths.output / "failures",
    )
    return {"portal": cfg.portal, "since": since.isoformat(), "downloaded": len(files)}


def import_statements(settings: Settings, ledger: Ledger, run: Run, today: date | None = None,
                      **_: Any) -> dict[str, Any]:
    today = today or date.today()
    inbox: Path = settings.paths.statement_inbox
    inbox.mkdir(parents=True, exist_ok=True)
    summary: dict[str, Any] = {"inbox": str(inbox)}
    if settings.bank_portal.enabled:
        summary["web_banking"] = fetch_from_portal(settings, ledger, today)
    summary.update(process_inbox(ledger, inbox, run.id, today=today).summary)
    return summary

"""A reconciled ledger from a sandbox world without browsers or mail: the export, the statement files, reconcile.

Tests and benchmarks of the robots downstream of reconcile (scoring, reports, court claims, calls)
start from here; the demo takes the longer road through the web apps.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

from receivables.config import Settings
from receivables.ledger.db import Ledger
from receivables.pipeline import run_robot


def deliver_statements(world: Path, inbox: Path, skip_last_months: int = 1) -> int:
    """What a bank's file transfer does: drop the world's monthly statements into the inbox.

    The newest `skip_last_months` are held back (the demo fetches them from web banking).
    """
    inbox.mkdir(parents=True, exist_ok=True)
    statements = sorted(p for p in (world / "bank").rglob("*") if p.is_file())
    months = sorted({p.stem for p in statements})
    keep = set(months[: len(months) - skip_last_months])
    delivered = [p for p in statements if p.stem in keep]
    for path in delivered:
        shutil.copy2(path, inbox / f"{path.parent.name}-{path.name}")
    return len(delivered)


def populate_ledger(settings: Settings, ledger: Ledger, world: Path, today: date) -> dict[str, dict[str, Any]]:
    """Run accounting-sync (export source), bank-statements (all files) and reconcile on `world`."""
    accounting = settings.accounting.model_copy(update={
        "sources": ["export"], "export_path": world / "accounting", "export_mapping": None})
    portal = settings.bank_portal.model_copy(update={"enabled": False})
    settings = settings.model_copy(update={"accounting": accounting, "bank_portal": portal})
    deliver_statements(world, settings.paths.statement_inbox, skip_last_months=0)
    return {name: run_robot(name, settings, ledger, today=today)
            for name in ("accounting-sync", "bank-statements", "reconcile")}

"""The bank-statements robot: import what arrived in the statement inbox into the ledger."""

from __future__ import annotations

from typing import Any

from receivables.banking.inbox import process_inbox
from receivables.config import Settings
from receivables.ledger.db import Ledger
from receivables.ledger.models import Run


def import_statements(settings: Settings, ledger: Ledger, run: Run, **_: Any) -> dict[str, Any]:
    result = process_inbox(ledger, settings.paths.statement_inbox, run.id)
    return {"inbox": str(settings.paths.statement_inbox), **result.summary}

"""The ledger-export robot: the workbook analysts open every morning."""

from __future__ import annotations

from typing import Any

from receivables.config import Settings
from receivables.ledger.db import Ledger
from receivables.ledger.export import export_workbook
from receivables.ledger.models import Run


def export_master_ledger(settings: Settings, ledger: Ledger, run: Run, **_: Any) -> dict[str, Any]:
    path = settings.paths.output / "master_ledger.xlsx"
    rows = export_workbook(ledger, path)
    return {"workbook": str(path), "rows": rows}

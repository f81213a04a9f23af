"""The master ledger: schema, repository, migrations and the Excel export."""

from receivables.ledger.db import Ledger, open_ledger

__all__ = ["Ledger", "open_ledger"]

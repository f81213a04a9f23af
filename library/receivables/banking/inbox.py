"""The statement inbox: each file imports whole into the ledger, or goes to quarantine with why.

The ledger commit comes before the file is moved (receivables.file_inbox), so a crash in between
leaves the file in the inbox and the next run re-imports it as a no-op (entries are keyed by
fingerprint).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from receivables.banking.balances import check_balances
from receivables.banking.errors import StatementError
from receivables.file_inbox import mark_processed, pending_files, quarantine
from receivables.ledger.db import Ledger
from receivables.ledger.repository import import_statement, log_event

@dataclass
class FileResult:
    name: str
    format: str | None = None
    statements: int = 0
    inserted: int = 0
    skipped: int = 0
    error: str | None = None


@dataclass
class InboxResult:
    files: list[FileResult] = field(default_factory=list)

    @property
    def summary(self) -> dict:
        ok = [f for f in self.files if f.error is None]
        return {
            "files": len(self.files),
            "imported_files": len(ok),
            "quarantined": [f.name for f in self.files if f.error],
            "statements": sum(f.statements for f in ok),
            "transactions_new": sum(f.inserted for f in ok),
            "transactions_already_known": sum(f.skipped for f in ok),
        }


def import_file(ledger: Ledger, path: Path, run_id: int | None) -> FileResult:
    """Import every statement of one file in one transaction; raise StatementError on bad input."""
    from receivables.banking.detect import iter_statements

    result = FileResult(path.name)
    result.format, statements = iter_statements(path)
    with ledger.session() as session:
        for statement in statements:
            check_balances(statement, file=path.name)
            counted = import_statement(session, statement, path.name, run_id)
            result.statements += 1
            result.inserted += counted.inserted
            result.skipped += counted.skipped
        log_event(session, "statement_imported", "bank-statements", run_id, file=path.name,
                  format=result.format, statements=result.statements, new=result.inserted,
                  known=result.skipped)
    return result


def process_inbox(ledger: Ledger, inbox: Path, run_id: int | None, today: date | None = None) -> InboxResult:
    today = today or date.today()
    out = InboxResult()
    for path in pending_files(inbox):
        try:
            result = import_file(ledger, path, run_id)
        except StatementError as exc:
            result = FileResult(path.name, error=str(exc))
            quarantine(path, inbox / "quarantine", str(exc))
        except Exception as exc:  # a file nobody can read must not stop the others
            result = FileResult(path.name, error=f"{path.name}: unexpected {type(exc).__name__}: {exc}")
            quarantine(path, inbox / "quarantine", result.error)
        else:
            mark_processed(path, inbox, today)
        out.files.append(result)
    return out

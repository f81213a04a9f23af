"""Statement files of the sandbox's bank accounts, written with the banking package's writers."""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path

from receivables.banking.records import Statement
from receivables.banking.writers import Camt053Writer, write_mt940

# The company's PLN account is at ING (bank code 1050), so its MT940 :86: uses ING's markers;
# the parsers pick that dialect from the account's bank code, and the portal writes the same.
MT940_DIALECT = "ing_pl"


def write_statement(path: Path, statement: Statement, fmt: str) -> None:
    """One statement per file; the creation stamp comes from the statement, so bytes repeat."""
    created = datetime.combine(statement.closing_date, time(23, 0), tzinfo=UTC)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        if fmt == "mt940":
            write_mt940(fh, statement, statement.transactions, dialect=MT940_DIALECT)
        elif fmt == "camt053":
            with Camt053Writer(fh, version="001.08", message_id=f"NORDWIND-{statement.statement_id}",
                               created=created) as writer:
                writer.write_statement(statement, statement.transactions)
        else:
            raise ValueError(f"unknown statement format {fmt!r}")

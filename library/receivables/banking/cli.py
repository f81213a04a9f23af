"""`receivables statement ...`: read a statement file the way the inbox robot would."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import typer

from receivables.banking.detect import parse_file
from receivables.banking.errors import StatementError
from receivables.banking.records import Statement

app = typer.Typer(help="Bank statement files: MT940, camt.053/054 and bank CSV exports.", no_args_is_help=True)


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def statement_json(statement: Statement) -> dict[str, Any]:
    """The JSON shape of one statement (amounts as signed decimal strings, ISO dates)."""
    return {
        "account": statement.account,
        "statement_id": statement.statement_id,
        "opening_balance": _money(statement.opening_balance),
        "closing_balance": _money(statement.closing_balance),
        "currency": statement.currency,
        "transactions": [
            {
                "booking_date": tx.booking_date.isoformat(),
                "value_date": tx.value_date.isoformat() if tx.value_date else None,
                "amount": str(tx.amount),
                "currency": tx.currency,
                "counterparty_name": tx.counterparty_name,
                "counterparty_iban": tx.counterparty_iban,
                "title": tx.title,
                "reference": tx.reference,
            }
            for tx in statement.transactions
        ],
    }


@app.callback()
def main() -> None:
    """Bank statement files."""


@app.command()
def parse(
    file: Path = typer.Argument(..., help="Statement file (MT940, camt.053/054 or bank CSV)."),
    as_json: bool = typer.Option(False, "--json", help="Print the normalized records as JSON."),
) -> None:
    """Detect the format of FILE and print its statements."""
    try:
        parsed = parse_file(file)
    except StatementError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(code=2) from None
    if as_json:
        payload = {"format": parsed.format, "statements": [statement_json(s) for s in parsed.statements]}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{file.name} ({parsed.format})")
    for column in ("account", "statement", "currency", "opening", "closing", "entries", "credits", "debits"):
        table.add_column(column, justify="right" if column not in ("account", "statement") else "left")
    for s in parsed.statements:
        credits = sum((t.amount for t in s.transactions if t.amount > 0), Decimal(0))
        debits = sum((t.amount for t in s.transactions if t.amount < 0), Decimal(0))
        table.add_row(s.account, s.statement_id, s.currency, _money(s.opening_balance) or "-",
                      _money(s.closing_balance) or "-", str(len(s.transactions)), str(credits), str(debits))
    Console().print(table)

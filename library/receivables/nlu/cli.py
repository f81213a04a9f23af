"""`receivables nlu ...`: understand debtors' answers from the command line.

Kept cheap to import: the rules load when a command runs, so `receivables --help` stays fast.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(help="Language understanding for debtors' answers (pl, de, en).", no_args_is_help=True)

_LANGS = ("pl", "de", "en", "auto")


def _parse_today(value: Optional[str]) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"expected a date as YYYY-MM-DD, got {value!r}", param_hint="--today") from None


def _parse_owed(value: Optional[str]) -> Optional[Decimal]:
    if value is None:
        return None
    try:
        return Decimal(value.replace(",", "."))
    except InvalidOperation:
        raise typer.BadParameter(f"expected an amount like 1000.00, got {value!r}", param_hint="--owed") from None


def _human(result: dict) -> str:
    parts = [result["intent"], f"[{result['language']}]"]
    if result["date"]:
        parts.append(f"date {result['date']}")
    if result["amount"]:
        parts.append(f"amount {result['amount']} {result['currency'] or ''}".rstrip())
    if result["installments"]:
        plan = ", ".join(f"{p['date']} {p['amount'] or '?'}" for p in result["installments"])
        parts.append(f"plan: {plan}")
    return " ".join(parts)


@app.command()
def promise(
    text: Optional[str] = typer.Argument(None, help="The debtor's answer; omit it when using --file."),
    lang: str = typer.Option("auto", "--lang", help="pl, de, en, or auto to detect it."),
    today: Optional[str] = typer.Option(None, "--today", help="Day of the conversation, YYYY-MM-DD (default: today)."),
    as_json: bool = typer.Option(False, "--json", help="Print the contract JSON object."),
    file: Optional[Path] = typer.Option(None, "--file", help="Read one answer per line; print one result per line."),
    owed: Optional[str] = typer.Option(None, "--owed", help="Amount owed, to turn 'half' and 'the rest' into sums."),
    currency: Optional[str] = typer.Option(None, "--currency", help="Currency of --owed, e.g. PLN."),
) -> None:
    """Intent, promised date, amount and payment plan of one answer (or of each line of --file)."""
    if lang not in _LANGS:
        raise typer.BadParameter(f"expected one of {', '.join(_LANGS)}, got {lang!r}", param_hint="--lang")
    day = _parse_today(today)
    owed_amount = _parse_owed(owed)
    if (text is None) == (file is None):
        raise typer.BadParameter("give either TEXT or --file FILE (exactly one)", param_hint="TEXT / --file")
    if file is not None:
        try:
            texts = file.read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise typer.BadParameter(f"cannot read {file}: {error.strerror}", param_hint="--file") from None
    else:
        texts = [text or ""]

    from .pipeline import understand

    for line in texts:
        result = understand(line, day, lang, owed=owed_amount, owed_currency=currency).to_json_dict()
        typer.echo(json.dumps(result, ensure_ascii=False) if as_json else _human(result))

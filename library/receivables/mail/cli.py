"""`receivables mail ...`: classify one saved message without any mail server.

Cheap to import: the classifier, the ledger and the language rules load inside the command.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

app = typer.Typer(help="The collections mailbox: classification of debtors' mail.", no_args_is_help=True)


def _error(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _customer(lookup: Any, ledger_url: str | None) -> tuple[int | None, str | None]:
    """Customer id from the ledger when one is configured and exists; (None, None) otherwise."""
    from sqlalchemy.engine import make_url

    if not ledger_url:
        return None, None
    url = make_url(ledger_url)
    if url.get_backend_name() == "sqlite" and not (url.database and Path(url.database).exists()):
        return None, None
    from receivables.ledger import open_ledger
    from receivables.mail.identify import identify

    ledger = open_ledger(ledger_url)
    try:
        with ledger.session() as s:
            found = identify(s, [lookup])[0]
    finally:
        ledger.dispose()
    return found.customer_id, found.how


@app.command()
def classify(
    file: Annotated[Path, typer.Argument(help="a saved message (.eml)")],
    json_out: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
    today: Annotated[Optional[str], typer.Option(help="day the mail is read, YYYY-MM-DD (default today)")] = None,
    ledger: Annotated[bool, typer.Option("--ledger/--no-ledger", help="look the customer up in the ledger")] = True,
) -> None:
    """Category, confidence, customer, invoice numbers, promise date and amount of one message."""
    try:
        raw = file.read_bytes()
    except OSError as exc:
        _error(f"{file}: {exc.strerror or exc}")
    try:
        day = date.fromisoformat(today) if today else date.today()
    except ValueError:
        _error(f"--today: not a date (YYYY-MM-DD): {today!r}")
    from receivables.config import SettingsError, load_settings
    from receivables.mail.mail_rules import load_mail_rules
    from receivables.mail.triage import triage

    try:
        rules = load_mail_rules()
        ledger_url = load_settings().ledger_url if ledger else None
    except SettingsError as exc:
        _error(str(exc))
    item = triage(raw, rules, day)
    customer_id, how = _customer(item.lookup(), ledger_url)
    found = item.found
    reason = item.decision.reason + (f"; customer by {how}" if how else "")
    result = {
        "category": item.decision.category,
        "confidence": item.decision.confidence,
        "customer_id": customer_id,
        "invoice_numbers": found.invoice_numbers,
        "promise_date": found.promise_date.isoformat() if found.promise_date else None,
        "amount": f"{found.amount:.2f}" if found.amount is not None else None,
        "reason": reason,
    }
    if json_out:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    typer.echo(f"{result['category']} ({result['confidence']:.2f}) {', '.join(result['invoice_numbers'])}".rstrip())
    typer.echo(f"  {reason}")

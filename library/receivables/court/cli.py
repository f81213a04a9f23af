"""`receivables court ...`: draft one case, confirm a register warning was sent, list the cases.

Cheap to import: the robot and renderers load when a command runs.
"""

from __future__ import annotations

import json
from datetime import date
from typing import NoReturn, Optional

import typer

app = typer.Typer(help="Court claims for the legal team and debtor-register steps.", no_args_is_help=True)


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"{option}: expected a date as YYYY-MM-DD, got {value!r}")


def _settings():
    from receivables.config import SettingsError, load_settings

    try:
        return load_settings()
    except SettingsError as exc:
        _fail(str(exc))


@app.command()
def draft(
    invoice: str = typer.Option(..., "--invoice", help="Invoice number whose case to draft, e.g. FV/2026/01/0003."),
    today: Optional[str] = typer.Option(None, "--today", help="Drafting day, YYYY-MM-DD (default: today)."),
    as_json: bool = typer.Option(False, "--json", help="Print the run's summary as JSON."),
) -> None:
    """Draft (or redraft, if its facts changed) the case that holds one invoice, now."""
    from receivables.court.robot import court_claims
    from receivables.ledger import open_ledger

    settings = _settings()
    day = _date(today, "--today")
    ledger = open_ledger(settings.ledger_url)
    try:
        with ledger.run("court-claims") as run:  # what pipeline.run_robot does, with one invoice
            summary = court_claims(settings, ledger, run, today=day, invoice=invoice)
            run.summary = summary
    except LookupError as exc:
        _fail(str(exc.args[0]))
    finally:
        ledger.dispose()
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2, default=str))
        return
    for case in summary["drafted"]:
        typer.echo(f"{case['key']}: {case['procedure']} {case['court'] or ''} {case['amount']} {case['currency']}"
                   f" -> {case['folder']}")
    if not summary["drafted"]:
        skipped = summary.get("skipped") or {}
        why = skipped.get("reason") if isinstance(skipped, dict) else None
        typer.echo(f"{invoice}: not drafted" + (f" ({why} {skipped.get('detail', '')})".rstrip() if why
                                                 else " (unchanged since the last draft)"))


@app.command("register-sent")
def register_sent(
    customer: str = typer.Option(..., "--customer", help="Customer id, e.g. K00012."),
    bureau: str = typer.Option(..., "--bureau", help="Bureau code from config/court.yaml, e.g. KRD."),
    on: str = typer.Option(..., "--on", help="Day the warning went by registered post or was handed over."),
) -> None:
    """Confirm that a prepared register warning was sent; the entry becomes possible a month later."""
    from receivables.court.register_steps import mark_warning_sent
    from receivables.court.robot import court_rules, court_settings
    from receivables.ledger import open_ledger

    settings = _settings()
    sent_on = _date(on, "--on")
    rules = court_rules(court_settings(settings))
    if bureau not in rules.registers.bureaus:
        _fail(f"--bureau: expected one of {', '.join(sorted(rules.registers.bureaus))}, got {bureau!r}")
    ledger = open_ledger(settings.ledger_url)
    try:
        with ledger.session() as s:
            row = mark_warning_sent(s, rules, customer, bureau, sent_on)
            typer.echo(f"{row.key}: warning sent {sent_on.isoformat()}")
    except (LookupError, ValueError) as exc:
        _fail(str(exc.args[0]))
    finally:
        ledger.dispose()


@app.command()
def cases(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Court cases and register entries in the ledger."""
    from sqlalchemy import select

    from receivables.ledger import open_ledger
    from receivables.ledger.models import CourtCase, RegisterEntry

    settings = _settings()
    ledger = open_ledger(settings.ledger_url)
    try:
        with ledger.session() as s:
            rows = [{"key": c.key, "status": c.status, "jurisdiction": c.jurisdiction, "procedure": c.procedure,
                     "claim_value": str(c.claim_value), "currency": c.currency, "court": c.details.get("court"),
                     "amount": c.details.get("amount"), "folder": c.folder}
                    for c in s.scalars(select(CourtCase).order_by(CourtCase.key))]
            regs = [{"key": r.key, "status": r.status, "amount": str(r.amount),
                     **{k: getattr(r, k) and getattr(r, k).isoformat() for k in (
                         "warning_prepared_on", "warning_sent_on", "entry_prepared_on", "paid_on",
                         "removal_prepared_on")}, "conditions": r.conditions.get("checks", [])}
                    for r in s.scalars(select(RegisterEntry).order_by(RegisterEntry.key))]
    finally:
        ledger.dispose()
    if as_json:
        typer.echo(json.dumps({"cases": rows, "registers": regs}, ensure_ascii=False, indent=2))
        return
    for r in rows:
        typer.echo(f"{r['key']}  {r['status']:8} {r['procedure']:12} {r['amount']} {r['currency']}  {r['court'] or ''}")
    for r in regs:
        typer.echo(f"{r['key']}  {r['status']}  {r['amount']} PLN")

"""`receivables voice ...`: talk to the bot in the terminal as a debtor would.

Cheap to import: the dialog and the NLU load when a command runs.
"""

from __future__ import annotations

import asyncio
import json
from datetime import date, datetime, time
from typing import Optional

import typer

app = typer.Typer(help="The voicebot: try the conversation in the terminal.", no_args_is_help=True)


@app.callback()
def voice() -> None:
    """The voicebot that phones debtors (`receivables run voice-calls` runs a campaign)."""


@app.command("try")
def try_call(
    lang: str = typer.Option("pl", "--lang", help="The debtor's language: pl, de or en."),
    today: Optional[str] = typer.Option(None, "--today", help="The call's date, YYYY-MM-DD (default today)."),
    as_json: bool = typer.Option(False, "--json", help="Print the outcome as JSON at the end."),
) -> None:
    """Play a sample debtor: type answers, digits for the keypad, an empty line for silence, /quit to hang up."""
    if lang not in ("pl", "de", "en"):
        typer.echo(f"error: --lang: expected pl, de or en, got {lang!r}", err=True)
        raise typer.Exit(2)
    try:
        day = date.fromisoformat(today) if today else date.today()
    except ValueError:
        typer.echo(f"error: --today: expected a date as YYYY-MM-DD, got {today!r}", err=True)
        raise typer.Exit(2) from None
    from receivables.config import load_settings

    from voicebot.calling_rules import zone
    from voicebot.calls import DialRequest
    from voicebot.clock import SimulatedClock
    from voicebot.dialog import Dialog
    from voicebot.robot import creditor_of
    from voicebot.sample import sample_entry
    from voicebot.settings import load_voice_config
    from voicebot.telephony.console import ConsoleTelephony

    settings = load_settings()
    entry = sample_entry(lang, day)
    clock = SimulatedClock(datetime.combine(day, time(10), zone(entry.time_zone)))
    dialog = Dialog(entry, creditor_of(settings), load_voice_config(), clock.now)
    typer.echo(f"Sample debtor: {entry.name}, tax id ending {entry.tax_id_last3}; keypad: digits alone on a line.")
    result = asyncio.run(ConsoleTelephony(clock).call(DialRequest(entry, entry.phones[0], None, 1), dialog))
    o = result.outcome
    out = {"outcome": o.kind, "identity_confirmed": o.identity_confirmed,
           "promise_date": o.promise_date.isoformat() if o.promise_date else None,
           "amount": str(o.promised_amount) if o.promised_amount is not None else None,
           "instalments": [{"date": d.isoformat(), "amount": str(a)} for d, a in o.instalments],
           "callback_at": o.callback_at.isoformat() if o.callback_at else None, "note": o.note}
    typer.echo(json.dumps(out, ensure_ascii=False) if as_json else
               " ".join(f"{k}={v}" for k, v in out.items() if v not in (None, [], False)))


@app.command("campaign")
def campaign(
    batch_file: str = typer.Argument(..., help="CSV (, or ;) or TXT (tab) call list: one row per invoice."),
    today: Optional[str] = typer.Option(None, "--today", help="The campaign's first day, YYYY-MM-DD (default today)."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Start a campaign by hand from a batch file (what `receivables run voice-calls` does with a work item)."""
    from pathlib import Path

    from receivables.config import SettingsError, load_settings
    from receivables.pipeline import run_robot

    from voicebot.call_list import CallListError

    try:
        day = date.fromisoformat(today) if today else None
    except ValueError:
        typer.echo(f"error: --today: expected a date as YYYY-MM-DD, got {today!r}", err=True)
        raise typer.Exit(2) from None
    if not Path(batch_file).is_file():
        typer.echo(f"error: {batch_file}: file not found", err=True)
        raise typer.Exit(2)
    try:
        summary = run_robot("voice-calls", load_settings(), batch_file=batch_file, today=day)
    except (CallListError, SettingsError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, default=str))
        return
    for name, c in summary["campaigns"].items():
        state = "finished" if c.get("finished") else "continues on the next run"
        typer.echo(f"{name}: {state}; attempts {c.get('attempts', '-')}, reached {c.get('reached', '-')}, "
                   f"promises {c.get('promises', '-')}, report {c.get('csv', '-')}")

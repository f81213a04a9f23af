"""`receivables reports ...`: build the report files by hand (the robot, `receivables run reports`, mails them).

Cheap to import: matplotlib, reportlab and openpyxl load when a command runs.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import NoReturn, Optional

import typer

app = typer.Typer(help="Portfolio reports: aging, DSO, CEI, promises, contact results, cash.", no_args_is_help=True)


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


@app.command()
def build(
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Report date, YYYY-MM-DD (default today)."),
    manager: Optional[str] = typer.Option(None, "--manager", help="Only this account manager's customers."),
    language: Optional[str] = typer.Option(None, "--language", help="pl, de or en (default reports.language)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Folder for the PDF and XLSX (default <output>/reports)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON: files and headline figures."),
) -> None:
    """Write the report's PDF and XLSX from the ledger; nothing is queued or sent."""
    from receivables.config import SettingsError, load_settings
    from receivables.ledger import open_ledger
    from receivables.reports.build import build_files
    from receivables.reports.facts import read_facts
    from receivables.reports.figures import headline
    from receivables.reports.recipients import reports_settings

    try:
        day = date.fromisoformat(as_of) if as_of else date.today()
    except ValueError:
        _fail(f"--as-of: expected a date as YYYY-MM-DD, got {as_of!r}")
    if language not in (None, "pl", "de", "en"):
        _fail(f"--language: expected pl, de or en, got {language!r}")
    try:
        settings = load_settings()
    except SettingsError as exc:
        _fail(str(exc))
    rs = reports_settings(settings)
    ledger = open_ledger(settings.ledger_url)
    try:
        with ledger.session() as s:
            facts = read_facts(s, rs.timezone)
    finally:
        ledger.dispose()
    if manager and not any(c.manager == manager for c in facts.customers.values()):
        _fail(f"--manager: no customer has account manager {manager!r}")
    folder = out or settings.paths.output / rs.folder
    built = build_files(facts, day, folder, rs, manager or "", language)
    data = {"as_of": day.isoformat(), "scope": built.slug, "pdf": str(built.pdf), "xlsx": str(built.xlsx),
            "figures": headline(built.report)}
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    typer.echo(f"{built.pdf}\n{built.xlsx}")
    for currency, figures in data["figures"].items():
        typer.echo(f"{currency}: open {figures['open']}, overdue {figures['overdue']}, DSO {figures['dso_days']}, "
                   f"CEI week {figures['cei_week_pct']}")

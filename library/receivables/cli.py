"""The `receivables` command. Heavy libraries are imported inside the commands that need them."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from receivables.accounting import cli as accounting_cli
from receivables.banking import cli as banking_cli
from receivables.court import cli as court_cli
from receivables.dunning import cli as dunning_cli
from receivables.mail import cli as mail_cli
from receivables.matching import cli as matching_cli
from receivables.nlu import cli as nlu_cli
from receivables.reports import cli as reports_cli
from receivables.scheduler import cli as scheduler_cli
from receivables.scoring import cli as scoring_cli
from voicebot import cli as voice_cli

app = typer.Typer(help="Receivables robots: bank statements, accounting sync, reconcile, dunning, calls.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
ledger_app = typer.Typer(help="The master ledger.", no_args_is_help=True)
sandbox_app = typer.Typer(help="The embedded demo world.", no_args_is_help=True)
app.add_typer(ledger_app, name="ledger")
app.add_typer(sandbox_app, name="sandbox")
app.add_typer(nlu_cli.app, name="nlu", help="Language understanding of debtors' answers (pl, de, en).")
app.add_typer(banking_cli.app, name="statement", help="Bank statement files (MT940, camt.053/054, CSV).")
app.add_typer(accounting_cli.app, name="invoices", help="Invoice sources: exports and e-invoices.")
app.add_typer(dunning_cli.app, name="dunning", help="Statutory interest, recovery compensation, NBP rates.")
app.add_typer(mail_cli.app, name="mail", help="The collections mailbox: classify debtors' mail.")
app.add_typer(court_cli.app, name="court", help="Court claims for the legal team and debtor-register steps.")
app.add_typer(reports_cli.app, name="reports",
              help="Portfolio reports for managers: aging, DSO, CEI, promises, contact results, cash.")
app.add_typer(voice_cli.app, name="voice", help="The voicebot: talk to it in the terminal, start a campaign from a file.")
app.add_typer(scoring_cli.app, name="scoring", help="Late-payment risk model and customer segments.")
app.add_typer(scoring_cli.calls_app, name="calls", help="The prioritised call list.")
app.command("match")(matching_cli.match)
app.command("schedule")(scheduler_cli.schedule)

JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON")]


def fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def settings_or_exit() -> Any:
    from receivables.config import SettingsError, load_settings

    try:
        return load_settings()
    except SettingsError as exc:
        fail(str(exc))


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _progress():
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=_console(), transient=False, disable=not sys.stderr.isatty())


def _console():
    from rich.console import Console

    return Console(stderr=True)


def _progress_callback(progress: Any) -> Any:
    tasks: dict[str, Any] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = progress.add_task(stage, total=total)
        progress.update(tasks[stage], completed=done, total=total)

    return update


@app.command()
def run(
    robot: Annotated[str, typer.Argument(help="robot name, e.g. ledger-export")],
    json_out: JsonOpt = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="show what would be sent; send and write nothing")] = False,
) -> None:
    """Run one robot now, as Control Room would."""
    from receivables.pipeline import RobotBusy, UnknownRobot, run_robot

    settings = settings_or_exit()
    try:
        summary = run_robot(robot, settings, **({"dry_run": True} if dry_run else {}))
    except (UnknownRobot, RobotBusy) as exc:
        fail(str(exc))
    if json_out:
        print_json(summary)
    else:
        typer.echo(f"{robot}: ok")
        for key, value in summary.items():
            typer.echo(f"  {key}: {value}")


@app.command()
def robots(json_out: JsonOpt = False) -> None:
    """List the robots in pipeline order."""
    from receivables.pipeline import PIPELINE

    if json_out:
        print_json([{"name": r.name, "about": r.about} for r in PIPELINE])
        return
    for r in PIPELINE:
        typer.echo(f"{r.name:20} {r.about}")


@app.command()
def status(json_out: JsonOpt = False) -> None:
    """What the ledger holds: counts, open amount by currency, the last run of each robot."""
    from receivables.ledger import open_ledger
    from receivables.ledger.queries import ledger_status

    settings = settings_or_exit()
    ledger = open_ledger(settings.ledger_url)
    data = ledger_status(ledger)
    ledger.dispose()
    if json_out:
        print_json(data)
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(f"Ledger: {data['ledger']}")
    table = Table("table", "rows")
    for name, n in sorted(data["counts"].items()):
        table.add_row(name, str(n))
    console.print(table)
    for cur, info in data["open"].items():
        console.print(f"Open {cur}: {info['amount']} in {info['invoices']} invoices")
    runs = Table("robot", "status", "started (UTC)", "summary")
    for robot, r in data["last_runs"].items():
        runs.add_row(robot, r["status"], r["started_at"][:19], json.dumps(r["summary"], default=str)[:80])
    console.print(runs)


@app.command()
def demo(
    output: Annotated[Path, typer.Option(help="demo output folder")] = Path("output/demo"),
    invoices: Annotated[int | None, typer.Option(help="invoices in the world")] = None,
    customers: Annotated[int | None, typer.Option(help="customers in the world")] = None,
    seed: Annotated[int | None, typer.Option(help="world seed")] = None,
    as_of: Annotated[str | None, typer.Option(help="last day of the world, YYYY-MM-DD")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Generate the sandbox, serve it, run every robot in order, and say where the outputs are."""
    from receivables.demo import run_demo

    settings = settings_or_exit()
    console = _console()
    with _progress() as progress:
        report = run_demo(
            settings, output.resolve(), _progress_callback(progress),
            on_robot=None if json_out else lambda name, s: console.print(f"[green]✓[/] {name}: {_brief(s)}"),
            invoices=invoices, customers=customers, seed=seed, as_of=_date(as_of),
        )
    data = {
        "output": str(report.output), "ledger": report.ledger_url, "sandbox_url": report.sandbox_url,
        "world": report.world["counts"], "robots": report.robots,
    }
    if json_out:
        print_json(data)
        return
    typer.echo(f"World: {report.world['counts']}")
    typer.echo(f"Outputs in {report.output}:")
    for path in sorted(report.output.glob("*")):
        typer.echo(f"  {path.name}{'/' if path.is_dir() else ''}")
    typer.echo(f"Ledger: {report.ledger_url}  (receivables status with RECEIVABLES_LEDGER_URL set to it)")


def _brief(summary: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in summary.items())[:160]


def _date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"not a date (YYYY-MM-DD): {text!r}")


@ledger_app.command("export")
def ledger_export(
    out: Annotated[Path | None, typer.Option(help="workbook path")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Write the master ledger workbook (default output/master_ledger.xlsx)."""
    from receivables.ledger import open_ledger
    from receivables.ledger.export import export_workbook

    settings = settings_or_exit()
    path = out or settings.paths.output / "master_ledger.xlsx"
    ledger = open_ledger(settings.ledger_url)
    rows = export_workbook(ledger, path)
    ledger.dispose()
    if json_out:
        print_json({"workbook": str(path), "rows": rows})
    else:
        typer.echo(f"{path}: " + ", ".join(f"{k} {v}" for k, v in rows.items()))


@ledger_app.command("migrate")
def ledger_migrate() -> None:
    """Create or upgrade the ledger schema to the newest revision (never drops data)."""
    from receivables.ledger.db import current_revision, make_engine, upgrade

    settings = settings_or_exit()
    engine = make_engine(settings.ledger_url)
    before = current_revision(engine)
    upgrade(engine)
    typer.echo(f"{engine.url.render_as_string(hide_password=True)}: {before or 'empty'} -> {current_revision(engine)}")


@sandbox_app.command("generate")
def sandbox_generate(
    out: Annotated[Path | None, typer.Option(help="folder for the world")] = None,
    seed: Annotated[int | None, typer.Option()] = None,
    invoices: Annotated[int | None, typer.Option()] = None,
    customers: Annotated[int | None, typer.Option()] = None,
    months: Annotated[int | None, typer.Option()] = None,
    as_of: Annotated[str | None, typer.Option(help="YYYY-MM-DD, default today")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Write the sandbox world (accounting export, bank statements, truth files)."""
    from receivables.sandbox.generate import generate_world, spec_from_settings

    settings = settings_or_exit()
    spec = spec_from_settings(settings, seed=seed, invoices=invoices, customers=customers,
                              months=months, as_of=_date(as_of))
    target = out or settings.paths.sandbox
    with _progress() as progress:
        manifest = generate_world(settings, target, spec, _progress_callback(progress))
    if json_out:
        print_json({"folder": str(target), **manifest})
    else:
        typer.echo(f"{target}: {manifest['counts']}")


@sandbox_app.command("serve")
def sandbox_serve(
    world: Annotated[Path | None, typer.Option(help="world folder (generate it first)")] = None,
    port: Annotated[int | None, typer.Option()] = None,
) -> None:
    """Serve the sandbox's local apps on loopback until Ctrl+C."""
    import time

    from receivables.sandbox.server import SandboxServer

    settings = settings_or_exit()
    folder = world or settings.paths.sandbox
    if not (folder / "manifest.json").exists():
        fail(f"{folder}: no sandbox world here; run `receivables sandbox generate` first")
    from receivables.sandbox.accounting_app import register_accounting_app
    from receivables.sandbox.bank_portal import register_bank_portal

    server = SandboxServer(folder, settings.sandbox.host, settings.sandbox.port if port is None else port)
    register_bank_portal(server.app, folder)
    register_accounting_app(server.app, folder)
    with server:
        typer.echo(f"Sandbox at {server.url} (Ctrl+C to stop)")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


def main() -> None:
    app()


if __name__ == "__main__":
    main()

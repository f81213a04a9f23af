"""`receivables dunning ...`: statutory interest by hand and the NBP rate refresh.

Cheap to import: the calculators load when a command runs, so `receivables --help` stays fast.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NoReturn, Optional

import typer

app = typer.Typer(help="Dunning: statutory interest, recovery compensation, NBP rates.", no_args_is_help=True)


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"{option}: expected a date as YYYY-MM-DD, got {value!r}")


def _amount(value: str) -> Decimal:
    try:
        amount = Decimal(value.replace(",", "."))
    except InvalidOperation:
        _fail(f"--amount: expected an amount like 10000.00, got {value!r}")
    if not amount.is_finite() or amount < 0:
        _fail(f"--amount: expected a non-negative amount, got {value!r}")
    return amount


@app.command()
def interest(
    amount: str = typer.Option(..., "--amount", help="Invoice amount owed at the due date, e.g. 10000.00."),
    currency: str = typer.Option("PLN", "--currency", help="Invoice currency (ISO code)."),
    due: str = typer.Option(..., "--due", help="Due date, YYYY-MM-DD; interest starts the next day."),
    until: str = typer.Option(..., "--until", help="Last day of interest (inclusive), YYYY-MM-DD."),
    jurisdiction: str = typer.Option(..., "--jurisdiction", help="pl or de."),
    consumer: bool = typer.Option(False, "--consumer", help="The debtor is a consumer (lower rate, no compensation)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON with decimal strings."),
) -> None:
    """Statutory late-payment interest and recovery compensation for one invoice."""
    from receivables.dunning import MissingRate, RateUnavailable, compute_interest, default_fx_table

    if jurisdiction not in ("pl", "de"):
        _fail(f"--jurisdiction: expected pl or de, got {jurisdiction!r}")
    if len(currency) != 3 or not currency.isalpha():
        _fail(f"--currency: expected an ISO code like PLN, got {currency!r}")
    due_date, until_date = _date(due, "--due"), _date(until, "--until")
    try:
        result = compute_interest(_amount(amount), due_date, until_date, jurisdiction, currency=currency.upper(),
                                  consumer=consumer, fx=default_fx_table(_output_dir()))
    except (RateUnavailable, MissingRate, ValueError) as exc:
        _fail(str(exc))
    data = result.to_json()
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False))
        return
    for p in data["periods"]:
        typer.echo(f"{p['from']} .. {p['to']}  {p['days']:>4} days  {p['rate']:>6}%  {p['interest']:>12} {result.currency}")
    typer.echo(f"interest {data['interest']} {result.currency}")
    comp = data["compensation"]
    if comp:
        via = f" (NBP {comp['fx_rate']} of {comp['fx_date']})" if comp["fx_rate"] else ""
        typer.echo(f"compensation {comp['eur']} EUR = {comp['amount']} {comp['currency']}{via}")


@app.command("fx-refresh")
def fx_refresh(
    start: str = typer.Option("2020-01-01", "--from", help="First day to fetch, YYYY-MM-DD."),
    end: Optional[str] = typer.Option(None, "--to", help="Last day to fetch (default today)."),
    currency: list[str] = typer.Option(["EUR"], "--currency", help="Currencies to fetch (repeat the option)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Cache file (default <output>/nbp_rates.csv)."),
    base_url: str = typer.Option("https://api.nbp.pl", "--base-url", help="NBP API root."),
) -> None:
    """Fetch NBP table A mid rates from api.nbp.pl into the local cache."""
    import urllib.error

    from receivables.dunning.fx import CACHE_NAME, refresh_fx_cache

    first, last = _date(start, "--from"), _date(end, "--to") if end else date.today()
    path = out or _output_dir() / CACHE_NAME
    try:
        n = refresh_fx_cache(path, first, last, currencies=[c.upper() for c in currency], base_url=base_url)
    except (urllib.error.URLError, OSError, ValueError, KeyError) as exc:
        _fail(f"NBP API {base_url}: {exc}")
    typer.echo(f"{path}: {n} rates fetched")


def _output_dir() -> Path:
    from receivables.config import SettingsError, load_settings

    try:
        return load_settings().paths.output
    except SettingsError as exc:
        _fail(str(exc))

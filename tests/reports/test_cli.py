"""`receivables reports build`: files and headline figures from the configured ledger; clear errors."""

from __future__ import annotations

import json
from datetime import date

import typer
from typer.testing import CliRunner

from receivables.ledger import open_ledger
from receivables.reports.cli import app as reports_app

from tests.reports.builders import customer, invoice


app = typer.Typer()
app.add_typer(reports_app, name="reports")  # as `receivables` wires it


def _env(tmp_path) -> dict[str, str]:
    url = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    led = open_ledger(url)
    with led.session() as s:
        c = customer(s, "K1", manager="Anna")
        invoice(s, c, "1234.56", date(2026, 10, 1))  # 29 days past due on 30.10
        invoice(s, c, "10.00", date(2026, 11, 2), currency="EUR")
    led.dispose()
    return {"RECEIVABLES_LEDGER_URL": url, "RECEIVABLES_PATHS__OUTPUT": str(tmp_path / "out")}


def test_build_prints_json_with_files_and_figures(tmp_path):
    result = CliRunner().invoke(app, ["reports", "build", "--as-of", "2026-10-30", "--language", "en", "--json"],
                                env=_env(tmp_path))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["figures"]["PLN"]["open"] == "1234.56" and data["figures"]["PLN"]["overdue"] == "1234.56"
    assert data["figures"]["EUR"]["overdue"] == "0.00"
    assert data["pdf"].endswith("receivables-2026-10-30-all.pdf") and (tmp_path / "out" / "reports").is_dir()


def test_build_for_one_manager_and_bad_input(tmp_path):
    env = _env(tmp_path)
    ok = CliRunner().invoke(app, ["reports", "build", "--as-of", "2026-10-30", "--manager", "Anna", "--json"], env=env)
    assert ok.exit_code == 0 and json.loads(ok.output)["scope"] == "anna"
    unknown = CliRunner().invoke(app, ["reports", "build", "--manager", "Zenon"], env=env)
    assert unknown.exit_code == 2 and "no customer has account manager 'Zenon'" in unknown.output
    bad = CliRunner().invoke(app, ["reports", "build", "--as-of", "30.10.2026"], env=env)
    assert bad.exit_code == 2 and "--as-of: expected a date as YYYY-MM-DD" in bad.output

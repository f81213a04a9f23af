"""`statement parse` through the typer sub-app, as `receivables statement parse` runs it."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from receivables.banking.cli import app

runner = CliRunner()


def test_parse_json(data: Path) -> None:
    result = runner.invoke(app, ["parse", str(data / "mt940/ing_pl.sta"), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["format"] == "mt940"
    (stmt,) = payload["statements"]
    assert stmt["account"] == "PL26105014451000002279872154"
    assert (stmt["opening_balance"], stmt["closing_balance"], stmt["currency"]) == ("10500.00", "13193.50", "PLN")
    assert stmt["transactions"][0] == {
        "booking_date": "2024-02-01",
        "value_date": "2024-02-01",
        "amount": "1230.00",
        "currency": "PLN",
        "counterparty_name": "PRZEDSIĘBIORSTWO HANDLOWE ŁÓDŹ SP. Z O.O.",
        "counterparty_iban": "PL61109010140000071219812874",
        "title": "FV/2024/01/0017 zapłata za dostawę",
        "reference": "TR240201000123",
    }
    assert stmt["transactions"][2]["amount"] == "-12.50"


def test_parse_json_camt054_null_balances(data: Path) -> None:
    result = runner.invoke(app, ["parse", str(data / "camt/camt054_v04_debit_notice.xml"), "--json"])
    payload = json.loads(result.stdout)
    assert payload["format"] == "camt.054"
    assert payload["statements"][0]["opening_balance"] is None
    assert payload["statements"][0]["closing_balance"] is None


def test_parse_table(data: Path) -> None:
    result = runner.invoke(app, ["parse", str(data / "csv/mbank.csv")])
    assert result.exit_code == 0
    assert "csv:mbank" in result.stdout


def test_bad_file_exits_non_zero_with_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sta"
    bad.write_text(":20:X\n:25:PL1\n:28C:1\n:60F:C240101PLN1,00\n:61:2401010101C1X,00NTRFNONREF\n")
    result = runner.invoke(app, ["parse", str(bad), "--json"])
    assert result.exit_code == 2
    assert "line 5: malformed :61: statement line" in result.stderr
    assert result.stdout == ""

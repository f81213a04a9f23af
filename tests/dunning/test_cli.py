"""`receivables dunning interest`: the JSON contract of the issue and exit code 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from receivables.cli import app

runner = CliRunner()
EXAMPLE = ["--amount", "10000", "--currency", "PLN", "--due", "2024-01-15", "--until", "2024-06-30",
           "--jurisdiction", "pl"]


@pytest.fixture(autouse=True)
def _no_local_rate_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RECEIVABLES_PATHS__OUTPUT", str(tmp_path))  # only the shipped NBP table


def invoke(*args: str):
    return runner.invoke(app, ["dunning", "interest", *args])


def test_json_contract_of_the_issue_example() -> None:
    result = invoke(*EXAMPLE, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"interest", "periods", "compensation"}
    assert data["interest"] == "720.62"
    assert data["periods"] == [{"from": "2024-01-16", "to": "2024-06-30", "days": 167, "rate": "15.75",
                                "interest": "720.62"}]
    assert data["compensation"] == {"eur": "70", "amount": "304.36", "currency": "PLN", "fx_rate": "4.3480",
                                    "fx_date": "2023-12-29"}


def test_human_output() -> None:
    result = invoke(*EXAMPLE)
    assert result.exit_code == 0
    assert "interest 720.62 PLN" in result.output and "70 EUR = 304.36 PLN" in result.output


def test_germany_and_consumers() -> None:
    data = json.loads(invoke("--amount", "10000", "--currency", "EUR", "--due", "2024-01-15", "--until",
                             "2024-06-30", "--jurisdiction", "de", "--json").output)
    assert data["periods"][0]["rate"] == "12.62" and data["compensation"]["fx_rate"] is None
    consumer = json.loads(invoke(*EXAMPLE, "--consumer", "--json").output)
    assert consumer["compensation"] is None and consumer["periods"][0]["rate"] == "11.25"


@pytest.mark.parametrize(("args", "message"), [
    (["--amount", "abc"], "--amount"),
    (["--amount", "-5"], "--amount"),
    (["--due", "15.01.2024"], "--due"),
    (["--jurisdiction", "fr"], "--jurisdiction"),
    (["--currency", "ZŁ"], "--currency"),
    (["--due", "2025-06-10", "--until", "2025-07-01"], "no NBP table A rate"),
    (["--due", "2026-08-10", "--until", "2026-09-01", "--jurisdiction", "de", "--currency", "EUR"], "known_until"),
])
def test_bad_input_exits_2_with_a_clear_message(args: list[str], message: str) -> None:
    merged = dict(zip(EXAMPLE[::2], EXAMPLE[1::2]))
    merged.update(dict(zip(args[::2], args[1::2])))
    result = invoke(*[x for kv in merged.items() for x in kv], "--json")
    assert result.exit_code == 2
    assert message in result.output

"""`receivables nlu promise`: the JSON contract, --file order and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from receivables.nlu import cli

KEYS = {"intent", "date", "amount", "currency", "language", "installments"}
runner = CliRunner()


def main_app() -> typer.Typer:
    """The sub-app mounted the way the main CLI mounts it."""
    app = typer.Typer()
    app.command("status")(lambda: None)
    app.add_typer(cli.app, name="nlu")
    return app


def invoke(*args: str):
    return runner.invoke(main_app(), ["nlu", "promise", *args])


def test_json_contract() -> None:
    result = invoke("--lang", "pl", "--today", "2024-05-06", "--json", "zapłacę 500 zł do 13 maja")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert set(payload) == KEYS
    assert payload == {
        "intent": "promise_to_pay", "date": "2024-05-13", "amount": "500.00", "currency": "PLN",
        "language": "pl", "installments": [],
    }


def test_auto_language_and_plan() -> None:
    result = invoke("--today", "2024-05-06", "--json", "half now and the rest on the 20th", "--owed", "600", "--currency", "GBP")
    payload = json.loads(result.output)
    assert payload["language"] == "en"
    assert payload["intent"] == "installments"
    assert payload["installments"] == [
        {"date": "2024-05-06", "amount": "300.00"}, {"date": "2024-05-20", "amount": "300.00"},
    ]


def test_file_mode_prints_one_object_per_line_in_order(tmp_path: Path) -> None:
    lines = ["I'll pay tomorrow", "Już zapłaciłem.", "Falsche Nummer.", "", "w piątek"]
    answers = tmp_path / "answers.txt"
    answers.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = invoke("--today", "2024-05-06", "--json", "--file", str(answers))
    assert result.exit_code == 0, result.output
    objects = [json.loads(line) for line in result.output.splitlines()]
    assert len(objects) == len(lines)
    assert [o["intent"] for o in objects] == ["promise_to_pay", "already_paid", "wrong_person", "unknown", "promise_to_pay"]
    assert [o["date"] for o in objects] == ["2024-05-07", None, None, None, "2024-05-10"]
    assert all(set(o) == KEYS for o in objects)


def test_human_readable_line() -> None:
    result = invoke("--today", "2024-05-06", "Ich zahle 200 Euro am Freitag")
    assert result.exit_code == 0
    assert result.output.strip() == "promise_to_pay [de] date 2024-05-10 amount 200.00 EUR"


def test_errors_are_clear_and_non_zero(tmp_path: Path) -> None:
    no_text = invoke("--today", "2024-05-06")
    assert no_text.exit_code != 0 and "TEXT" in no_text.output
    bad_day = invoke("--today", "06.05.2024", "x")
    assert bad_day.exit_code != 0 and "YYYY-MM-DD" in bad_day.output
    bad_lang = invoke("--lang", "fr", "x")
    assert bad_lang.exit_code != 0 and "--lang" in bad_lang.output
    missing = invoke("--file", str(tmp_path / "nope.txt"))
    assert missing.exit_code != 0 and "nope.txt" in missing.output

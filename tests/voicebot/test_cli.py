"""`receivables voice try`: an analyst plays the debtor; the terminal is fed through stdin."""

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from voicebot.cli import app

SCRIPTS = {
    # yes, tax id, invoice details, a date in words, no (wrong date), silence, keypad date, yes
    "pl": ("Tak\n218\n1\nzapłacę dwudziestego\n2\n\n2505\n1\n", "2026-05-25"),
    "de": ("Ja, am Apparat\nzwei eins acht\nIch zahle am Freitag\nja\n", "2026-05-08"),
    "en": ("yes speaking\n218\nWhat is the invoice for?\nI'll pay by the 20th of May\nyes\n", "2026-05-20"),
}


@pytest.mark.parametrize("lang", SCRIPTS)
def test_an_analyst_talks_to_the_bot_in_each_language(lang):
    script, promised = SCRIPTS[lang]
    result = CliRunner().invoke(app, ["try", "--lang", lang, "--today", "2026-05-06", "--json"], input=script)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    outcome = json.loads(lines[-1])
    assert outcome["outcome"] == "promise" and outcome["promise_date"] == promised
    assert outcome["identity_confirmed"] is True
    assert sum(1 for line in lines if line.startswith("bot:") or "bot:" in line) >= 4


def test_hanging_up_and_a_bad_language():
    result = CliRunner().invoke(app, ["try", "--lang", "en", "--today", "2026-05-06", "--json"], input="/quit\n")
    assert result.exit_code == 0 and json.loads(result.output.splitlines()[-1])["outcome"] == "no_outcome"
    result = CliRunner().invoke(app, ["try", "--lang", "fr"])
    assert result.exit_code == 2 and "expected pl, de or en" in result.output


def test_a_campaign_started_by_hand_from_a_batch_file(tmp_path, monkeypatch):
    from receivables import pipeline
    from receivables.ledger import open_ledger

    from tests.voicebot.helpers import seed_ledger

    url = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    ledger = open_ledger(url)
    part = seed_ledger(ledger, 3, date(2026, 4, 29), languages=("en",))
    ledger.dispose()
    rows = ["customer\tname\tlanguage\tcountry\ttime_zone\tphones\tinvoice\tdue_date\topen_amount\tcurrency"]
    rows += [f"{e.customer}\t{e.name}\ten\tGB\tEurope/London\t{e.phones[0]}\t{i.number}\t{i.due_date}\t{i.open_amount}\tPLN"
             for e in part.entries for i in e.invoices]
    (tmp_path / "calls.txt").write_text("\n".join(rows) + "\n", encoding="utf-8")
    monkeypatch.setitem(pipeline.ROBOTS, "voice-calls", pipeline.Robot(
        "voice-calls", "voicebot.robot:voice_calls", "phone debtors"))  # what the lead's PIPELINE entry adds
    monkeypatch.setenv("RECEIVABLES_LEDGER_URL", url)
    monkeypatch.setenv("RECEIVABLES_PATHS__OUTPUT", str(tmp_path / "out"))
    result = CliRunner().invoke(app, ["campaign", str(tmp_path / "calls.txt"), "--today", "2026-04-29", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.splitlines()[-1])
    assert summary["campaigns"]["calls"]["finished"] and summary["campaigns"]["calls"]["debtors_called"] == 3
    bad = tmp_path / "bad.txt"
    bad.write_text(rows[0] + "\nK1\tX\ten\tGB\tEurope/London\t+44\tI-1\t2026-04-01\tlots\tPLN\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["campaign", str(bad)])
    assert result.exit_code == 2 and "line 2: field open_amount: not an amount" in result.output

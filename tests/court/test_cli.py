"""`receivables court ...` on a ledger file: draft one case, confirm a warning, list as JSON."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from receivables.court.cli import app
from receivables.ledger import open_ledger
from tests.court.builders import standard_case

runner = CliRunner()


def env(tmp_path) -> dict[str, str]:
    return {"RECEIVABLES_LEDGER_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}",
            "RECEIVABLES_PATHS__OUTPUT": str(tmp_path / "out")}


def test_draft_register_sent_and_cases(tmp_path) -> None:
    e = env(tmp_path)
    ledger = open_ledger(e["RECEIVABLES_LEDGER_URL"])
    standard_case(ledger)
    ledger.dispose()
    result = runner.invoke(app, ["draft", "--invoice", "FV/2026/01/0003", "--today", "2026-03-10", "--json"], env=e)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert [c["key"] for c in summary["drafted"]] == ["court:K00012:PLN"]
    again = runner.invoke(app, ["draft", "--invoice", "FV/2026/01/0003", "--today", "2026-03-10"], env=e)
    assert "FV/2026/01/0003: not drafted (unchanged since the last draft)" in again.output
    missing = runner.invoke(app, ["draft", "--invoice", "FV/NOPE"], env=e)
    assert missing.exit_code == 2 and "no invoice numbered 'FV/NOPE'" in missing.output
    bad = runner.invoke(app, ["register-sent", "--customer", "K00012", "--bureau", "XYZ", "--on", "2026-03-11"], env=e)
    assert bad.exit_code == 2 and "expected one of" in bad.output
    none = runner.invoke(app, ["register-sent", "--customer", "K00012", "--bureau", "KRD", "--on", "2026-03-11"], env=e)
    assert none.exit_code == 2 and "no register warning prepared" in none.output  # `draft` runs no register step
    listed = json.loads(runner.invoke(app, ["cases", "--json"], env=e).output)
    assert [(c["key"], c["procedure"], c["claim_value"]) for c in listed["cases"]] == [
        ("court:K00012:PLN", "epu", "12492.00")]

"""`receivables mail classify FILE.eml --json`: no server, a fixed JSON shape, exit 2 on bad input."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from receivables.cli import app
from tests.mail.conftest import AS_OF

KEYS = {"category", "confidence", "customer_id", "invoice_numbers", "promise_date", "amount", "reason"}


def test_classify_prints_the_contract_json(world, tmp_path, monkeypatch):
    monkeypatch.setenv("RECEIVABLES_LEDGER_URL", f"sqlite:///{tmp_path / 'none.sqlite'}")
    promise = next(p for p in sorted((world / "mail").glob("*.eml")) if b"X-Sandbox-Category: promise_to_pay" in p.read_bytes())
    result = CliRunner().invoke(app, ["mail", "classify", str(promise), "--json", "--today", AS_OF.isoformat()])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == KEYS
    assert data["category"] == "promise_to_pay" and data["promise_date"] > AS_OF.isoformat()
    assert data["customer_id"] is None and data["invoice_numbers"]
    assert not (tmp_path / "none.sqlite").exists()


def test_classify_finds_the_customer_in_an_existing_ledger(world, sqlite_world_ledger, monkeypatch):
    monkeypatch.setenv("RECEIVABLES_LEDGER_URL", str(sqlite_world_ledger.engine.url))
    dispute = next(p for p in sorted((world / "mail").glob("*.eml")) if b"X-Sandbox-Category: dispute" in p.read_bytes())
    data = json.loads(CliRunner().invoke(app, ["mail", "classify", str(dispute), "--json"]).output)
    assert data["category"] == "dispute" and isinstance(data["customer_id"], int)
    assert "customer by sender" in data["reason"]


def test_a_missing_file_exits_2_with_its_name(tmp_path):
    result = CliRunner().invoke(app, ["mail", "classify", str(tmp_path / "nope.eml"), "--json"])
    assert result.exit_code == 2
    assert "nope.eml" in result.output

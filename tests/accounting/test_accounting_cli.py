"""`invoices import` through typer's CliRunner on the accounting sub-app."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from receivables.accounting.cli import app

runner = CliRunner()


def test_import_json_sandbox(data_dir: Path) -> None:
    result = runner.invoke(app, ["import", str(data_dir / "sandbox_export"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["format"] == "export:sandbox"
    assert [customer["external_id"] for customer in data["customers"]] == ["C001", "C002", "C003"]
    first = data["invoices"][0]
    assert first["number"] == "FV/2024/03/001"
    assert (first["net"], first["vat"], first["gross"]) == ("1000.00", "230.00", "1230.00")
    assert (first["issue_date"], first["due_date"]) == ("2024-03-01", "2024-03-15")
    assert "customer" not in first
    assert data["invoices"][3]["kind"] == "credit_note" and data["invoices"][3]["gross"] == "-123.00"


def test_import_json_with_mapping_and_issuer(data_dir: Path) -> None:
    args = ["import", str(data_dir / "lexoffice_rechnungen.csv"), "--json", "--mapping", "lexoffice", "--issuer-tax-id", "DE123456788"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [invoice["gross"] for invoice in data["invoices"]] == ["1190.00", "3000.00", "-119.00"]


def test_import_summary(data_dir: Path) -> None:
    result = runner.invoke(app, ["import", str(data_dir / "ksef_fa3_vat.xml")])
    assert result.exit_code == 0, result.output
    assert "ksef-fa3: 1 customers, 1 invoices" in result.stdout
    assert "2061.00" in result.stdout


def test_bad_input_exits_nonzero_with_reason_on_stderr(tmp_path: Path) -> None:
    path = tmp_path / "evil.xml"
    path.write_bytes(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&a;</Invoice>')
    result = runner.invoke(app, ["import", str(path), "--json"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "DOCTYPE is refused" in result.stderr

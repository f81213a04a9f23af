"""`receivables match` on small CSV files: JSON shape, summary, and exit code 2 on bad input."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from receivables.cli import app

INVOICES = """invoice_number,customer_id,customer_name,customer_tax_id,customer_iban,issue_date,due_date,currency,amount_open
FV/2024/05/0123,K1,Transpol sp. z o.o.,5252448487,PL61109010140000071219812874,2024-05-06,2024-05-20,PLN,1230.00
FV/2024/05/0124,K1,Transpol sp. z o.o.,5252448487,PL61109010140000071219812874,2024-05-07,2024-05-21,PLN,400.50
FV/2024/05/0200,K2,Müller Logistik GmbH,DE811569869,,2024-05-08,2024-05-22,EUR,999.99
"""
PAYMENTS = """payment_id,booking_date,amount,currency,counterparty_name,counterparty_iban,title
B1,2024-05-20,1230.00,PLN,TRANSPOL SP. Z O.O.,PL61109010140000071219812874,"Zapłata za fakturę FV/2024/05/0123"
B2,2024-05-21,-80.00,PLN,ORLEN S.A.,,Paliwo
B3,2024-05-22,500.00,EUR,MUELLER LOGISTIK GMBH,DE89370400440532013000,"Rechnung FV/2024/05/0200, Teil 1"
B4,2024-05-23,17.00,PLN,ANNA NOWAK,PL10105000997603123456789123,Przelew
"""


def _run(tmp_path, invoices: str = INVOICES, payments: str = PAYMENTS, *extra: str):
    (tmp_path / "inv.csv").write_text(invoices, encoding="utf-8")
    (tmp_path / "pay.csv").write_text(payments, encoding="utf-8")
    return CliRunner().invoke(app, ["match", "--invoices", str(tmp_path / "inv.csv"),
                                    "--payments", str(tmp_path / "pay.csv"), *extra])


def test_json_output(tmp_path):
    result = _run(tmp_path, INVOICES, PAYMENTS, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["allocations"][0] == {"payment_id": "B1", "invoice_number": "FV/2024/05/0123", "amount": "1230.00",
                                      "confidence": data["allocations"][0]["confidence"], "status": "auto",
                                      "method": "number+iban+amount"}
    assert data["allocations"][0]["confidence"] >= 0.9
    assert {a["payment_id"] for a in data["allocations"] if a["status"] == "auto"} == {"B1", "B3"}
    partial = next(a for a in data["allocations"] if a["payment_id"] == "B3")
    assert partial["amount"] == "500.00" and "partial" in partial["method"]
    assert data["unmatched"] == ["B4"]
    assert data["flags"] == {"B2": "outgoing"}


def test_human_summary_and_exceptions_workbook(tmp_path):
    result = _run(tmp_path, INVOICES, PAYMENTS, "--exceptions", str(tmp_path / "out" / "exceptions.xlsx"))
    assert result.exit_code == 0, result.output
    assert "auto-posted: 2 payment(s)" in result.stdout
    assert "flagged outgoing: 1" in result.stdout
    assert (tmp_path / "out" / "exceptions.xlsx").stat().st_size > 0


def test_bad_date_names_file_line_and_column(tmp_path):
    bad = PAYMENTS.replace("2024-05-22", "22.05.2024")
    result = _run(tmp_path, INVOICES, bad, "--json")
    assert result.exit_code == 2
    assert "pay.csv, line 4, column booking_date: not a date (YYYY-MM-DD): '22.05.2024'" in result.stderr
    assert result.stdout == ""


def test_bad_amount_after_a_multiline_title(tmp_path):
    bad = PAYMENTS.replace('"Zapłata za fakturę FV/2024/05/0123"', '"Zapłata za\nfakturę FV/2024/05/0123"')
    bad = bad.replace(",17.00,", ',"17,00",')
    result = _run(tmp_path, INVOICES, bad)
    assert result.exit_code == 2
    assert "line 6, column amount" in result.stderr


def test_missing_column_and_missing_file(tmp_path):
    result = _run(tmp_path, INVOICES.replace("amount_open", "open"), PAYMENTS)
    assert result.exit_code == 2
    assert "inv.csv, line 1, column amount_open: missing column" in result.stderr
    result = CliRunner().invoke(app, ["match", "--invoices", str(tmp_path / "nope.csv"),
                                      "--payments", str(tmp_path / "nope2.csv")])
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_bad_invoice_amount_and_duplicate_ids(tmp_path):
    result = _run(tmp_path, INVOICES.replace("400.50", "400,50"), PAYMENTS)
    assert result.exit_code == 2
    assert "inv.csv, line 3: expected 9 fields, found 10 (an unquoted comma" in result.stderr
    result = _run(tmp_path, INVOICES.replace("400.50", '"400,50"'), PAYMENTS)
    assert result.exit_code == 2
    assert "inv.csv, line 3, column amount_open: expected an amount like 1234.56" in result.stderr
    result = _run(tmp_path, INVOICES, PAYMENTS.replace("B4,", "B1,"))
    assert result.exit_code == 2 and "line 5, column payment_id: 'B1' appears twice" in result.stderr

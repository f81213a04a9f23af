"""The export reader's quick paths (plain amounts, per-text caches) give what the full rules give."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from receivables.accounting.detect import read_invoices
from receivables.accounting.errors import FieldValueError, InvoiceSourceError
from receivables.accounting.values import parse_amount, plain_amount_parser

AMOUNT_TEXTS = [
    "1234,56", "-12,5", "+7,00", "0,00", "-0,00", "12", "-3", "١٢٣,٤٥", " 12,50 ", "12,", ",5", "+", "-", "",
    "1 234,56", "1\u00a0234,56", "1.234,56", "1,234.56", "12.50", "1e5", "NaN", "Infinity", "12,00,00", "1_000,00",
    "+-1,00", "--1", "12,5a", "²,00", "１２,３４",
]  # fmt: skip


def _outcome(parse, text: str) -> tuple[str, str]:
    """("ok", str(value)) or ("error", expected | found) — what a caller can see."""
    try:
        return "ok", str(parse(text))
    except FieldValueError as exc:
        return "error", f"{exc.expected} | {exc.found}"


@pytest.mark.parametrize(("decimal", "thousands"), [(",", ""), (",", " "), (",", "."), (".", ""), (".", ",")])
def test_plain_amount_parser_agrees_with_parse_amount(decimal: str, thousands: str) -> None:
    def full(text: str) -> Decimal:
        return parse_amount(text, decimal, thousands)

    quick = plain_amount_parser(decimal, full)
    for text in AMOUNT_TEXTS:
        assert _outcome(quick, text) == _outcome(full, text), text


def test_plain_amount_keeps_the_written_places() -> None:
    quick = plain_amount_parser(",", lambda text: parse_amount(text, ",", ""))
    assert str(quick("100,5")) == "100.5" and str(quick("100,50")) == "100.50" and str(quick("-3")) == "-3"


INVOICE_HEADER = "number;kind;corrects;customer_id;issue_date;due_date;currency;net;vat;gross;payment_terms_days;issuer_tax_id"
ROWS = [
    "FV/1;invoice;;C001;2024-03-01;2024-03-15;PLN;100,00;23,00;123,00;14;5260250274",
    "FV/2;invoice;;C002;2024-03-01;;eur;+200,5;46,1;246,6;30;",  # due from terms, currency upper-cased, default issuer
    "FV/3;INVOICE;;C001; 2024-03-01 ;2024-03-15;PLN; 10,00 ;2,30;12,30;;5260250274",  # spaces: the full rules
    "FV/4;invoice;;C003;2024-03-01;2024-03-15;PLN;1,00;0,23;1,23;14;PL 526-025-02-74",
    "KOR/1;credit_note;FV/1;C001;2024-03-02;2024-03-02;PLN;-10,00;-2,30;-12,30;0;5260250274",
    "FV/1;invoice;;C001;2024-03-01;2024-03-15;PLN;100,00;23,00;123,00;14;5260250274",  # a repeated row
]


def _as_text_workbook(folder: Path, path: Path) -> Path:
    """The CSV folder as a workbook of text cells: read by the general (uncached) parsers."""
    import csv

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name in ("customers", "invoices"):
        sheet = workbook.create_sheet(name)
        with (folder / f"{name}.csv").open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.reader(handle, delimiter=";"):
                sheet.append([cell or None for cell in row])
    workbook.save(path)
    return path


def test_csv_quick_paths_read_what_the_general_parsers_read(sandbox_copy: Path, tmp_path: Path) -> None:
    (sandbox_copy / "invoices.csv").write_text("\n".join((INVOICE_HEADER, *ROWS)) + "\n", encoding="utf-8-sig")
    from_csv = read_invoices(sandbox_copy, mapping="sandbox", issuer_tax_id="5260250274")
    from_text_cells = read_invoices(_as_text_workbook(sandbox_copy, tmp_path / "export.xlsx"), mapping="sandbox",
                                    issuer_tax_id="5260250274")
    assert [i.number for i in from_csv.invoices] == ["FV/1", "FV/2", "FV/3", "FV/4", "KOR/1"]
    assert from_csv.invoices == from_text_cells.invoices
    second = from_csv.invoices[1]
    assert (second.currency, second.net, second.issuer_tax_id) == ("EUR", Decimal("200.5"), "5260250274")
    assert second.due_date.isoformat() == "2024-03-31"  # 2024-03-01 + 30 days
    assert from_csv.invoices[3].issuer_tax_id == "5260250274"


@pytest.mark.parametrize(
    ("bad", "field"),
    [("2024-13-01", "issue_date"), ("", "issue_date"), ("xx", "payment_terms_days"), ("usd1", "currency")],
)
def test_a_cached_text_fails_where_it_first_fails(sandbox_copy: Path, bad: str, field: str) -> None:
    """Good rows fill the caches; the bad text still fails at its own line, and every time."""
    columns = {"issue_date": 4, "payment_terms_days": 10, "currency": 6}
    broken = ROWS[0].replace("FV/1;", "FV/9;").split(";")
    broken[columns[field]] = bad
    rows = [ROWS[0], ROWS[0].replace("FV/1;", "FV/8;"), ";".join(broken)]
    (sandbox_copy / "invoices.csv").write_text("\n".join((INVOICE_HEADER, *rows)) + "\n", encoding="utf-8-sig")
    for _ in range(2):
        with pytest.raises(InvoiceSourceError) as caught:
            read_invoices(sandbox_copy)
        assert caught.value.field == field and "invoices.csv line 4" in str(caught.value)


def test_every_record_field_lands_in_its_place(sandbox_copy: Path, tmp_path: Path) -> None:
    """The reader builds records positionally (the hot path): each field checked by name."""
    import yaml

    from receivables.accounting.export_mapping import mapping_dirs

    sandbox = next(folder / "sandbox.yaml" for folder in mapping_dirs() if (folder / "sandbox.yaml").is_file())
    mapping = yaml.safe_load(sandbox.read_text(encoding="utf-8"))
    mapping["name"] = "sandbox_with_iban"
    mapping["invoices"]["columns"]["payee_iban"] = "iban"
    (tmp_path / "with_iban.yaml").write_text(yaml.safe_dump(mapping), encoding="utf-8")
    row = "KOR/7;credit_note;FV/1;C002;2024-03-05;2024-03-19;EUR;-10,00;-2,30;-12,30;14;5260250274;pl61 1090 1014 0000 0712 1981 2874"
    (sandbox_copy / "invoices.csv").write_text(
        "\n".join((INVOICE_HEADER + ";iban", ROWS[0] + ";", row)) + "\n", encoding="utf-8-sig")
    batch = read_invoices(sandbox_copy, mapping=tmp_path / "with_iban.yaml")
    note = {i.number: i for i in batch.invoices}["KOR/7"]
    assert (note.number, note.issuer_tax_id, note.customer_external_id, note.currency) == (
        "KOR/7", "5260250274", "C002", "EUR")
    assert (note.issue_date.isoformat(), note.due_date.isoformat(), note.payment_terms_days) == ("2024-03-05", "2024-03-19", 14)
    assert (note.net, note.vat, note.gross) == (Decimal("-10.00"), Decimal("-2.30"), Decimal("-12.30"))
    assert (note.kind, note.corrects, note.payee_iban, note.lines) == ("credit_note", "FV/1", "PL61109010140000071219812874", [])
    assert note.customer is not None and note.customer.external_id == "C002"
    assert {i.number: i for i in batch.invoices}["FV/1"].payee_iban is None

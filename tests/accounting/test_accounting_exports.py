"""CSV/XLSX exports read through the shipped mappings: sandbox, Polish VAT register, lexoffice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from receivables.accounting.detect import detect_source, read_invoices
from receivables.accounting.errors import InvoiceSourceError

ISSUER = "5260250274"


def _by_number(batch):
    return {invoice.number: invoice for invoice in batch.invoices}


def _assert_sandbox(batch) -> None:
    assert batch.format == "export:sandbox"
    assert batch.warnings == []
    customers = {customer.external_id: customer for customer in batch.customers}
    assert set(customers) == {"C001", "C002", "C003"}
    baltyk = customers["C001"]
    assert baltyk.name == 'Hurtownia "Bałtyk" Sp. z o.o.'
    assert baltyk.tax_id == "7251801126" and baltyk.regon == "123456785"
    assert baltyk.emails == ["ksiegowosc@baltyk.example", "jan.nowak@baltyk.example"]
    assert baltyk.ibans == ["PL61109010140000071219812874"]
    assert baltyk.account_manager == "anna.kowalska" and baltyk.is_consumer is False
    assert customers["C002"].tax_id == "DE812345673" and customers["C002"].language == "de"
    assert customers["C002"].phones == ["+49 711 123456", "+49 170 555"]
    assert customers["C003"].is_consumer is True and customers["C003"].tax_id is None

    invoices = _by_number(batch)
    assert len(invoices) == 4
    first = invoices["FV/2024/03/001"]
    assert (first.net, first.vat, first.gross) == (Decimal("1000.00"), Decimal("230.00"), Decimal("1230.00"))
    assert (first.issue_date, first.due_date, first.payment_terms_days) == (date(2024, 3, 1), date(2024, 3, 15), 14)
    assert first.currency == "PLN" and first.issuer_tax_id == ISSUER and first.customer is customers["C001"]
    assert invoices["FV/2024/03/002"].gross == Decimal("2500.50") and invoices["FV/2024/03/002"].currency == "EUR"
    assert invoices["FV/2024/03/003"].gross == Decimal("122.99")
    credit = invoices["KOR/2024/03/001"]
    assert credit.kind == "credit_note" and credit.corrects == "FV/2024/03/001"
    assert (credit.net, credit.vat, credit.gross) == (Decimal("-100.00"), Decimal("-23.00"), Decimal("-123.00"))


def test_sandbox_csv_folder(data_dir: Path) -> None:
    folder = data_dir / "sandbox_export"
    assert detect_source(folder).name == "export:sandbox"
    _assert_sandbox(read_invoices(folder))


def test_sandbox_csv_invoices_file_finds_its_customers(data_dir: Path) -> None:
    _assert_sandbox(read_invoices(data_dir / "sandbox_export" / "invoices.csv", mapping="sandbox"))


def test_sandbox_xlsx(sandbox_xlsx: Path) -> None:
    assert detect_source(sandbox_xlsx).name == "export:sandbox"
    _assert_sandbox(read_invoices(sandbox_xlsx))


def _assert_rejestr(batch) -> None:
    assert batch.format == "export:rejestr_sprzedazy_vat"
    customers = {customer.external_id: customer for customer in batch.customers}
    assert set(customers) == {"7251801126", "Jan Kowalski"}
    assert customers["7251801126"].name == 'Zakład Usług Technicznych "Żuraw" s.c.'
    assert customers["7251801126"].city == "Toruń" and customers["7251801126"].postal_code == "87-100"
    assert customers["Jan Kowalski"].is_consumer is True
    invoices = _by_number(batch)
    big = invoices["FV 3/03/2024"]
    assert (big.net, big.vat, big.gross) == (Decimal("12345.67"), Decimal("2839.50"), Decimal("15185.17"))
    assert big.due_date == date(2024, 4, 4) and big.issuer_tax_id == ISSUER and big.currency == "PLN"
    correction = invoices["KOR 1/03/2024"]
    assert correction.kind == "credit_note" and correction.corrects == "FV 1/03/2024"
    assert correction.gross == Decimal("-246.00")
    assert invoices["FV 2/03/2024"].customer_external_id == "Jan Kowalski"


def test_polish_vat_register_csv(data_dir: Path) -> None:
    path = data_dir / "rejestr_sprzedazy_vat.csv"
    assert detect_source(path).name == "export:rejestr_sprzedazy_vat"
    _assert_rejestr(read_invoices(path, issuer_tax_id=ISSUER))


def test_polish_vat_register_xlsx(rejestr_xlsx: Path) -> None:
    assert detect_source(rejestr_xlsx).name == "export:rejestr_sprzedazy_vat"
    _assert_rejestr(read_invoices(rejestr_xlsx, issuer_tax_id=ISSUER))


def _assert_lexoffice(batch) -> None:
    assert batch.format == "export:lexoffice"
    customers = {customer.external_id: customer for customer in batch.customers}
    assert customers["10001"].tax_id == "DE812345673"
    assert customers["10002"].country == "AT" and customers["10002"].language == "de"
    invoices = _by_number(batch)
    first = invoices["RE-2024-0101"]
    assert (first.net, first.vat, first.gross) == (Decimal("1000.00"), Decimal("190.00"), Decimal("1190.00"))
    assert (first.issue_date, first.due_date, first.currency) == (date(2024, 3, 4), date(2024, 3, 18), "EUR")
    credit = invoices["RK-2024-0007"]
    assert credit.kind == "credit_note" and credit.corrects == "RE-2024-0101"
    assert (credit.net, credit.vat, credit.gross) == (Decimal("-100.00"), Decimal("-19.00"), Decimal("-119.00"))


def test_lexoffice_csv(data_dir: Path) -> None:
    _assert_lexoffice(read_invoices(data_dir / "lexoffice_rechnungen.csv", issuer_tax_id="DE123456788"))


def test_lexoffice_xlsx(lexoffice_xlsx: Path) -> None:
    _assert_lexoffice(read_invoices(lexoffice_xlsx, mapping="lexoffice", issuer_tax_id="DE123456788"))


def _write_invoices(folder: Path, *rows: str) -> Path:
    header = "number;kind;corrects;customer_id;issue_date;due_date;currency;net;vat;gross;payment_terms_days;issuer_tax_id"
    (folder / "invoices.csv").write_text("\n".join((header, *rows)) + "\n", encoding="utf-8-sig")
    return folder


GOOD = "FV/1;invoice;;C001;2024-03-01;2024-03-15;PLN;100,00;23,00;123,00;14;5260250274"


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ("FV/1;invoice;;C001;2024-03-01;2024-03-15;PLN;100,00;23,00;;14;5260250274", "gross", "bad value"),
        (";invoice;;C001;2024-03-01;2024-03-15;PLN;100,00;23,00;123,00;14;5260250274", "number", "bad value"),
        ("FV/1;invoice;;C001;;2024-03-15;PLN;100,00;23,00;123,00;14;5260250274", "issue_date", "bad value"),
        ("FV/1;invoice;;C001;2024-03-01;2024-03-15;;100,00;23,00;123,00;14;5260250274", "currency", "bad value"),
        ("FV/1;invoice;;C001;2024-03-01;2024-03-15;PLN;100,00;23,00;124,00;14;5260250274", "gross", "net + vat does not equal gross"),
        ("FV/1;invoice;;C001;2024-03-01;2024-03-15;PLN;1OO,00;23,00;123,00;14;5260250274", "net", "bad value"),
        ("FV/1;invoice;;C001;2024-03-01;2024-03-15;PLN;100.00;23,00;123,00;14;5260250274", "net", "bad value"),
        ("FV/1;invoice;;C001;2024-02-30;2024-03-15;PLN;100,00;23,00;123,00;14;5260250274", "issue_date", "bad value"),
        ("FV/1;invoice;;C001;01.03.2024;2024-03-15;PLN;100,00;23,00;123,00;14;5260250274", "issue_date", "bad value"),
        ("FV/1;invoice;;C001;2024-03-15;2024-03-01;PLN;100,00;23,00;123,00;14;5260250274", "due_date", "due date before issue date"),
        ("KOR/1;credit_note;;C001;2024-03-01;2024-03-01;PLN;-100,00;-23,00;-123,00;0;5260250274", "corrects", "does not name the invoice it corrects"),
        ("KOR/1;credit_note;FV/0;C001;2024-03-01;2024-03-01;PLN;100,00;23,00;123,00;0;5260250274", "gross", "positive amounts"),
        ("FV/1;invoice;;C001;2024-03-01;2024-03-15;PLN;-100,00;-23,00;-123,00;14;5260250274", "gross", "negative amount"),
        ("FV/1;faktura;;C001;2024-03-01;2024-03-15;PLN;100,00;23,00;123,00;14;5260250274", "kind", "bad value"),
        ("FV/1;invoice;;C999;2024-03-01;2024-03-15;PLN;100,00;23,00;123,00;14;5260250274", "customer_id", "not in the export"),
        ("FV/1;invoice;;C001;2024-03-01;2024-03-15;PLN;100,00;23,00;123,00;14;5260250275", "issuer_tax_id", "invalid NIP checksum"),
    ],
)
def test_bad_rows_reject_the_whole_file(sandbox_copy: Path, row: str, field: str, message: str) -> None:
    _write_invoices(sandbox_copy, GOOD.replace("FV/1;", "FV/0;"), row)
    with pytest.raises(InvoiceSourceError) as caught:
        read_invoices(sandbox_copy)
    error = caught.value
    assert error.field == field
    assert message in str(error)
    assert "invoices.csv line 3" in str(error)
    assert str(sandbox_copy) in str(error)


def test_error_names_expected_and_found(sandbox_copy: Path) -> None:
    _write_invoices(sandbox_copy, "FV/1;invoice;;C001;2024-03-01;2024-03-15;PLN;100,00;23,00;124,00;14;5260250274")
    with pytest.raises(InvoiceSourceError) as caught:
        read_invoices(sandbox_copy)
    assert caught.value.expected == "100.00 + 23.00 = 123.00"
    assert caught.value.found == "124.00"


def test_duplicate_number_with_different_amounts_is_rejected(sandbox_copy: Path) -> None:
    _write_invoices(sandbox_copy, GOOD, GOOD.replace("100,00;23,00;123,00", "200,00;46,00;246,00"))
    with pytest.raises(InvoiceSourceError, match=r"invoice number FV/1 appears twice with different data \(net, vat, gross; first at invoices.csv line 2\)"):
        read_invoices(sandbox_copy)


def test_identical_duplicate_is_imported_once(sandbox_copy: Path) -> None:
    _write_invoices(sandbox_copy, GOOD, GOOD)
    batch = read_invoices(sandbox_copy)
    assert [invoice.number for invoice in batch.invoices] == ["FV/1"]
    assert "repeats invoices.csv line 2 identically" in batch.warnings[0]


def test_customer_checksum_problems_are_warnings(sandbox_copy: Path) -> None:
    customers = (sandbox_copy / "customers.csv").read_text(encoding="utf-8-sig")
    (sandbox_copy / "customers.csv").write_text(customers.replace("7251801126", "7251801127"), encoding="utf-8-sig")
    _write_invoices(sandbox_copy, GOOD)
    batch = read_invoices(sandbox_copy)
    assert len(batch.invoices) == 1
    assert batch.warnings == ["customers.csv line 2: customer C001 field 'tax_id': invalid NIP checksum ('7251801127')"]


def test_wrong_encoding_is_a_clear_error(sandbox_copy: Path) -> None:
    _write_invoices(sandbox_copy, GOOD)
    with (sandbox_copy / "invoices.csv").open("ab") as handle:
        handle.write("FV/2;Żółw\n".encode("cp1250"))
    with pytest.raises(InvoiceSourceError, match="not utf-8-sig text"):
        read_invoices(sandbox_copy)


def test_unknown_file_is_not_guessed(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(InvoiceSourceError, match="unrecognized invoice source"):
        read_invoices(path)


def test_unknown_mapping_lists_the_known_ones(data_dir: Path) -> None:
    with pytest.raises(InvoiceSourceError, match="no such export mapping") as caught:
        read_invoices(data_dir / "sandbox_export", mapping="sap")
    assert "sandbox" in caught.value.expected


def test_xlsx_wrong_vat_sum_names_sheet_row(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    customers = workbook.active
    customers.title = "customers"
    customers.append(["customer_id", "name"])
    customers.append(["C001", "Firma"])
    invoices = workbook.create_sheet("invoices")
    invoices.append("number kind corrects customer_id issue_date due_date currency net vat gross payment_terms_days issuer_tax_id".split())
    invoices.append(["FV/1", "invoice", None, "C001", date(2024, 3, 1), date(2024, 3, 15), "PLN", 100.1, 23.02, 123.13, 14, ISSUER])
    invoices.append(["FV/2", "invoice", None, "C001", date(2024, 3, 1), date(2024, 3, 15), "PLN", 100, 23, 124, 14, ISSUER])
    path = tmp_path / "bad.xlsx"
    workbook.save(path)
    with pytest.raises(InvoiceSourceError) as caught:
        read_invoices(path, mapping="sandbox")
    assert "sheet 'invoices' row 3" in str(caught.value) and caught.value.field == "gross"

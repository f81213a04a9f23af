"""Single-value parsing: exact Decimal money from text and spreadsheet cells, strict dates, ids."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from receivables.accounting.errors import FieldValueError
from receivables.accounting.values import (
    date_parser,
    excel_serial_date,
    normalize_tax_id,
    parse_amount,
    parse_excel_amount,
    tax_id_problem,
)


@pytest.mark.parametrize(
    ("text", "decimal", "thousands", "expected"),
    [("1234,56", ",", "", "1234.56"), ("-12,5", ",", "", "-12.5"), ("1 234,56", ",", " ", "1234.56"),
     ("1\u00a0234,56", ",", " ", "1234.56"), ("1.190,00", ",", ".", "1190.00"), ("773.50", ".", "", "773.50")],
)  # fmt: skip
def test_amounts_from_text(text: str, decimal: str, thousands: str, expected: str) -> None:
    assert parse_amount(text, decimal, thousands) == Decimal(expected)
    assert str(parse_amount(text, decimal, thousands)) == expected


@pytest.mark.parametrize("text", ["12a,00", "1e5", "NaN", "", "12,00,00", "Infinity"])
def test_amounts_with_letters_are_refused(text: str) -> None:
    with pytest.raises(FieldValueError):
        parse_amount(text, ",")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("1234.5599999999999", "1234.56"), ("123.62", "123.62"), ("1230", "1230.00"), ("0.1", "0.10"), ("12.3456", "12.3456")],
)
def test_spreadsheet_numbers_lose_binary_noise_not_cents(cell: str, expected: str) -> None:
    assert str(parse_excel_amount(cell)) == expected


def test_spreadsheet_date_serials() -> None:
    assert excel_serial_date("45352") == date(2024, 3, 1)
    assert excel_serial_date("45352.75") == date(2024, 3, 1)
    assert excel_serial_date("43890", date1904=True) == date(2024, 3, 1)


def test_dates_are_strict() -> None:
    assert date_parser("%Y-%m-%d")("2024-03-01") == date(2024, 3, 1)
    assert date_parser("%d.%m.%Y")("4.3.2024") == date(2024, 3, 4)
    for bad in ("2024-3-1", "20240301", "2024-02-30"):
        with pytest.raises(FieldValueError):
            date_parser("%Y-%m-%d")(bad)


def test_tax_ids() -> None:
    assert normalize_tax_id("PL 526-025-02-74") == "5260250274"
    assert normalize_tax_id("de 812 345 673") == "DE812345673"
    assert tax_id_problem("5260250274", "PL") is None
    assert tax_id_problem("5260250275", "PL") == "invalid NIP checksum"
    assert tax_id_problem("DE812345670", "DE") == "invalid EU VAT number"
    assert tax_id_problem("CHE-123.456.789", "CH") is None

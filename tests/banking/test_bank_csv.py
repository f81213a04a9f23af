"""Bank CSV layouts from config/banks, on sample exports written for each bank."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from receivables.banking import StatementError, check_balances, parse_file
from receivables.banking import csv_banks

PKO = "csv/pko_bp_historia_60102010260000042270201111.csv"


@pytest.mark.parametrize(
    ("name", "fmt", "account", "amounts", "balances"),
    [
        ("csv/mbank.csv", "csv:mbank", "PL17114011240000567890123456",
         ["1150.00", "4000.00", "-1345.67"], ("4000.00", "7804.33")),
        (PKO, "csv:pko_bp", "PL60102010260000042270201111",
         ["-9.50", "-120.50", "2460.00"], ("10130.00", "12460.00")),
        ("csv/ing_pl.csv", "csv:ing_pl", "PL26105014451000002279872154",
         ["-1230.00", "1845.00"], ("21230.00", "21845.00")),
        ("csv/santander_pl.csv", "csv:santander_pl", "PL49109024020000000612345678",
         ["-42.23", "820.00"], ("1000.00", "1777.77")),
        ("csv/deutsche_bank.csv", "csv:deutsche_bank", "DE36370700240123456789",
         ["2345.67", "-1234.56"], (None, None)),
        ("csv/sparkasse.csv", "csv:sparkasse_camt", "DE95870520000123456789",
         ["-86.40", "1499.00"], (None, None)),
    ],
)
def test_bank_csv(data: Path, name: str, fmt: str, account: str, amounts: list[str], balances: tuple) -> None:
    parsed = parse_file(data / name)
    assert parsed.format == fmt
    (stmt,) = parsed.statements
    assert stmt.account == account
    assert [str(t.amount) for t in stmt.transactions] == amounts
    opening, closing = balances
    assert stmt.opening_balance == (Decimal(opening) if opening else None)
    assert stmt.closing_balance == (Decimal(closing) if closing else None)
    check_balances(stmt)


def test_mbank_fields(data: Path) -> None:
    (stmt,) = parse_file(data / "csv/mbank.csv").statements
    tx = stmt.transactions[1]
    assert (tx.booking_date, tx.title) == (date(2024, 2, 15), "FV/2024/01/0031")
    assert (tx.counterparty_name, tx.counterparty_iban) == ("BIURO RACHUNKOWE ŻANETA GĄSIOR", "PL23102055610000380209739045")


def test_pko_labelled_cells(data: Path) -> None:
    (stmt,) = parse_file(data / PKO).statements
    tx = stmt.transactions[-1]
    assert tx.title == "FV/2024/02/0012"
    assert tx.counterparty_name == "KOWALSKI BUDOWNICTWO SP. Z O.O."
    assert tx.counterparty_iban == "PL61109010140000071219812874"


def test_deutsche_bank_debit_credit_columns_and_umlauts(data: Path) -> None:
    (stmt,) = parse_file(data / "csv/deutsche_bank.csv").statements
    credit, debit = stmt.transactions
    assert credit.counterparty_name == "Bäckerei Groß OHG"
    assert credit.reference is None  # NOTPROVIDED
    assert (debit.reference, debit.bank_code) == ("RE-2024-117", "SEPA-Überweisung an")


def test_utf8_bom_and_value_date(data: Path) -> None:
    (stmt,) = parse_file(data / "csv/santander_pl.csv").statements
    fee = stmt.transactions[0]
    assert (fee.booking_date, fee.value_date) == (date(2024, 5, 15), date(2024, 5, 14))
    assert fee.title == "Opłata za kartę"


def test_thousands_separators() -> None:
    from receivables.banking.amounts import parse_amount

    assert parse_amount("-1 234,56", thousands=" \u00a0") == Decimal("-1234.56")
    assert parse_amount("1.234.567,89", thousands=".") == Decimal("1234567.89")
    assert parse_amount("1'234.50", decimal=".", thousands="'") == Decimal("1234.50")
    assert parse_amount("12,00-") == Decimal("-12.00")
    with pytest.raises(ValueError):
        parse_amount("12,5O")


def test_unknown_csv_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a;b;c\n1;2;3\n")
    with pytest.raises(StatementError, match="unrecognised statement format"):
        parse_file(path)


def _copy(data: Path, tmp_path: Path, name: str, change) -> Path:
    raw = (data / name).read_bytes()
    path = tmp_path / Path(name).name
    path.write_bytes(change(raw))
    return path


def test_letters_in_amount(data: Path, tmp_path: Path) -> None:
    path = _copy(data, tmp_path, "csv/mbank.csv", lambda raw: raw.replace(b"4 000,00", b"4 OOO,00"))
    with pytest.raises(StatementError, match="invalid amount") as err:
        parse_file(path)
    assert err.value.location == "row 27, column '#Kwota'"
    assert err.value.found == "4 OOO,00"


def test_truncated_csv(data: Path, tmp_path: Path) -> None:
    path = _copy(data, tmp_path, "csv/sparkasse.csv", lambda raw: raw[: raw.index(b"Stadtwerke") + 5])
    with pytest.raises(StatementError, match="truncated") as err:
        parse_file(path)
    assert err.value.location.startswith("row 3")


def test_short_row(data: Path, tmp_path: Path) -> None:
    path = _copy(data, tmp_path, "csv/deutsche_bank.csv", lambda raw: raw.replace(b";;;;;;;;-1.234,56;;EUR", b""))
    with pytest.raises(StatementError, match="too few columns") as err:
        parse_file(path)
    assert err.value.location == "row 5"


def test_wrong_encoding(data: Path) -> None:
    with pytest.raises(StatementError, match="wrong encoding"):
        list(csv_banks.extract(data / "csv/mbank.csv", format_id="mbank", encoding="utf-8"))


def test_missing_date(data: Path, tmp_path: Path) -> None:
    path = _copy(data, tmp_path, "csv/ing_pl.csv", lambda raw: raw.replace(b"2024-03-28;2024-03-28;", b"2024-03-28;;"))
    with pytest.raises(StatementError, match="missing date") as err:
        parse_file(path)
    assert err.value.location == "row 16, column 'Data księgowania'"

"""Fixtures for the accounting sources: paths to the hand-written files, xlsx built from them."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "accounting"


@pytest.fixture()
def data_dir() -> Path:
    return DATA


def _cell(text: str, numeric: set[str], dates: set[str], header: str, decimal: str, thousands: str, date_format: str):
    """Spreadsheet value for a CSV cell: numbers as numeric cells, dates as date cells."""
    if not text:
        return None
    if header in numeric:
        plain = text.replace(thousands, "") if thousands else text
        return float(plain.replace(decimal, ".")) if "," in plain or "." in plain else int(plain)
    if header in dates:
        return datetime.strptime(text, date_format).date()
    return text


def csv_to_sheet(workbook, title: str, path: Path, *, encoding: str, numeric: set[str], dates: set[str], decimal: str = ",", thousands: str = "", date_format: str = "%Y-%m-%d", skip: int = 0) -> None:
    sheet = workbook.create_sheet(title)
    with path.open(encoding=encoding, newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    for row in rows[:skip]:
        sheet.append(row)
    header = rows[skip]
    sheet.append(header)
    for row in rows[skip + 1 :]:
        sheet.append([_cell(text, numeric, dates, name, decimal, thousands, date_format) for name, text in zip(header, row)])


@pytest.fixture()
def sandbox_xlsx(tmp_path: Path) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    export = DATA / "sandbox_export"
    csv_to_sheet(workbook, "customers", export / "customers.csv", encoding="utf-8-sig", numeric={"is_consumer"}, dates=set())
    csv_to_sheet(
        workbook, "invoices", export / "invoices.csv", encoding="utf-8-sig",
        numeric={"net", "vat", "gross", "payment_terms_days"}, dates={"issue_date", "due_date"},
    )  # fmt: skip
    path = tmp_path / "sandbox_export.xlsx"
    workbook.save(path)
    return path


@pytest.fixture()
def rejestr_xlsx(tmp_path: Path) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    csv_to_sheet(
        workbook, "Rejestr sprzedaży", DATA / "rejestr_sprzedazy_vat.csv", encoding="cp1250",
        numeric={"Netto", "VAT", "Brutto"}, dates={"Data wystawienia", "Termin płatności"}, thousands=" ", skip=1,
    )  # fmt: skip
    path = tmp_path / "rejestr.xlsx"
    workbook.save(path)
    return path


@pytest.fixture()
def lexoffice_xlsx(tmp_path: Path) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    csv_to_sheet(
        workbook, "Rechnungen", DATA / "lexoffice_rechnungen.csv", encoding="utf-8-sig",
        numeric={"Nettobetrag", "Umsatzsteuer", "Bruttobetrag"}, dates={"Rechnungsdatum", "Fälligkeitsdatum"},
        thousands=".", date_format="%d.%m.%Y",
    )  # fmt: skip
    path = tmp_path / "rechnungen.xlsx"
    workbook.save(path)
    return path


@pytest.fixture()
def sandbox_copy(tmp_path: Path) -> Path:
    """A writable copy of the sandbox export, for tests that break it."""
    folder = tmp_path / "export"
    folder.mkdir()
    for name in ("customers.csv", "invoices.csv"):
        (folder / name).write_bytes((DATA / "sandbox_export" / name).read_bytes())
    return folder


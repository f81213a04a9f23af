"""The PDF, the workbook and the charts of a report on the populated sandbox ledger."""

from __future__ import annotations

import io
import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from PIL import Image

from receivables.reports import charts
from receivables.reports.build import build_files
from receivables.reports.facts import read_facts
from receivables.reports.figures import build_report
from receivables.reports.labels import labels
from receivables.reports.settings import ReportsSettings

from .conftest import AS_OF


@pytest.fixture(scope="module")
def facts(sqlite_populated):
    with sqlite_populated.session() as s:
        return read_facts(s)


def _colors(png: bytes) -> set[tuple[int, int, int]]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return {rgb for _, rgb in image.getcolors(maxcolors=1 << 20)}


def _hex(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))


def test_charts_are_pngs_that_draw_the_data(facts):
    report = build_report(facts, AS_OF)
    words = labels("en")
    aging = charts.aging_chart(report, words)
    image = Image.open(io.BytesIO(aging))
    assert image.format == "PNG" and image.width > 500 and image.height > 500
    drawn = _colors(aging)
    for color, bucket in zip(charts.BUCKET_COLORS, ("current", "1-30")):  # the world has both in PLN
        assert report.aging["PLN"].buckets[bucket] > 0 and _hex(color) in drawn
    for png in (charts.aging_share_chart(report, words), charts.dso_chart(report, words),
                charts.cash_chart(report, words)):
        assert png is not None and len(_colors(png)) > 20  # more than a blank canvas with a title


def test_charts_of_an_empty_portfolio_are_absent_not_blank(facts):
    report = build_report(facts.only(set()), AS_OF)
    assert charts.aging_chart(report, labels("en")) is None and charts.cash_chart(report, labels("en")) is None


def test_pdf_is_phone_sized_with_charts_and_polish_text(facts, tmp_path):
    built = build_files(facts, AS_OF, tmp_path, ReportsSettings(language="pl"))
    info = subprocess.run(["pdfinfo", str(built.pdf)], capture_output=True, text=True, check=True).stdout
    width, height = (float(v) for v in info.split("Page size:")[1].split("pts")[0].split(" x "))
    assert width < 300 and height / width > 1.7  # 100 x 178 mm: a phone screen's shape
    images = subprocess.run(["pdfimages", "-list", str(built.pdf)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    images = [line for line in images if line.split()[2] == "image"]  # not the alpha masks
    assert len(images) == 4  # aging share, aging, DSO, cash
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(built.pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.replace("\u00a0", " ")
    total = labels("pl").fmt.number(built.report.aging["PLN"].total).replace("\u00a0", " ")
    assert "Raport należności" in first and "Należności otwarte" in first and total in first
    last = subprocess.run(["pdftotext", str(built.pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Definicje" in last and "Brak kampanii w okresie." in last  # the sandbox has no call campaigns
    png = tmp_path / "page1"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(built.pdf), str(png)], check=True)
    assert len(_colors(next(tmp_path.glob("page1*.png")).read_bytes())) > 20


def test_workbook_holds_numbers_with_formats_and_definitions(facts, tmp_path):
    built = build_files(facts, AS_OF, tmp_path, ReportsSettings(language="en"))
    wb = load_workbook(built.xlsx)
    assert wb.sheetnames == ["Summary", "Customer", "Segment", "Account manager", "DSO", "CEI", "Promises to pay",
                             "Contacts", "Cash collected per week", "Definitions"]
    summary = wb["Summary"]
    assert [summary.cell(6, c).value for c in (2, 3)] == ["PLN", "EUR"]
    assert summary.cell(7, 1).value == "Open receivables"
    cell = summary.cell(7, 2)
    assert isinstance(cell.value, float | int) and cell.number_format == "#,##0.00"
    assert Decimal(str(cell.value)) == built.report.aging["PLN"].total
    customers = wb["Customer"]
    rows = list(customers.iter_rows(min_row=2, values_only=True))
    pln_total = sum(Decimal(str(r[7])) for r in rows if r[1] == "PLN")
    assert pln_total == built.report.aging["PLN"].total
    definitions = {r[0]: r[1] for r in wb["Definitions"].iter_rows(min_row=2, values_only=True)}
    assert "last 90 days" in definitions["DSO"] and "within 7 days" in definitions["Contact results"]


def test_pdf_lists_reminder_and_campaign_results_when_there_are_some(tmp_path):
    from datetime import date

    from receivables.ledger import open_ledger

    from tests.reports.builders import call, campaign, customer, invoice, pay, reminder

    ledger = open_ledger(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    with ledger.session() as s:
        c = customer(s, "C")
        inv = invoice(s, c, "1000.00", date(2026, 9, 30))
        reminder(s, c, [inv], date(2026, 10, 20))
        pay(s, inv, "1000.00", date(2026, 10, 22))
        call(s, campaign(s, "calls-2026-10"), c, date(2026, 10, 21), "answered", "promise")
    with ledger.session() as s:
        facts = read_facts(s)
    ledger.dispose()
    built = build_files(facts, AS_OF, tmp_path, ReportsSettings(language="en"))
    text = subprocess.run(["pdftotext", "-layout", str(built.pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "overdue_7" in text and "calls-2026-10" in text  # rows of both kinds
    assert "No campaigns in the period." not in text and "Amount paid: PLN" in text.replace("\u00a0", " ")

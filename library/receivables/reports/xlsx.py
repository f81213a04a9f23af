"""The report as an XLSX workbook: every figure as a real number with a number format, one sheet per view."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from receivables.reports.figures import BUCKETS, AgingRow, PromiseRow, Report
from receivables.reports.labels import Labels

MONEY = "#,##0.00"
DAYS = "0.0"
PCT = '0.0"%"'
DATE = "yyyy-mm-dd"
SHEET_NAME_MAX = 31


def write_workbook(report: Report, words: Labels, path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    w = words
    _summary(wb.create_sheet(_name(w("summary"))), report, w)
    bucket_names = [w("current") if b == "current" else b for b in BUCKETS]
    for title, rows in ((w("customer"), report.by_customer), (w("segment"), report.by_segment),
                        (w("manager"), report.by_manager)):
        _table(wb.create_sheet(_name(title)),
               [title, w("currency"), *bucket_names, w("total"), w("overdue"), w("invoices")],
               [None, *[MONEY] * 7, "0"], (_aging_cells(r, w) for r in rows), first_width=42)
    _table(wb.create_sheet("DSO"), [w("day"), w("currency"), w("receivables"), w("credit_sales"), w("dso")],
           [None, MONEY, MONEY, DAYS], ([p.day, p.currency, p.receivables, p.sales, p.dso] for p in report.dso))
    _table(wb.create_sheet("CEI"),
           [w("period"), w("from"), w("to"), w("currency"), w("beginning"), w("credit_sales"), w("ending"),
            w("ending_current"), w("cei")],
           [DATE, DATE, None, MONEY, MONEY, MONEY, MONEY, PCT],
           ([_span_label(r.span, report, w), r.span.start, r.span.end, r.currency, r.beginning, r.sales, r.ending,
             r.ending_current, r.cei] for r in report.cei))
    currencies = report.currencies
    _table(wb.create_sheet(_name(w("promises_title"))),
           [w("period"), w("channel"), w("made"), *[f"{w('made_amount')} {c}" for c in currencies],
            w("without_amount"), w("due"), w("kept"), w("broken"), w("pending"), w("kept_pct")],
           [None, "0", *[MONEY] * len(currencies), "0", "0", "0", "0", "0", PCT],
           [*(_promise_cells(r, _promise_period(r.key, report, w), "", currencies) for r in report.promises),
            *(_promise_cells(r, w("last_weeks", weeks=len(report.weeks)), r.key, currencies)
              for r in report.promises_by_channel)])
    _table(wb.create_sheet(_name(w("contacts"))),
           [w("kind"), w("name"), w("channel"), w("contacts"), w("reached"), w("promised"), w("paid"),
            *[f"{w('paid_amount')} {c}" for c in currencies], w("window_open")],
           [None, None, "0", "0", "0", "0", *[MONEY] * len(currencies), "0"],
           ([w(r.kind), r.name, r.channel, r.contacts, r.reached, r.promised, r.paid,
             *[r.paid_amount.get(c, Decimal("0.00")) for c in currencies], r.window_open] for r in report.contacts),
           note=w("contacts_period", start=report.contacts_span.start.isoformat(),
                  end=report.contacts_span.end.isoformat(), days=report.contact_days))
    _table(wb.create_sheet(_name(w("cash_title"))),
           [w("period"), w("from"), w("to"), w("currency"), w("applied"), w("received")],
           [DATE, DATE, None, MONEY, MONEY],
           ([r.span.label, r.span.start, r.span.end, r.currency, r.applied, r.received] for r in report.cash))
    _definitions(wb.create_sheet(_name(w("definitions"))), report, w)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _name(title: str) -> str:
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title[:SHEET_NAME_MAX].strip()


def _span_label(span: Any, report: Report, w: Labels) -> str:
    return w("last_weeks", weeks=len(report.weeks)) if span == report.trend else span.label


def _promise_period(key: str, report: Report, w: Labels) -> str:
    return w("this_week") if key == "week" else w("last_weeks", weeks=len(report.weeks))


def _aging_cells(r: AgingRow, w: Labels) -> list[Any]:
    return [w.key(r.key), r.currency, *(r.buckets[b] for b in BUCKETS), r.total, r.overdue, r.invoices]


def _promise_cells(r: PromiseRow, period: str, channel: str, currencies: Sequence[str]) -> list[Any]:
    return [period, channel, r.made, *[r.made_amount.get(c, Decimal("0.00")) for c in currencies],
            r.made_without_amount, r.due, r.kept, r.broken, r.pending, r.kept_rate]


def _header(ws: Any, row: int, titles: Sequence[str]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    for col, title in enumerate(titles, 1):
        cell = ws.cell(row, col, title)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _cell(ws: Any, row: int, col: int, value: Any, fmt: str | None) -> None:
    cell = ws.cell(row, col, value)
    if isinstance(value, date):
        cell.number_format = DATE
    elif fmt and isinstance(value, int | Decimal):
        cell.number_format = fmt


def _table(ws: Any, titles: Sequence[str], formats: Sequence[str | None], rows: Iterable[Sequence[Any]],
           first_width: int = 18, note: str | None = None) -> None:
    """A header row, typed rows, a filter and a frozen header; formats are per column after the first."""
    from openpyxl.utils import get_column_letter

    top = 1
    if note:
        ws.cell(1, 1, note)
        top = 3
    _header(ws, top, titles)
    n = top
    for n, values in enumerate(rows, top + 1):
        for col, value in enumerate(values, 1):
            _cell(ws, n, col, value, formats[col - 2] if col > 1 else None)
    ws.freeze_panes = ws.cell(top + 1, 2)
    ws.auto_filter.ref = f"A{top}:{get_column_letter(len(titles))}{max(n, top)}"
    ws.column_dimensions["A"].width = first_width
    for col in range(2, len(titles) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 15


def _summary(ws: Any, report: Report, w: Labels) -> None:
    from openpyxl.styles import Font

    ws["A1"] = w("title")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = report.scope and w("manager_scope", manager=report.scope) or w("portfolio")
    ws["A3"] = w("as_of", date=w.date(report.as_of))
    ws["A4"] = w("week", week=report.week.label, start=w.date(report.week.start), end=w.date(report.week.end))
    kpis = summary_rows(report, w)
    _header(ws, 6, [w("summary"), *report.currencies])
    for r, (title, fmt, values) in enumerate(kpis, 7):
        ws.cell(r, 1, title)
        for c, currency in enumerate(report.currencies, 2):
            _cell(ws, r, c, values.get(currency), fmt)
    ws.column_dimensions["A"].width = 40
    for col in "BCDE":
        ws.column_dimensions[col].width = 18


def summary_rows(report: Report, w: Labels) -> list[tuple[str, str, dict[str, Any]]]:
    """The headline figures per currency (also the PDF's first table)."""
    zero = Decimal("0.00")
    last_dso = {p.currency: p.dso for p in report.dso if p.day == report.as_of}
    cei_week = {r.currency: r.cei for r in report.cei if r.span == report.week}
    cei_trend = {r.currency: r.cei for r in report.cei if r.span == report.trend}
    cash = {r.currency: r.applied for r in report.cash if r.span == report.week}
    aging = report.aging
    share = {c: (a.overdue * 100 / a.total).quantize(Decimal("0.1")) for c, a in aging.items() if a.total}
    kept = next((p.kept_rate for p in report.promises if p.key == "trend"), None)
    rows = [
        (w("total_open"), MONEY, {c: a.total for c, a in aging.items()}),
        (w("overdue"), MONEY, {c: a.overdue for c, a in aging.items()}),
        (w("overdue_share"), PCT, share),
        (w("over_90"), MONEY, {c: a.buckets["90+"] for c, a in aging.items()}),
        (w("dso"), DAYS, last_dso),
        (w("cei_week"), PCT, cei_week),
        (w("cei_trend", weeks=len(report.weeks)), PCT, cei_trend),
        (w("cash_week"), MONEY, {c: cash.get(c, zero) for c in report.currencies}),
        (w("credit_balances"), MONEY, dict(report.credit_balances)),
        (w("kept_rate"), PCT, dict.fromkeys(report.currencies, kept) if kept is not None else {}),
    ]
    if report.written_off:
        rows.append((w("written_off"), MONEY, {c: v[1] for c, v in report.written_off.items()}))
    return rows


def _definitions(ws: Any, report: Report, w: Labels) -> None:
    from openpyxl.styles import Alignment

    _header(ws, 1, [w("term"), w("meaning")])
    for r, (term, text) in enumerate(w.definitions(dso_days=report.dso_days, contact_days=report.contact_days), 2):
        ws.cell(r, 1, term)
        ws.cell(r, 2, text).alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 100

"""The exceptions workbook: payments the engine did not post, for an analyst to decide.

One row per payment with its details, why it is there, the top suggestions (invoice numbers,
amounts, confidence, method) and a `decision` column (see `decisions` for what it accepts; the
cell offers a dropdown of 1/2/3/ignore but takes free text). Amounts the reader needs back are
stored as text, so nothing passes through a float. The analyst may sort, filter or move
columns: the reader finds them by their header.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from receivables.matching.decisions import Decision, DecisionError, parse_decision
from receivables.matching.models import MatchResult, Payment, Suggestion

SHEET = "exceptions"
SUGGESTIONS = 3
DETAIL_COLUMNS = ("payment_id", "booking_date", "amount", "currency", "payer", "payer_iban", "title", "reason")
DECISION_COLUMN = "decision"
NOTE_COLUMN = "note"
HELP = [
    ("decision", "what it means"),
    ("1 / 2 / 3", "take that suggestion as shown (its invoices and amounts)"),
    ("FV/2024/05/0123; FV/2024/05/0124=100.50", "pay these invoices; '=amount' fixes an amount, otherwise "
                                                 "what is open, oldest first"),
    ("customer: K00123", "the payer is this customer; no invoice (the money is kept as their credit)"),
    ("ignore", "not a customer payment (refund, loan, own transfer)"),
    ("(empty)", "undecided: the payment comes back in the next workbook"),
]


@dataclass
class ExceptionRow:
    payment: Payment
    reason: str
    suggestions: list[Suggestion] = field(default_factory=list)


def suggestion_columns(n: int) -> tuple[str, str, str, str]:
    return (f"s{n}_invoices", f"s{n}_amounts", f"s{n}_confidence", f"s{n}_method")


COLUMNS = (*DETAIL_COLUMNS, *(c for n in range(1, SUGGESTIONS + 1) for c in suggestion_columns(n)),
           DECISION_COLUMN, NOTE_COLUMN)


def exception_rows(result: MatchResult, payments: Iterable[Payment]) -> list[ExceptionRow]:
    """The payments of `result` that need a human, in booking order, with why and the suggestions."""
    by_id = {p.payment_id: p for p in payments}
    rows = []
    for pid in result.unmatched:
        suggestions = result.suggestions.get(pid, [])
        reason = result.flags.get(pid) or ("low_confidence" if suggestions else "no_match")
        rows.append(ExceptionRow(by_id[pid], reason, suggestions[:SUGGESTIONS]))
    return rows


def write_exceptions(path: str | Path, rows: Iterable[ExceptionRow]) -> int:
    """Write the workbook (replacing the file); returns the number of payment rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(COLUMNS)
    count = 0
    for row in rows:
        p = row.payment
        cells: list[object] = [p.payment_id, p.booking_date, p.amount, p.currency, p.counterparty_name or "",
                               p.counterparty_iban or "", p.title or "", row.reason]
        for n in range(SUGGESTIONS):
            if n < len(row.suggestions):
                s = row.suggestions[n]
                cells += ["; ".join(s.invoice_numbers), "; ".join(str(a) for a in s.amounts), s.confidence, s.method]
            else:
                cells += ["", "", None, ""]
        cells += ["", ""]
        sheet.append(cells)
        count += 1
    decision_col = get_column_letter(COLUMNS.index(DECISION_COLUMN) + 1)
    if count:
        dropdown = DataValidation(type="list", formula1='"1,2,3,ignore"', allow_blank=True, showErrorMessage=False,
                                  promptTitle="decision", prompt="1/2/3, invoice numbers (;), customer: ID, ignore")
        dropdown.add(f"{decision_col}2:{decision_col}{count + 1}")
        sheet.add_data_validation(dropdown)
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    sheet[f"{decision_col}1"].fill = PatternFill("solid", fgColor="FFF2CC")
    widths = {"payment_id": 16, "booking_date": 12, "amount": 14, "currency": 8, "payer": 28, "payer_iban": 30,
              "title": 40, "reason": 16, DECISION_COLUMN: 28, NOTE_COLUMN: 24}
    for i, name in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = widths.get(name, 22 if "invoices" in name else 14)
    for r in range(2, count + 2):
        sheet.cell(r, COLUMNS.index("booking_date") + 1).number_format = "yyyy-mm-dd"
        sheet.cell(r, COLUMNS.index("amount") + 1).number_format = "#,##0.00"
        sheet.cell(r, COLUMNS.index("title") + 1).alignment = Alignment(wrap_text=False)
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{count + 1}"
    help_sheet = book.create_sheet("how to decide")
    for line in HELP:
        help_sheet.append(line)
    help_sheet.column_dimensions["A"].width = 44
    help_sheet.column_dimensions["B"].width = 90
    for cell in help_sheet[1]:
        cell.font = bold
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return count


def read_decisions(path: str | Path) -> list[Decision]:
    """Every filled-in decision, in sheet order; DecisionError lists every unreadable one."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (OSError, InvalidFileException, KeyError, ValueError) as exc:
        raise DecisionError(str(path), [f"cannot open the workbook: {exc}"]) from None
    try:
        if SHEET not in book.sheetnames:
            raise DecisionError(str(path), [f"no sheet {SHEET!r} (found: {', '.join(book.sheetnames)})"])
        rows = book[SHEET].iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        missing = [c for c in ("payment_id", DECISION_COLUMN) if c not in header]
        if missing:
            raise DecisionError(str(path), [f"row 1: missing column(s) {', '.join(missing)}"])
        at = {name: i for i, name in enumerate(header)}
        decisions, problems, seen = [], [], {}
        for number, values in enumerate(rows, start=2):
            cell = _cell(values, at.get(DECISION_COLUMN))
            if cell is None or str(cell).strip() == "":
                continue
            payment_id = _cell(values, at["payment_id"])
            text = _text(cell)
            if payment_id is None or str(payment_id).strip() == "":
                problems.append(f"row {number}: decision {text!r} but no payment_id")
                continue
            payment_id = str(payment_id).strip()
            if payment_id in seen:
                problems.append(f"row {number}: payment {payment_id} was already decided in row {seen[payment_id]}")
                continue
            seen[payment_id] = number
            try:
                suggestions = _suggestions(values, at, number) if text.isdigit() else []
                decisions.append(parse_decision(text, payment_id, number, suggestions))
            except ValueError as exc:
                problems.append(f"row {number} (payment {payment_id}): decision {text!r}: {exc}")
        if problems:
            raise DecisionError(str(path), problems)
        return decisions
    finally:
        book.close()


def _cell(values: tuple, index: int | None) -> object:
    if index is None or index >= len(values):
        return None
    return values[index]


def _text(value: object) -> str:
    """A cell as typed: Excel turns "1" into 1.0, which is still the first suggestion."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _suggestions(values: tuple, at: dict[str, int], row: int) -> list[tuple[tuple[str, ...], tuple[Decimal, ...]]]:
    found = []
    for n in range(1, SUGGESTIONS + 1):
        inv_col, amount_col, _, _ = suggestion_columns(n)
        numbers_cell = _cell(values, at.get(inv_col))
        if numbers_cell is None or str(numbers_cell).strip() == "":
            break
        numbers = tuple(x.strip() for x in str(numbers_cell).split(";") if x.strip())
        amounts_cell = _cell(values, at.get(amount_col))
        try:
            amounts = tuple(Decimal(x.strip()) for x in str(amounts_cell or "").split(";") if x.strip())
        except InvalidOperation:
            raise ValueError(f"{amount_col} was edited and is no longer amounts: {amounts_cell!r}") from None
        if len(amounts) != len(numbers):
            raise ValueError(f"{inv_col} and {amount_col} no longer pair up (row {row})")
        found.append((numbers, amounts))
    return found

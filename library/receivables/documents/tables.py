"""The invoice table's cells as text, shared by the PDF and DOCX renderers."""

from __future__ import annotations

from receivables.documents.fmt import formatter
from receivables.documents.model import Letter, LetterItem

NUMERIC = {"amount", "days_late", "principal", "interest", "compensation", "total"}
SUMMED = ("principal", "interest", "compensation", "total")
DATES = ("issue_date", "due_date", "paid_on")
NOT_CALCULATED = {"pl": "nie obliczono", "de": "nicht berechnet", "en": "not calculated"}


def _cell(letter: Letter, key: str, item: LetterItem) -> str:
    f = formatter(letter.language)
    if key == "invoice":
        return item.invoice_number
    if key in DATES:
        value = getattr(item, key)
        return f.date(value) if value else ""
    if key == "days_late":
        return "" if item.days_late is None else str(item.days_late)
    if key == "amount":
        return "" if item.amount is None else f.money(item.amount, letter.currency)
    if key == "interest" and item.interest is None:
        return NOT_CALCULATED[letter.language]
    return f.money(getattr(item, key), letter.currency)


def table_rows(letter: Letter, columns: tuple[tuple[str, str], ...], total_label: str) -> list[list[str]]:
    """One row per invoice, then the total row (sums of the money columns, the label first)."""
    f = formatter(letter.language)
    rows = [[_cell(letter, key, item) for key, _ in columns] for item in letter.items]
    totals = {k: f.money(getattr(letter.totals, k), letter.currency) for k in SUMMED}
    rows.append([totals.get(key, "") for key, _ in columns])
    rows[-1][0] = total_label or rows[-1][0]
    return rows

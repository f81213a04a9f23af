"""The call list in: Robocorp work items or a CSV/TXT batch file (the call-list robot's part files
are read by `receivables.scoring.calllist.read_parts`).

Both end as `CallListPart`s (scoring.handover). A batch file has one row per invoice with the
debtor's fields repeated; rows of one customer are merged. Any bad row stops the load with the file,
line and field named, before anything is called.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from receivables.scoring.handover import CallListEntry, CallListInvoice, CallListPart

BATCH_FIELDS = ("campaign", "customer", "customer_id", "name", "language", "country", "time_zone", "phones",
                "tax_id_last3", "priority", "invoice", "issue_date", "due_date", "open_amount", "interest",
                "currency", "description")
REQUIRED = ("customer", "name", "language", "country", "time_zone", "phones", "invoice", "due_date",
            "open_amount", "currency")
PART_SIZE = 1000


class CallListError(ValueError):
    """A call list that cannot be used; the message names the file, line and field."""


def split(campaign: str, entries: list[CallListEntry], created: date, size: int = PART_SIZE,
          kind: str = "call") -> list[CallListPart]:
    """Cut a campaign into work items of at most `size` debtors, highest priority first."""
    ordered = sorted(entries, key=lambda e: (e.priority, -e.score))
    chunks = [ordered[i:i + size] for i in range(0, len(ordered), size)] or [[]]
    return [CallListPart(campaign=campaign, kind=kind, created=created, part=n, parts=len(chunks), entries=chunk)
            for n, chunk in enumerate(chunks, 1)]


def work_items_json(parts: Iterable[CallListPart]) -> list[dict[str, Any]]:
    """The FileAdapter's input format: one work item per part."""
    return [{"payload": part.model_dump(mode="json"), "files": {}} for part in parts]


def part_from_payload(payload: Any, where: str) -> CallListPart:
    try:
        return CallListPart.model_validate(payload)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise CallListError(f"{where}: field {field}: {err['msg']} ({len(exc.errors())} problem(s))") from None


def read_batch_file(path: Path, campaign: str | None = None, created: date | None = None,
                    resolve_customer: Callable[[str], int | None] | None = None,
                    size: int = PART_SIZE) -> list[CallListPart]:
    """A hand-made CSV (`,` or `;`) or TXT (tab) list: one row per invoice, fields as `BATCH_FIELDS`.

    `phones` holds one or more numbers separated by `|`; `customer_id` may be left empty when
    `resolve_customer` (external id -> ledger id) finds the customer.
    """
    rows = list(_rows(path))
    if not rows:
        raise CallListError(f"{path}: no rows")
    campaign = campaign or rows[0][1].get("campaign") or path.stem
    grouped: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for line, row in rows:
        grouped.setdefault(row["customer"], []).append((line, row))
    entries = [_entry(path, group, resolve_customer) for group in grouped.values()]
    return split(campaign[:64], entries, created or date.today(), size)


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CallListError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise CallListError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    lines = text.splitlines()
    if not lines:
        return
    header = lines[0]
    delimiter = "\t" if "\t" in header else ";" if header.count(";") > header.count(",") else ","
    reader = csv.DictReader(lines, delimiter=delimiter)
    fields = [f.strip() for f in reader.fieldnames or []]
    unknown = [f for f in fields if f not in BATCH_FIELDS]
    if unknown:
        raise CallListError(f"{path}: line 1: unknown column(s) {', '.join(unknown)}; expected {', '.join(BATCH_FIELDS)}")
    missing = [f for f in REQUIRED if f not in fields]
    if missing:
        raise CallListError(f"{path}: line 1: missing column(s) {', '.join(missing)}")
    for n, row in enumerate(reader, 2):
        if not any((v or "").strip() for v in row.values()):
            continue
        yield n, {k.strip(): (v or "").strip() for k, v in row.items() if k}


def _entry(path: Path, group: list[tuple[int, dict[str, str]]],
           resolve: Callable[[str], int | None] | None) -> CallListEntry:
    line, first = group[0]
    for field in REQUIRED:
        for n, row in group:
            if not row.get(field):
                raise CallListError(f"{path}: line {n}: field {field} is empty")
    invoices = []
    for n, row in group:
        try:
            invoices.append(CallListInvoice(
                number=row["invoice"], due_date=_date(path, n, row, "due_date"),
                issue_date=_date(path, n, row, "issue_date") if row.get("issue_date") else _date(path, n, row, "due_date"),
                open_amount=_money(path, n, row, "open_amount"), interest=_money(path, n, row, "interest", "0"),
                currency=row["currency"], description=row.get("description") or None))
        except ValidationError as exc:
            raise CallListError(_describe(path, n, exc)) from None
    customer_id = first.get("customer_id")
    if not customer_id and resolve:
        found = resolve(first["customer"])
        customer_id = str(found) if found is not None else ""
    if not customer_id:
        raise CallListError(f"{path}: line {line}: field customer_id is empty and customer "
                            f"{first['customer']!r} is not in the ledger")
    totals: dict[str, Decimal] = {}
    for inv in invoices:
        totals[inv.currency] = totals.get(inv.currency, Decimal("0.00")) + inv.open_amount + inv.interest
    try:
        return CallListEntry(
            customer=first["customer"], customer_id=customer_id, name=first["name"], language=first["language"],
            country=first["country"].upper(), time_zone=first["time_zone"],
            phones=[p.strip() for p in first["phones"].split("|") if p.strip()],
            tax_id_last3=first.get("tax_id_last3") or None, priority=first.get("priority") or 1, score=Decimal("0"),
            totals=totals, invoices=invoices, reasons=["batch file"])
    except ValidationError as exc:
        raise CallListError(_describe(path, line, exc)) from None


def _date(path: Path, line: int, row: dict[str, str], field: str) -> date:
    try:
        return date.fromisoformat(row[field])
    except ValueError:
        raise CallListError(f"{path}: line {line}: field {field}: expected a date as YYYY-MM-DD, got {row[field]!r}") from None


def _money(path: Path, line: int, row: dict[str, str], field: str, default: str | None = None) -> Decimal:
    raw = row.get(field) or default or ""
    try:
        value = Decimal(raw.replace("\u00a0", "").replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise CallListError(f"{path}: line {line}: field {field}: not an amount: {raw!r}") from None
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
        raise CallListError(f"{path}: line {line}: field {field}: expected a non-negative amount with cents, got {raw!r}")
    return value


def _describe(path: Path, line: int, exc: ValidationError) -> str:
    err = exc.errors()[0]
    field = ".".join(str(p) for p in err["loc"])
    return f"{path}: line {line}: field {field}: {err['msg']} (found {err.get('input')!r})"

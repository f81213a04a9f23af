"""The accounting sync rules: a source's customers and invoices into the ledger, in bulk.

One pass per batch instead of one query per record: what the ledger already holds is loaded
once, compared in memory, and only the differences are written (new rows by multi-row inserts
at the driver, changes by Core executemany). So an unchanged re-sync writes nothing, and 100,000
invoices take seconds. The rules:
- invoices are keyed by issuer + number, customers by the source's id;
- a changed amount, due date, customer or correction is written and logged as an event;
- a credit note lowers the open amount of the invoice it corrects;
- an invoice a complete source no longer lists is flagged for an analyst, never deleted;
- contact data is added from the source; opt-outs and bounced addresses are the ledger's own.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from operator import attrgetter, itemgetter
from typing import Any

from sqlalchemy import Table, bindparam, func, select, tuple_, update
from sqlalchemy.orm import Session

from receivables.accounting.records import CustomerRecord, InvoiceRecord
from receivables.bulk import collector_paused
from receivables.ledger.models import Contact, Customer, CustomerIban, Event, Invoice
from receivables.ledger.repository import (
    ZERO,
    bulk_insert_new,
    derive_status,
    driver_converter,
    driver_value,
    jsonable,
    placeholder,
    refresh_invoice,
)
from receivables.ledger.types import utcnow
from receivables.money import to_money

CUSTOMER_FIELDS = (
    "name", "country", "tax_id", "regon", "street", "postal_code", "city",
    "language", "account_manager", "is_consumer",
)
INVOICE_FIELDS = ("kind", "issue_date", "due_date", "currency", "net", "vat", "gross", "payment_terms_days")
NEW_INVOICE_FLAGS = {"disputed": False, "promised": False, "in_court": False, "written_off": False, "paid_date": None}
CHUNK = 500  # bound parameters per IN list, well under SQLite's limit
DRIVER_CHUNK = 5000  # keys per driver-level IN list (SQLite allows 32,766 parameters, PostgreSQL 65,535)


class SyncError(ValueError):
    """The batch contradicts the ledger (e.g. a credit note for an invoice nobody knows)."""


@dataclass
class SyncCount:
    customers_created: int = 0
    customers_updated: int = 0
    customers_unchanged: int = 0
    contacts_added: int = 0
    invoices_created: int = 0
    invoices_updated: int = 0
    invoices_unchanged: int = 0
    invoices_recalculated: int = 0
    invoices_missing: int = 0
    invoices_back: int = 0

    def add(self, other: SyncCount) -> None:
        for name, value in asdict(other).items():
            setattr(self, name, getattr(self, name) + value)

    @property
    def writes(self) -> int:
        """Rows this sync changed: zero for a re-sync of an unchanged source."""
        return sum(v for k, v in asdict(self).items() if not k.endswith("unchanged"))


def _update(session: Session, model: type, rows: list[dict[str, Any]]) -> None:
    """Core executemany by primary key: each row dict holds `_id` and the columns to set."""
    table = model.__table__
    session.execute(update(table).where(table.c.id == bindparam("_id")), rows)


def _insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """New rows (same keys in each) at the driver (bulk_insert_new), as Core would send them:
    values through each column's type, scalar Python-side defaults filled in. Core's per-row
    parameter handling costs more than the database's own insert."""
    if not rows:
        return
    dialect = session.get_bind().dialect
    names = tuple(rows[0])
    defaults: dict[str, Any] = {}
    for column in table.columns:
        if column.name not in names and column.default is not None:
            if not column.default.is_scalar:  # a callable default (a timestamp) must be given
                raise AssertionError(f"new {table.name} rows lack {column.name}")
            defaults[column.name] = column.default.arg
    columns: list[Iterable[Any]] = []
    for name in names:
        convert = driver_converter(dialect, table.c[name])
        columns.append([convert(row[name]) for row in rows])
    for name, value in defaults.items():
        columns.append(itertools.repeat(driver_converter(dialect, table.c[name])(value), len(rows)))
    bulk_insert_new(session, table, (*names, *defaults), list(zip(*columns)))


def _insert_new(session: Session, table: Table, rows: list[dict[str, Any]], key: str) -> dict[Any, int]:
    """Insert new rows (_insert_rows); returns their `key` -> id, read back by id range."""
    before = _last_id(session, table)
    _insert_rows(session, table, rows)
    return _ids_after(session, table, before, (key,), {row[key] for row in rows})


def _last_id(session: Session, table: Table) -> int:
    return session.connection().exec_driver_sql(f"SELECT COALESCE(MAX(id), 0) FROM {table.name}").scalar()


def _ids_after(session: Session, table: Table, before: int, key: tuple[str, ...], wanted: set[Any]) -> dict[Any, int]:
    """key value (a tuple for several columns) -> id of the `wanted` rows inserted after id `before`."""
    mark = placeholder(session.connection())
    rows = _raw_rows(session, f"SELECT {', '.join(key)}, id FROM {table.name} WHERE id > {mark}", (before,))
    if len(key) == 1:
        return {value: id_ for value, id_ in rows if value in wanted}
    return {row[:-1]: row[-1] for row in rows if row[:-1] in wanted}


def _driver_rows(session: Session, sql: str, keys: Sequence[Any]) -> list[tuple[Any, ...]]:
    """_raw_rows of a query whose `{keys}` is an IN list, a chunk of keys at a time: SQLAlchemy's
    handling of each IN parameter costs more than the database's indexed lookup."""
    mark = placeholder(session.connection())
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(keys), DRIVER_CHUNK):
        chunk = tuple(keys[start:start + DRIVER_CHUNK])
        rows.extend(_raw_rows(session, sql.format(keys=", ".join([mark] * len(chunk))), chunk))
    return rows


def _raw_rows(session: Session, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """Plain tuples from the driver's cursor, in the session's transaction: for key columns only
    (text, integers; no result types are applied), where SQLAlchemy's rows cost more than the query."""
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(sql, params)
        return cursor.fetchall()
    finally:
        cursor.close()


def _same_keys(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """executemany needs the same columns in every row: group rows by their keys."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(row)
    return list(groups.values())


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def sync_accounting(
    session: Session,
    customers: Iterable[CustomerRecord],
    invoices: Iterable[InvoiceRecord],
    run_id: int | None,
    *,
    listed: dict[str, set[str]] | None = None,
    actor: str = "accounting-sync",
) -> SyncCount:
    """Bring the ledger in line with one batch, in the caller's transaction.

    `listed` maps an issuer's tax id to every invoice number the source lists now (a full
    export, a full walk of the app's list): the issuer's other invoices get flagged missing.
    Leave it out for partial sources such as a folder of e-invoices.
    """
    invoices = list(invoices)
    records: dict[str, CustomerRecord] = {}
    for inv in invoices:
        if inv.customer is not None:
            records[inv.customer.external_id] = inv.customer
    for rec in customers:
        records[rec.external_id] = rec
    count = SyncCount()
    events: list[dict[str, Any]] = []
    with collector_paused():
        customer_ids = _sync_customers(session, list(records.values()), run_id, actor, count, events)
        _sync_invoices(session, invoices, customer_ids, run_id, actor, count, events, listed or {})
        _insert_rows(session, Event.__table__, events)
    return count


def _event(kind: str, actor: str, run_id: int | None, customer_id: int | None,
           invoice_id: int | None = None, **details: Any) -> dict[str, Any]:
    return {"kind": kind, "actor": actor, "run_id": run_id, "customer_id": customer_id,
            "invoice_id": invoice_id, "channel": None, "details": jsonable(details), "at": utcnow()}


def _sync_customers(
    session: Session, records: list[CustomerRecord], run_id: int | None, actor: str,
    count: SyncCount, events: list[dict[str, Any]],
) -> dict[str, int]:
    """Upsert customers; returns external id -> ledger id for every record.

    A customer the ledger knows under another source's id (an e-invoice names its buyer by tax
    id, the accounting app by its own number) is recognized by tax id: its contacts are added,
    its fields stay as the source that created it says.
    """
    cols = [Customer.id, Customer.external_id, *(getattr(Customer, f) for f in CUSTOMER_FIELDS)]
    existing: dict[str, Any] = {}
    for chunk in _chunks([r.external_id for r in records]):
        rows = session.connection().execute(select(*cols).where(Customer.external_id.in_(chunk))).all()
        existing.update((row.external_id, row) for row in rows)
    tax_ids = sorted({r.tax_id for r in records if r.external_id not in existing and r.tax_id})
    by_tax_id: dict[str, int] = dict(_driver_rows(
        session, "SELECT tax_id, MIN(id) FROM customers WHERE tax_id IN ({keys}) GROUP BY tax_id", tax_ids))
    ids: dict[str, int] = {}
    now = utcnow()
    new_rows, changed_rows = [], []
    for rec in records:
        if rec.external_id not in existing and rec.tax_id in by_tax_id:
            ids[rec.external_id] = by_tax_id[rec.tax_id]
            count.customers_unchanged += 1
            continue
        row = existing.get(rec.external_id)
        values = {f: getattr(rec, f) for f in CUSTOMER_FIELDS}
        if row is None:
            new_rows.append({"external_id": rec.external_id, **values, "created_at": now, "updated_at": now,
                             "created_run_id": run_id, "updated_run_id": run_id})
            continue
        diff = {f: [getattr(row, f), v] for f, v in values.items() if getattr(row, f) != v}
        if diff:
            changed_rows.append({"_id": row.id, **values, "updated_at": now, "updated_run_id": run_id})
            events.append(_event("customer_updated", actor, run_id, row.id, changes=diff))
            count.customers_updated += 1
        else:
            count.customers_unchanged += 1
    ids.update((ext, row.id) for ext, row in existing.items())
    known = set(ids.values())  # customers that may have contacts already
    if new_rows:
        ids.update(_insert_new(session, Customer.__table__, new_rows, "external_id"))
        count.customers_created += len(new_rows)
    if changed_rows:
        _update(session, Customer, changed_rows)
    _add_contacts(session, records, ids, known, run_id, count)
    return ids


def _add_contacts(session: Session, records: list[CustomerRecord], ids: dict[str, int], known: set[int],
                  run_id: int | None, count: SyncCount) -> None:
    """Add e-mails, phones and IBANs the ledger lacks; never remove or re-validate a contact.

    Only customers that existed before this sync (`known`) can have contacts to compare with."""
    wanted_contacts = {(ids[r.external_id], kind, value)
                       for r in records for kind, values in (("email", r.emails), ("phone", r.phones))
                       for value in values}
    wanted_ibans = {(ids[r.external_id], iban) for r in records for iban in r.ibans}
    customer_ids = sorted({ids[r.external_id] for r in records} & known)
    have_contacts = set(_driver_rows(
        session, "SELECT customer_id, kind, value FROM contacts WHERE customer_id IN ({keys})", customer_ids))
    have_ibans = set(_driver_rows(
        session, "SELECT customer_id, iban FROM customer_ibans WHERE customer_id IN ({keys})", customer_ids))
    contacts = [{"customer_id": c, "kind": k, "value": v, "valid": True, "source": "accounting",
                 "created_run_id": run_id} for c, k, v in sorted(wanted_contacts - have_contacts)]
    ibans = [{"customer_id": c, "iban": i, "source": "accounting", "created_run_id": run_id}
             for c, i in sorted(wanted_ibans - have_ibans)]
    _insert_rows(session, Contact.__table__, contacts)
    _insert_rows(session, CustomerIban.__table__, ibans)
    count.contacts_added += len(contacts) + len(ibans)


_KEY_COLS = (Invoice.id, Invoice.number, Invoice.issuer_tax_id, Invoice.customer_id, Invoice.corrects_id,
             Invoice.missing_from_source, Invoice.source_digest)
_FULL_COLS = (Invoice.id, *(getattr(Invoice, f) for f in INVOICE_FIELDS))


class _IsoDays(dict):
    """date -> its ISO text, computed once per day: an export has a few hundred distinct days."""

    def __missing__(self, day: Any) -> str:
        text = self[day] = str(day)
        return text


_ISO_DAYS = _IsoDays()


def source_digest(rec: InvoiceRecord) -> str:
    """Fingerprint of everything the source says about an invoice; equal digests mean no change.

    The text is str() of each field joined by \\x1f (stored digests depend on it). Text fields are
    joined as they are and day texts come from a cache: a third of the cost of str() on every part.
    """
    days = _ISO_DAYS
    text = "\x1f".join((rec.kind, days[rec.issue_date], days[rec.due_date], rec.currency, str(rec.net), str(rec.vat),
                        str(rec.gross), str(rec.payment_terms_days), rec.customer_external_id, str(rec.corrects)))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _load_invoices(session: Session, keys: set[tuple[str, str]], issuers: set[str]) -> dict[tuple[str, str], Any]:
    """The ledger's invoices for these keys, plus every invoice of the fully listed issuers."""
    found: dict[tuple[str, str], Any] = {}
    connection = session.connection()
    if issuers:
        rows = connection.execute(select(*_KEY_COLS).where(Invoice.issuer_tax_id.in_(sorted(issuers)))).all()
        found.update(((row.issuer_tax_id, row.number), row) for row in rows)
    rest = sorted(k for k in keys if k[0] not in issuers)
    for chunk in _chunks(rest):
        rows = connection.execute(select(*_KEY_COLS).where(tuple_(Invoice.issuer_tax_id, Invoice.number).in_(chunk))).all()
        found.update(((row.issuer_tax_id, row.number), row) for row in rows)
    return found


def _fresh_credits(fresh: list[InvoiceRecord], by_key: dict[tuple[str, str], InvoiceRecord],
                   existing: dict[tuple[str, str], Any]) -> dict[tuple[str, str], Decimal]:
    """Credited amount of each new invoice that only new credit notes correct.

    Known before the insert, so such an invoice is written once with its open amount and status
    instead of inserted and then recalculated. A new invoice that an invoice already in the
    ledger now corrects is left to the recalculation, which sums what the ledger holds.
    """
    sums: dict[tuple[str, str], Decimal] = {}
    for rec in fresh:
        if rec.corrects:
            key = (rec.issuer_tax_id, rec.corrects)
            sums[key] = sums.get(key, ZERO) + rec.gross
    for key, rec in by_key.items():
        if rec.corrects and key in existing:
            sums.pop((rec.issuer_tax_id, rec.corrects), None)
    return {key: -to_money(total) for key, total in sums.items()
            if key in by_key and key not in existing and not by_key[key].corrects}


def _sync_invoices(
    session: Session, records: list[InvoiceRecord], customer_ids: dict[str, int], run_id: int | None,
    actor: str, count: SyncCount, events: list[dict[str, Any]], listed: dict[str, set[str]],
) -> None:
    by_key = {(r.issuer_tax_id, r.number): r for r in records}
    wanted = set(by_key) | {(r.issuer_tax_id, r.corrects) for r in records if r.corrects}
    existing = _load_invoices(session, wanted, set(listed))
    unknown_customers = sorted({r.customer_external_id for r in records} - set(customer_ids))
    for chunk in _chunks(unknown_customers):
        customer_ids.update(session.connection().execute(
            select(Customer.external_id, Customer.id).where(Customer.external_id.in_(chunk))).all())
    for rec in records:
        if rec.customer_external_id not in customer_ids:
            raise SyncError(f"invoice {rec.number}: customer {rec.customer_external_id} is neither in the "
                            "source nor in the ledger")
    now = utcnow()
    ids = {key: row.id for key, row in existing.items()}
    fresh = [rec for key, rec in by_key.items() if key not in existing]
    credits = _fresh_credits(fresh, by_key, existing)
    # invoices first, so credit notes new in the same batch find the invoice they correct
    invoices = [r for r in fresh if not r.corrects]
    ids.update(_insert_invoices(session, invoices, customer_ids, [None] * len(invoices), credits, run_id, now))
    applied = []  # (invoice id, event) of credit notes applied before the insert, logged as if recalculated
    for key, credited in credits.items():
        if credited:
            rec = by_key[key]
            applied.append((ids[key], _event("credit_note_applied", actor, run_id, customer_ids[rec.customer_external_id],
                                             ids[key], number=rec.number, credited=credited,
                                             open_amount=to_money(rec.gross) - credited)))
    count.invoices_recalculated += len(applied)
    notes = [r for r in fresh if r.corrects]
    corrects = [_corrects_id(rec, ids) for rec in notes]
    ids.update(_insert_invoices(session, notes, customer_ids, corrects, {}, run_id, now))
    done = {ids[key] for key in credits}
    affected = {i for i in corrects if i is not None and i not in done}
    count.invoices_created += len(fresh)

    suspects = []
    for key, rec in by_key.items():
        row = existing.get(key)
        if row is None:
            continue
        if row.source_digest == source_digest(rec) and not row.missing_from_source:
            count.invoices_unchanged += 1
        else:
            suspects.append((row, rec))
    full: dict[int, Any] = {}
    for chunk in _chunks([row.id for row, _ in suspects]):
        full.update((r.id, r) for r in session.connection().execute(select(*_FULL_COLS).where(Invoice.id.in_(chunk))))
    changed_rows: list[dict[str, Any]] = []
    for row, rec in suspects:
        values = _invoice_values(rec, customer_ids, ids)
        diff = {f: [getattr(full[row.id], f, None) if f in INVOICE_FIELDS else getattr(row, f), v]
                for f, v in values.items() if f != "source_digest"}
        diff = {f: pair for f, pair in diff.items() if pair[0] != pair[1]}
        if not diff:  # a ledger synced before digests existed: remember the digest, nothing else
            changed_rows.append({"_id": row.id, "source_digest": values["source_digest"]})
            count.invoices_unchanged += 1
            continue
        changed_rows.append({"_id": row.id, **values, "updated_at": now, "updated_run_id": run_id})
        affected.add(row.id)
        affected.update(i for i in (row.corrects_id, values["corrects_id"]) if i is not None)
        if row.missing_from_source:
            count.invoices_back += 1
        count.invoices_updated += 1
        events.append(_event("invoice_changed", actor, run_id, values["customer_id"], row.id, number=rec.number,
                             changes=diff))
    for group in _same_keys(changed_rows):
        _update(session, Invoice, group)
    _flag_missing(session, existing, listed, run_id, actor, count, events, now)
    _recalculate(session, affected, applied, run_id, actor, count, events, now)


def _insert_invoices(session: Session, records: list[InvoiceRecord], customer_ids: dict[str, int],
                     corrects: list[int | None], credits: dict[tuple[str, str], Decimal], run_id: int | None,
                     now: Any) -> dict[tuple[str, str], int]:
    """New invoices by a driver-level executemany, ids read back by id range.

    The rows are built column by column straight from the records, each column converted the
    way Core would (SQLAlchemy's per-row parameter handling, or a dict per row, costs as much as
    the insert itself). `credits` holds the credited amount of some of them (_fresh_credits).
    """
    if not records:
        return {}
    table = Invoice.__table__
    dialect = session.get_bind().dialect
    count = len(records)

    def field(name: str) -> list[Any]:
        return list(map(attrgetter(name), records))

    per_row: dict[str, list[Any]] = {name: field(name) for name in INVOICE_FIELDS}
    credited = [credits.get((r.issuer_tax_id, r.number), ZERO) for r in records] if credits else [ZERO] * count
    due = [g - c if c else g for g, c in zip(per_row["gross"], credited)] if credits else per_row["gross"]
    constant = {"paid": ZERO, "missing_from_source": False, "created_at": now, "updated_at": now,
                "created_run_id": run_id, "updated_run_id": run_id, **NEW_INVOICE_FLAGS}
    per_row.update({
        "number": field("number"),
        "issuer_tax_id": field("issuer_tax_id"),
        "customer_id": list(map(customer_ids.__getitem__, field("customer_external_id"))),
        "corrects_id": corrects,
        "credited": credited,
        "open_amount": due,
        "status": list(map(derive_status, due, itertools.repeat(ZERO), per_row["kind"])),
        "source_digest": list(map(source_digest, records)),
    })
    columns = tuple(c.name for c in table.columns if c.name != "id")
    lost = [c for c in columns if c not in constant and c not in per_row]
    if lost:  # a new column the driver-level insert would leave out
        raise AssertionError(f"new invoice rows lack {lost}")
    converted: dict[str, list[Any]] = {}
    for name, values in per_row.items():
        convert = driver_value(dialect, table.c[name])
        if convert is None:
            converted[name] = values
        elif name == "open_amount":  # the gross, already converted, unless credited
            money = functools.cache(convert)
            converted[name] = [cents if not c else money(d) for cents, c, d in zip(converted["gross"], credited, due)]
        else:  # few distinct dates and credits: convert each once
            repeated = name in ("issue_date", "due_date", "credited")
            converted[name] = list(map(functools.cache(convert) if repeated else convert, values))
    for name, value in constant.items():
        converted[name] = itertools.repeat(driver_converter(dialect, table.c[name])(value), count)
    before = _last_id(session, table)
    bulk_insert_new(session, table, columns, list(zip(*(converted[name] for name in columns), strict=True)))
    return _ids_after(session, table, before, ("issuer_tax_id", "number"), {(r.issuer_tax_id, r.number) for r in records})


def _corrects_id(rec: InvoiceRecord, ids: dict[tuple[str, str], int]) -> int | None:
    if not rec.corrects:
        return None
    corrects_id = ids.get((rec.issuer_tax_id, rec.corrects))
    if corrects_id is None:
        raise SyncError(f"credit note {rec.number} corrects invoice {rec.corrects}, "
                        "which is neither in the source nor in the ledger")
    return corrects_id


def _invoice_values(rec: InvoiceRecord, customer_ids: dict[str, int],
                    ids: dict[tuple[str, str], int]) -> dict[str, Any]:
    return {"customer_id": customer_ids[rec.customer_external_id], "corrects_id": _corrects_id(rec, ids),
            "missing_from_source": False, "source_digest": source_digest(rec),
            **{f: getattr(rec, f) for f in INVOICE_FIELDS}}


def _flag_missing(session: Session, existing: dict[tuple[str, str], Any], listed: dict[str, set[str]],
                  run_id: int | None, actor: str, count: SyncCount, events: list[dict[str, Any]], now: Any) -> None:
    gone = [row for (issuer, number), row in existing.items()
            if issuer in listed and number not in listed[issuer] and not row.missing_from_source]
    if not gone:
        return
    _update(session, Invoice, [{"_id": row.id, "missing_from_source": True, "updated_at": now,
                                "updated_run_id": run_id} for row in gone])
    for row in gone:
        events.append(_event("invoice_missing_from_source", actor, run_id, row.customer_id, row.id,
                             number=row.number))
    count.invoices_missing += len(gone)


def _recalculate(session: Session, affected: set[int], applied: list[tuple[int, dict[str, Any]]],
                 run_id: int | None, actor: str, count: SyncCount, events: list[dict[str, Any]], now: Any) -> None:
    """Credited, open amount and status of invoices whose amounts or credit notes changed.

    `applied` holds the events of credits already written with new invoices; all credit events
    are logged in invoice id order, as one recalculation of every invoice would log them."""
    todo = sorted(affected)
    rows, credits = [], {}
    for chunk in _chunks(todo):
        rows.extend(session.connection().execute(select(Invoice.id, Invoice.customer_id, Invoice.number, Invoice.kind,
                                           Invoice.gross, Invoice.paid, Invoice.credited, Invoice.open_amount,
                                           Invoice.status).where(Invoice.id.in_(chunk))))
        credits.update(session.connection().execute(select(Invoice.corrects_id, func.sum(Invoice.gross))
                                       .where(Invoice.corrects_id.in_(chunk))
                                       .group_by(Invoice.corrects_id)).all())
    updates, settled = [], []
    for row in rows:
        credited = -credits.get(row.id, ZERO)
        status = derive_status(row.gross - credited, row.paid, row.kind)
        values = {"credited": credited, "open_amount": row.gross - credited - row.paid, "status": status}
        if any(getattr(row, f) != v for f, v in values.items()):
            updates.append({"_id": row.id, **values, "updated_at": now, "updated_run_id": run_id})
            if credited != row.credited:
                applied.append((row.id, _event("credit_note_applied", actor, run_id, row.customer_id, row.id,
                                     number=row.number, credited=credited, open_amount=values["open_amount"])))
            if status in ("paid", "overpaid") and row.paid > ZERO:
                settled.append(row.id)
    events.extend(event for _, event in sorted(applied, key=itemgetter(0)))
    if updates:
        _update(session, Invoice, updates)
        count.invoices_recalculated += len(updates)
    for invoice_id in settled:  # rare: a credit note settles a partly paid invoice; needs its paid date
        refresh_invoice(session, session.get(Invoice, invoice_id, populate_existing=True))

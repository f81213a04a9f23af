"""Writing to the ledger: idempotent upserts on natural keys, derived invoice status, the event log.

Every function takes the caller's session, so a robot decides what one transaction covers.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import chain
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from receivables.banking.records import Statement
from receivables.ledger.models import Allocation, BankTransaction, Event, Invoice, OutboxMessage
from receivables.ledger.types import utcnow

POSTED = ("auto", "confirmed")
ZERO = Decimal("0.00")


def insert_ignoring_duplicates(session: Session, table: Table, rows: list[dict[str, Any]]) -> int:
    """Bulk insert that skips rows whose unique key exists; returns how many were inserted."""
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        raise NotImplementedError(f"ledger on {dialect} is not supported")
    key = next(iter(table.primary_key.columns))
    result = session.execute(insert(table).on_conflict_do_nothing().returning(key), rows)
    return len(result.all())


def log_event(
    session: Session,
    kind: str,
    actor: str,
    run_id: int | None = None,
    customer_id: int | None = None,
    invoice_id: int | None = None,
    channel: str | None = None,
    **details: Any,
) -> Event:
    event = Event(
        kind=kind,
        actor=actor,
        run_id=run_id,
        customer_id=customer_id,
        invoice_id=invoice_id,
        channel=channel,
        details=jsonable(details),
    )
    session.add(event)
    return event


def jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal | date):
        return str(value)
    return value


def refresh_invoice(session: Session, invoice: Invoice) -> None:
    """Derive paid, credited, open amount and status from allocations and credit notes."""
    session.flush()
    paid = session.scalar(
        select(func.coalesce(func.sum(Allocation.amount), 0)).where(
            Allocation.invoice_id == invoice.id, Allocation.status.in_(POSTED)
        )
    )
    credited = session.scalar(
        select(func.coalesce(func.sum(Invoice.gross), 0)).where(Invoice.corrects_id == invoice.id)
    )
    invoice.paid = paid
    invoice.credited = -credited
    invoice.open_amount = invoice.gross - invoice.credited - invoice.paid
    invoice.status = derive_status(invoice.gross - invoice.credited, invoice.paid, invoice.kind)
    if invoice.status in ("paid", "overpaid") and invoice.paid_date is None:
        invoice.paid_date = session.scalar(
            select(func.max(BankTransaction.booking_date))
            .join(Allocation, Allocation.transaction_id == BankTransaction.id)
            .where(Allocation.invoice_id == invoice.id, Allocation.status.in_(POSTED))
        )
    elif invoice.status not in ("paid", "overpaid"):
        invoice.paid_date = None


def derive_status(due: Decimal, paid: Decimal, kind: str = "invoice") -> str:
    if kind == "credit_note":
        return "credit_note"
    if due <= ZERO and paid == ZERO:
        return "credited"
    if paid == ZERO:
        return "open"
    if paid < due:
        return "partially_paid"
    if paid == due:
        return "paid"
    return "overpaid"


_NO_REFERENCE = frozenset({"NONREF", "NOTPROVIDED"})


def statement_fingerprints(statement: Statement) -> list[str]:
    """The natural key of every booked entry, independent of which statement file carried it.

    The bank's reference identifies an entry when the bank gives one: sha256 of account, "ref",
    reference, booking date, amount. Otherwise its content does: account, "content", booking
    date, amount, currency, counterparty IBAN, title with its whitespace collapsed, and an
    occurrence number telling apart identical entries of one statement (two equal transfers the
    same day: 0, 1, ...). Only entries keyed by content need the count: the count's key holds the
    reference, and the reference alone decides whether an entry is keyed by reference or content.
    A key is the first 128 bits of the hash in 32 hex digits: a unique index of a million 64-digit
    keys outgrows SQLite's page cache and slows every insert (ledgers from before were cut to
    these 32 digits by migration 0006, so their keys still match).

    One loop with the prefix and the date strings made once per statement, not a call per entry:
    this runs for every imported entry, and the per-entry calls cost a third of the key's time.
    """
    account = statement.account
    by_reference = f"{account}\x1fref\x1f"
    days: dict[date, str] = {}
    seen: dict[tuple, int] = {}
    sha256 = hashlib.sha256
    out = []
    for tx in statement.transactions:
        day = days.get(tx.booking_date)
        if day is None:
            day = days[tx.booking_date] = tx.booking_date.isoformat()
        reference = tx.reference
        if reference and reference.upper() not in _NO_REFERENCE:
            key = f"{by_reference}{reference}\x1f{day}\x1f{tx.amount!s}"
        else:
            content = (tx.booking_date, tx.amount, tx.counterparty_iban, tx.title, reference)
            occurrence = seen.get(content, 0)
            seen[content] = occurrence + 1
            key = "\x1f".join((
                account, "content", day, str(tx.amount), tx.currency, tx.counterparty_iban or "",
                " ".join((tx.title or "").split()), str(occurrence),
            ))
        out.append(sha256(key.encode()).hexdigest()[:32])
    return out


@dataclass
class ImportCount:
    inserted: int = 0
    skipped: int = 0


IMPORT_CHUNK = 5_000
_IMPORT_COLUMNS = (
    "fingerprint", "account_iban", "statement_id", "booking_date", "value_date", "amount", "currency",
    "counterparty_name", "counterparty_iban", "title", "reference", "end_to_end_id", "source_file",
    "status", "allocated", "created_at", "created_run_id",
)


def import_statement(
    session: Session, statement: Statement, source_file: str | None, run_id: int | None
) -> ImportCount:
    """Add a statement's entries; entries already in the ledger (re-import, overlap) are skipped.

    When the ledger holds entries of the account on the statement's days, one indexed query per
    chunk of entries finds the fingerprints it already has, so a re-import writes nothing; a
    statement of new days (the usual daily file) needs no such query. The rest is one bulk insert.
    """
    transactions = statement.transactions
    if not transactions:
        return ImportCount()
    table = BankTransaction.__table__
    db = _DbValues(session.get_bind().dialect, table)
    account, statement_id = statement.account, statement.statement_id
    allocated, created_at = db.money(ZERO), db.timestamp(utcnow())
    fingerprints = statement_fingerprints(statement)
    booked = {tx.booking_date for tx in transactions}
    as_db = {day: db.date(day) for day in booked.union([tx.value_date for tx in transactions])}  # few days
    may_know = books_entries_between(session, account, db.date(min(booked)), db.date(max(booked)))
    known: set[str] = set()  # without the query: the keys this statement has taken so far
    inserted = 0
    for start in range(0, len(fingerprints), IMPORT_CHUNK):
        keys = fingerprints[start : start + IMPORT_CHUNK]
        if may_know:
            known = known_keys(session, table, "fingerprint", keys)
        rows = []
        for fingerprint, tx in zip(keys, transactions[start : start + IMPORT_CHUNK]):
            if fingerprint in known:
                continue
            known.add(fingerprint)  # the same bank reference twice in one file is one entry
            rows.append((
                fingerprint, account, statement_id, as_db[tx.booking_date], as_db[tx.value_date],
                db.money(tx.amount), tx.currency, tx.counterparty_name, tx.counterparty_iban, tx.title,
                tx.reference, tx.end_to_end_id, source_file, "new" if tx.amount > 0 else "outgoing",
                allocated, created_at, run_id,
            ))
        inserted += bulk_insert_new(session, table, _IMPORT_COLUMNS, rows)
    return ImportCount(inserted=inserted, skipped=len(fingerprints) - inserted)


def books_entries_between(session: Session, account: str, first: Any, last: Any) -> bool:
    """Whether the ledger has an entry of `account` booked from `first` to `last` (driver values).

    A fingerprint holds the entry's account and booking date, so without such an entry none of a
    statement's fingerprints can be in the ledger: one probe of the (account, booking date) index.
    """
    connection = session.connection()
    mark = placeholder(connection)
    sql = (f"SELECT 1 FROM bank_transactions WHERE account_iban = {mark} "
           f"AND booking_date BETWEEN {mark} AND {mark} LIMIT 1")
    return connection.exec_driver_sql(sql, (account, first, last)).first() is not None


def driver_value(dialect: Any, column: Any) -> Callable[[Any], Any] | None:
    """A column's Python value -> what Core would send the driver (for driver-level inserts);
    None when the driver takes the value as it is."""
    return column.type.dialect_impl(dialect).bind_processor(dialect)


def driver_converter(dialect: Any, column: Any) -> Callable[[Any], Any]:
    """driver_value, or the identity where the driver takes the value as it is."""
    return driver_value(dialect, column) or _as_is


def _as_is(value: Any) -> Any:
    return value


class _DbValues:
    """Python values to what the driver gets, by the columns' own types (as Core would send them)."""

    def __init__(self, dialect: Any, table: Table) -> None:
        self.date = driver_converter(dialect, table.c.booking_date)
        self.money = driver_converter(dialect, table.c.amount)
        self.timestamp = driver_converter(dialect, table.c.created_at)


def known_keys(session: Session, table: Table, column: str, keys: list[str]) -> set[str]:
    """Which of `keys` the (unique, indexed) `column` already holds: one query at the driver,
    as SQLAlchemy's handling of thousands of IN parameters costs more than the lookup. The keys
    go sorted: SQLite's table of the IN list then fills in order (a fifth cheaper for hashes)."""
    if not keys:
        return set()
    connection = session.connection()
    sql = f"SELECT {column} FROM {table.name} WHERE {column} IN ({', '.join([placeholder(connection)] * len(keys))})"
    return {row[0] for row in connection.exec_driver_sql(sql, tuple(sorted(keys)))}


def placeholder(connection: Any) -> str:
    """The driver's positional placeholder (sqlite3: ?, psycopg: %s)."""
    return "?" if connection.dialect.paramstyle == "qmark" else "%s"


def bulk_insert_new(session: Session, table: Table, columns: tuple[str, ...], rows: list[tuple]) -> int:
    """Insert rows checked to be new, already in driver form; returns how many were inserted.

    Multi-row INSERT .. VALUES (..), (..) statements of up to 512 rows at the driver, neither
    SQLAlchemy's per-row parameter handling nor an executemany: each executed statement makes
    SQLite open a cursor on the table and on every index, and sqlite3 bind, step and reset it,
    which cost a third of a row's insert when paid per row. Statements come in power-of-two row
    counts, so a connection prepares each text once (parsing a 512-row statement costs about
    what inserting its rows does). ON CONFLICT DO NOTHING only covers another worker inserting
    the same key between the check and this insert.
    """
    connection = session.connection()
    per_statement = _rows_per_insert(len(columns))
    inserted = start = 0
    while start < len(rows):
        count = min(per_statement, 1 << ((len(rows) - start).bit_length() - 1))
        sql = _multi_row_insert(table.name, columns, count, placeholder(connection))
        values = tuple(chain.from_iterable(rows[start : start + count]))
        result = connection.exec_driver_sql(sql, values, execution_options={"preserve_rowcount": True})
        inserted += result.rowcount
        start += count
    return inserted


def _rows_per_insert(columns: int) -> int:
    """The largest power of two <= 512 rows whose parameters stay within SQLite's 32,766 (and
    PostgreSQL's 65,535) per statement."""
    return 1 << min(9, (32_766 // columns).bit_length() - 1)


@functools.lru_cache(maxsize=256)
def _multi_row_insert(table: str, columns: tuple[str, ...], rows: int, mark: str) -> str:
    """One text per shape, the same string object each time: the driver's statement cache keys on it."""
    row = f"({', '.join([mark] * len(columns))})"
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([row] * rows)} ON CONFLICT DO NOTHING"


def enqueue_message(
    session: Session,
    key: str,
    channel: str,
    recipient: str,
    body: str,
    subject: str | None = None,
    customer_id: int | None = None,
    run_id: int | None = None,
    attachments: dict[str, Any] | None = None,
) -> bool:
    """Put a message in the outbox in the caller's transaction; False if that key exists already."""
    row = {
        "key": key, "channel": channel, "recipient": recipient, "subject": subject, "body": body,
        "attachments": attachments or {}, "status": "pending", "attempts": 0,
        "customer_id": customer_id, "created_run_id": run_id,
    }
    return insert_ignoring_duplicates(session, OutboxMessage.__table__, [row]) == 1


def add_allocation(
    session: Session,
    transaction: BankTransaction,
    invoice: Invoice,
    amount: Decimal,
    method: str,
    confidence: float,
    status: str,
    run_id: int | None,
    confirmed_by: str | None = None,
) -> Allocation | None:
    """Apply part of a payment to an invoice; a second allocation of the same pair is a no-op."""
    if amount <= ZERO:
        raise ValueError("an allocation amount must be positive")
    if transaction.currency != invoice.currency:
        raise ValueError(
            f"payment in {transaction.currency} cannot be allocated to an invoice in {invoice.currency}"
        )
    existing = session.scalar(
        select(Allocation).where(
            Allocation.transaction_id == transaction.id, Allocation.invoice_id == invoice.id
        )
    )
    if existing is not None:
        return None
    posted = session.scalar(
        select(func.coalesce(func.sum(Allocation.amount), 0)).where(
            Allocation.transaction_id == transaction.id, Allocation.status.in_(POSTED)
        )
    )
    if status in POSTED and posted + amount > transaction.amount:
        raise ValueError(f"allocations would exceed the payment of {transaction.amount}")
    allocation = Allocation(
        transaction_id=transaction.id, invoice_id=invoice.id, amount=amount, method=method,
        confidence=confidence, status=status, confirmed_by=confirmed_by, created_run_id=run_id,
    )
    session.add(allocation)
    session.flush()
    if status in POSTED:
        transaction.allocated = posted + amount
        transaction.status = "matched" if transaction.allocated == transaction.amount else "partial"
        refresh_invoice(session, invoice)
        log_event(session, "payment_allocated", "reconcile", run_id, invoice.customer_id, invoice.id,
                  amount=amount, transaction_id=transaction.id, method=method)
    return allocation

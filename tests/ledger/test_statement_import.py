"""The bulk statement import, on SQLite and PostgreSQL: same rows as a Core insert, idempotent,
identical transfers kept apart, fingerprints unchanged, the key query only where keys can exist,
and ledgers from before the index migration upgraded in place."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event, func, inspect, select, text

from receivables.banking.records import Statement, StatementTransaction
from receivables.ledger import open_ledger
from receivables.ledger.db import alembic_config, current_revision, make_engine
from receivables.ledger.models import BankTransaction
from receivables.ledger.repository import (
    IMPORT_CHUNK,
    ZERO,
    bulk_insert_new,
    import_statement,
    insert_ignoring_duplicates,
    statement_fingerprints,
)
from tests.banking.reference import statement_fingerprints_reference

ACCOUNT = "PL27114020040000300201355387"


def _tx(i: int, **changes) -> StatementTransaction:
    day = date(2024, 6, 1) + timedelta(days=i % 20)
    base = StatementTransaction(day, day - timedelta(days=i % 2), Decimal(i * 7 % 10_000 - 3_000) / 100, "PLN",
                                f"KLIENT {i % 50} Łódź", "PL61109010140000071219812874", f"FV/{i}/2024  zapłata",
                                f"REF{i:07d}", f"E2E{i}" if i % 3 else None, "152")
    return base._replace(**changes)


def _statement(transactions: list[StatementTransaction], sid: str = "2024/06") -> Statement:
    return Statement(ACCOUNT, sid, "PLN", transactions=transactions)


def _stored(session, core: bool) -> list[tuple]:
    """Raw values as the database holds them, of the rows a Core insert wrote (or the others)."""
    columns = ("account_iban, statement_id, booking_date, value_date, amount, currency, counterparty_name, "
               "counterparty_iban, title, reference, end_to_end_id, source_file, status, allocated, created_run_id")
    where = "LIKE" if core else "NOT LIKE"
    query = f"SELECT {columns} FROM bank_transactions WHERE fingerprint {where} 'core-%' ORDER BY id"
    return [tuple(row) for row in session.execute(text(query))]


def test_bulk_import_stores_exactly_what_a_core_insert_stores(ledger):
    odd = [_tx(1), _tx(2, value_date=None, counterparty_name=None, counterparty_iban=None, title=None),
           _tx(3, amount=Decimal("-0.01"), reference=None), _tx(4, amount=Decimal("1234567890.10"))]
    statement = _statement(odd)
    with ledger.session() as s:
        assert import_statement(s, statement, "june.sta", None).inserted == 4
        core_rows = [
            {"fingerprint": "core-" + fingerprint[5:], "account_iban": ACCOUNT, "statement_id": statement.statement_id,
             "booking_date": tx.booking_date, "value_date": tx.value_date, "amount": tx.amount,
             "currency": tx.currency, "counterparty_name": tx.counterparty_name,
             "counterparty_iban": tx.counterparty_iban, "title": tx.title, "reference": tx.reference,
             "end_to_end_id": tx.end_to_end_id, "source_file": "june.sta",
             "status": "new" if tx.amount > 0 else "outgoing", "allocated": ZERO, "created_run_id": None}
            for fingerprint, tx in zip(statement_fingerprints(statement), odd)
        ]
        insert_ignoring_duplicates(s, BankTransaction.__table__, core_rows)
        assert _stored(s, core=False) == _stored(s, core=True)
        # None reaches the database as NULL on both paths (SQLite binds it through an adapter)
        assert s.scalar(text("SELECT count(*) FROM bank_transactions WHERE value_date IS NULL")) == 2
    with ledger.session() as s:
        stored = s.scalars(select(BankTransaction).order_by(BankTransaction.id)).all()[:4]
        assert [(t.booking_date, t.value_date, t.amount, t.title) for t in stored] == [
            (t.booking_date, t.value_date, t.amount, t.title) for t in odd]
        assert all(t.created_at.utcoffset() == timedelta(0) for t in stored)


def test_reimport_inserts_nothing_and_identical_transfers_stay_apart(ledger):
    entries = [_tx(i) for i in range(2 * IMPORT_CHUNK + 500)]
    twin = _tx(0, reference=None, title="zapłata", amount=Decimal("100.00"), booking_date=date(2024, 6, 3))
    entries[IMPORT_CHUNK - 1] = entries[IMPORT_CHUNK] = twin  # two equal transfers, a chunk apart
    entries[7] = entries[IMPORT_CHUNK + 7] = _tx(7)  # the bank listed one entry twice
    statement = _statement(entries)
    with ledger.session() as s:
        first = import_statement(s, statement, "big.sta", None)
    assert (first.inserted, first.skipped) == (len(entries) - 1, 1)
    with ledger.session() as s:
        again = import_statement(s, statement, "big.sta", None)
        overlap = import_statement(s, _statement(entries[:10] + [_tx(99_999)], "other"), "week.xml", None)
    assert (again.inserted, again.skipped) == (0, len(entries))
    assert (overlap.inserted, overlap.skipped) == (1, 10)
    with ledger.session() as s:
        assert s.scalar(select(func.count()).select_from(BankTransaction)) == len(entries)
        assert s.scalar(select(func.count()).where(BankTransaction.title == "zapłata")) == 2


def test_fingerprints_equal_the_reference_and_number_identical_entries():
    entries = [_tx(1), _tx(1, reference=None), _tx(1, reference=None), _tx(1, reference="NONREF"),
               _tx(1, reference="nonref"), _tx(1, reference=""), _tx(1, reference="notprovided", title=" a  b "),
               _tx(1, reference=None, title="a b"), _tx(2, reference="REF0000001")]
    statement = _statement(entries)
    fingerprints = statement_fingerprints(statement)
    assert fingerprints == statement_fingerprints_reference(statement)
    assert fingerprints[1] != fingerprints[2]  # two equal transfers without a reference: two keys
    # Kept as it always was (changing it would re-key existing ledgers): the count of equal
    # entries is taken per spelling of "no reference" and per raw title, while the key ignores
    # both, so such near-twins in one statement share a key.
    assert fingerprints[3] == fingerprints[4] == fingerprints[5] == fingerprints[1]
    assert fingerprints[6] == fingerprints[7]
    assert len({fingerprints[0], fingerprints[8]}) == 2


def test_bulk_insert_counts_only_rows_it_inserted(ledger):
    statement = _statement([_tx(1)])
    with ledger.session() as s:
        import_statement(s, statement, None, None)
    with ledger.session() as s:  # another worker got there first: the insert skips, and says so
        columns = ("fingerprint", "account_iban", "statement_id", "booking_date", "amount", "currency",
                   "status", "allocated", "created_at")
        row = (statement_fingerprints(statement)[0], ACCOUNT, "x", "2024-06-02", 100, "PLN", "new", 0,
               "2024-06-02 00:00:00.000000")
        if s.get_bind().dialect.name == "postgresql":
            row = (*row[:3], date(2024, 6, 2), *row[4:8], "2024-06-02 00:00:00+00")
        assert bulk_insert_new(s, BankTransaction.__table__, columns, [row]) == 0


def _driver_row(dialect: str, fingerprint: str) -> tuple:
    """A minimal bank_transactions row in driver form (SQLite takes dates as text)."""
    if dialect == "postgresql":
        return (fingerprint, ACCOUNT, "x", date(2024, 6, 2), 100, "PLN", "new", 0, "2024-06-02 00:00:00+00")
    return (fingerprint, ACCOUNT, "x", "2024-06-02", 100, "PLN", "new", 0, "2024-06-02 00:00:00.000000")


def test_bulk_insert_of_any_row_count_keeps_order_and_counts_only_new_rows(ledger):
    columns = ("fingerprint", "account_iban", "statement_id", "booking_date", "amount", "currency",
               "status", "allocated", "created_at")
    dialect = ledger.dialect
    with ledger.session() as s:
        assert bulk_insert_new(s, BankTransaction.__table__, columns, []) == 0
        # 1,037 rows go as statements of 512, 512, 8, 4 and 1 rows; every 100th key exists already
        assert bulk_insert_new(s, BankTransaction.__table__, columns,
                               [_driver_row(dialect, f"k{i:05d}") for i in range(0, 1037, 100)]) == 11
        keys = [f"k{i:05d}" for i in range(1037)]
        assert bulk_insert_new(s, BankTransaction.__table__, columns, [_driver_row(dialect, k) for k in keys]) == 1037 - 11
        stored = s.scalars(select(BankTransaction.fingerprint).order_by(BankTransaction.id)).all()
    assert stored == keys[::100] + [k for i, k in enumerate(keys) if i % 100]


def test_only_statements_on_days_the_ledger_has_ask_which_keys_it_holds(ledger):
    asked: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("SELECT fingerprint"):
            asked.append(statement)

    event.listen(ledger.engine, "before_cursor_execute", record)
    days_1_to_5 = [_tx(i) for i in range(5)]  # _tx(i) is booked on June 1 + i
    with ledger.session() as s:
        assert import_statement(s, _statement(days_1_to_5[:3]), "a.sta", None).inserted == 3
        assert asked == []  # nothing booked on June 1-3 yet: no key can be known
        # the same transaction, the next statement overlaps June 3: it asks, and skips what it finds
        assert import_statement(s, _statement(days_1_to_5[2:], "b"), "b.sta", None).inserted == 2
        assert len(asked) == 1
        other_account = Statement("PL10105000997603123456789123", "c", "PLN", transactions=days_1_to_5)
        assert import_statement(s, other_account, "c.sta", None).inserted == 5  # keys hold the account
        same_reference_next_month = [tx._replace(booking_date=tx.booking_date + timedelta(days=30))
                                     for tx in days_1_to_5]  # keys hold the booking day
        assert import_statement(s, _statement(same_reference_next_month, "d"), "d.sta", None).inserted == 5
        assert len(asked) == 1
    with ledger.session() as s:
        assert s.scalar(select(func.count()).select_from(BankTransaction)) == 15


def _upgrade(engine, revision: str) -> None:
    from alembic import command

    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def test_a_ledger_from_before_the_index_change_upgrades_in_place(ledger_url):
    from alembic import command

    engine = make_engine(ledger_url)
    _upgrade(engine, "0004")
    entries = [_tx(i) for i in range(40)]
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO runs (robot, started_at, status, summary) "
                          "VALUES ('bank-statements', '2024-06-01 00:00:00+00', 'ok', '{}')"))
    old = open_ledger(ledger_url, migrate=False)
    with old.session() as s:
        assert import_statement(s, _statement(entries), "june.sta", 1).inserted == 40
    old.dispose()

    _upgrade(engine, "0005")
    upgraded = open_ledger(ledger_url, migrate=False)
    assert current_revision(upgraded.engine) == "0005"
    indexes = {ix["name"]: ix["column_names"] for ix in inspect(upgraded.engine).get_indexes("bank_transactions")
               if not ix.get("duplicates_constraint")}  # PostgreSQL lists the unique key's index too
    assert indexes == {
        "ix_bank_transactions_account_booking": ["account_iban", "booking_date"],
        "ix_bank_transactions_booking_date": ["booking_date"],
        "ix_bank_transactions_customer_id": ["customer_id"],
        "ix_bank_transactions_status": ["status"],
    }
    with upgraded.session() as s:  # the stored keys still match: the same file again adds nothing
        again = import_statement(s, _statement(entries + [_tx(40)]), "june.sta", None)
        assert (again.inserted, again.skipped) == (1, 40)
        assert s.scalar(select(func.count()).where(BankTransaction.created_run_id == 1)) == 40
    upgraded.dispose()

    cfg = alembic_config(engine)
    with engine.begin() as conn:  # and back: the old indexes return
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004")
    names = {ix["name"] for ix in inspect(engine).get_indexes("bank_transactions")}
    assert {"ix_bank_transactions_account_iban", "ix_bank_transactions_counterparty_iban",
            "ix_bank_transactions_created_run_id", "ix_bank_transactions_customer_id"} <= names
    engine.dispose()


def test_full_length_keys_are_cut_by_the_upgrade_and_still_match(ledger_url, monkeypatch):
    """Ledgers from before 0006 hold 64-digit keys; after it, the same statement adds nothing."""
    from receivables.ledger import repository
    from tests.banking.reference import fingerprint_reference

    engine = make_engine(ledger_url)
    _upgrade(engine, "0005")
    entries = [_tx(i) for i in range(30)] + [_tx(0, reference=None)] * 2  # keyed by content too
    old = open_ledger(ledger_url, migrate=False)
    with monkeypatch.context() as patch, old.session() as s:
        patch.setattr(repository, "statement_fingerprints", lambda statement: [
            fingerprint_reference(statement.account, tx, occurrence, digits=64)
            for tx, occurrence in zip(statement.transactions, [0] * 31 + [1], strict=True)])
        assert import_statement(s, _statement(entries), "june.sta", None).inserted == 32
    old.dispose()
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT min(length(fingerprint)) FROM bank_transactions")) == 64

    upgraded = open_ledger(ledger_url)
    assert current_revision(upgraded.engine) == "0006"
    with upgraded.session() as s:
        stored = set(s.scalars(select(BankTransaction.fingerprint)))
        assert stored == set(statement_fingerprints_reference(_statement(entries)))
        again = import_statement(s, _statement(entries + [_tx(40)]), "june.sta", None)
        assert (again.inserted, again.skipped) == (1, 32)
    upgraded.dispose()
    with engine.begin() as conn, pytest.raises(NotImplementedError, match="restore the ledger backup"):
        from alembic import command

        cfg = alembic_config(engine)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005")
    engine.dispose()


@pytest.mark.parametrize("query, index", [
    ("SELECT 1 FROM bank_transactions WHERE account_iban = 'X' AND booking_date BETWEEN '2024-06-01' "
     "AND '2024-06-30' LIMIT 1", "ix_bank_transactions_account_booking"),  # the import's overlap check
    ("SELECT max(booking_date) FROM bank_transactions WHERE account_iban = 'X'",
     "ix_bank_transactions_account_booking"),  # banking robot: the last booked day of an account
    ("SELECT counterparty_iban, customer_id FROM bank_transactions WHERE customer_id IS NOT NULL "
     "AND counterparty_iban IS NOT NULL", "ix_bank_transactions_customer_id"),  # matching: learned IBANs
    ("SELECT id FROM bank_transactions WHERE customer_id = 7", "ix_bank_transactions_customer_id"),
])
def test_sqlite_plans_the_queries_on_the_remaining_indexes(tmp_path, query, index):
    ledger = open_ledger(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    with ledger.engine.connect() as conn:
        plan = " ".join(str(row[-1]) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {query}"))
    ledger.dispose()
    assert index in plan, plan

"""Writers stream what the parsers read back exactly (the sandbox generator relies on it)."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from receivables.banking import camt, check_balances, mt940, parse_file
from receivables.banking.records import Statement, StatementTransaction
from receivables.banking.writers import Camt053Writer, Mt940Writer, write_camt053, write_mt940

ACCOUNT = "PL61109010140000071219812874"


def _transactions(count: int = 5, *, e2e: bool = False) -> list[StatementTransaction]:
    start = date(2024, 12, 30)
    return [
        StatementTransaction(
            booking_date=start + timedelta(days=i % 4),
            value_date=start + timedelta(days=i % 4 - 1),
            amount=Decimal(i * 137 - 300) / 100 or Decimal("0.01"),
            currency="PLN",
            counterparty_name=f"PRZEDSIĘBIORSTWO ŁÓDŹ NR {i}" if i % 3 else None,
            counterparty_iban="PL27114020040000300201355387" if i % 2 else None,
            title=f"FV/2024/12/{i:04d} zapłata za usługi" if i != 4 else None,
            reference=f"REF{i:06d}" if i % 4 else None,
            end_to_end_id=f"E2E-{i}" if e2e and i % 2 else None,
        )
        for i in range(count)
    ]


def _header(statement_id: str = "ST241230/7") -> Statement:
    return Statement(ACCOUNT, statement_id, "PLN", Decimal("1000.00"), None, date(2024, 12, 29))


KEYS = ("booking_date", "value_date", "amount", "currency", "counterparty_name", "counterparty_iban", "title", "reference")


def _same(read: list[StatementTransaction], written: list[StatementTransaction], keys=KEYS) -> None:
    assert len(read) == len(written)
    for got, want in zip(read, written):
        assert {k: getattr(got, k) for k in keys} == {k: getattr(want, k) for k in keys}


@pytest.mark.parametrize("dialect", ["ing_pl", "pko_bp", "pekao", "santander_pl", "millennium", "mbank", "de_gvc"])
def test_mt940_round_trip(tmp_path: Path, dialect: str) -> None:
    written = _transactions(9, e2e=dialect == "de_gvc")
    path = tmp_path / "out.sta"
    with open(path, "w", encoding="cp1250", newline="\r\n") as handle:
        closing = write_mt940(handle, _header(), iter(written), dialect=dialect)
    assert closing == Decimal("1000.00") + sum(t.amount for t in written)
    parsed = parse_file(path)
    (stmt,) = parsed.statements
    assert (stmt.account, stmt.statement_id, stmt.closing_balance) == (ACCOUNT, "ST241230/7", closing)
    check_balances(stmt)
    keys = KEYS + (("end_to_end_id",) if dialect == "de_gvc" else ())
    _same(stmt.transactions, written, keys)


def test_mt940_many_statements_and_year_boundary(tmp_path: Path) -> None:
    path = tmp_path / "days.sta"
    with open(path, "w", encoding="utf-8") as handle:
        writer = Mt940Writer(handle, "ing_pl")
        balance = Decimal(0)
        for day in range(3):
            header = Statement(ACCOUNT, f"D{day}/1", "PLN", balance, None, date(2024, 12, 30) + timedelta(days=day))
            balance = writer.write_statement(header, iter(_transactions(4)))
    statements = list(mt940.extract(path))
    assert [s.statement_id for s in statements] == ["D0/1", "D1/1", "D2/1"]
    assert statements[-1].closing_balance == balance
    assert statements[0].transactions[2].booking_date == date(2025, 1, 1)


def test_mt940_title_too_long_for_dialect() -> None:
    long = StatementTransaction(date(2024, 1, 1), None, Decimal(1), "PLN", title="x" * 200)
    with pytest.raises(ValueError, match="title longer than 162"):
        write_mt940(io.StringIO(), _header(), [long], dialect="ing_pl")


@pytest.mark.parametrize("version", ["001.02", "001.04", "001.06", "001.08"])
def test_camt053_round_trip_spooled(tmp_path: Path, version: str) -> None:
    written = _transactions(7, e2e=True)
    written.append(StatementTransaction(date(2025, 1, 2), None, Decimal("-5.00"), "PLN",
                                        title=" ".join(["słowo"] * 40), bank_code="PMNT/CCRD/POSD"))
    path = tmp_path / "out.xml"
    with open(path, "w", encoding="utf-8") as handle:
        closing = write_camt053(handle, _header(), iter(written), version=version)
    parsed = parse_file(path)
    assert parsed.format == "camt.053"
    (stmt,) = parsed.statements
    assert (stmt.opening_balance, stmt.closing_balance) == (Decimal("1000.00"), closing)
    check_balances(stmt)
    _same(stmt.transactions, written, KEYS + ("end_to_end_id",))
    assert stmt.transactions[-1].bank_code == "PMNT/CCRD/POSD"


def test_camt053_with_known_closing_streams_and_verifies(tmp_path: Path) -> None:
    written = _transactions(4)
    closing = Decimal("1000.00") + sum(t.amount for t in written)
    header = Statement(ACCOUNT, "S1", "PLN", Decimal("1000.00"), closing, date(2024, 12, 29), date(2025, 1, 2))
    path = tmp_path / "known.xml"
    with open(path, "w", encoding="utf-8") as handle, Camt053Writer(handle, version="001.04") as writer:
        writer.write_statement(header, iter(written))
        writer.write_statement(Statement(ACCOUNT, "S2", "PLN", closing, None, date(2025, 1, 3)), iter(written))
    first, second = camt.extract(path)
    assert first.closing_balance == closing == second.opening_balance
    _same(second.transactions, written)
    wrong = Statement(ACCOUNT, "S3", "PLN", Decimal(0), Decimal("1"), date(2024, 1, 1))
    with pytest.raises(ValueError, match="header said closing"):
        with Camt053Writer(io.StringIO()) as writer:
            writer.write_statement(wrong, iter(written))

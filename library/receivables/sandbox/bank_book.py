"""The sandbox bank's books: the world's monthly statements read once, queried by date range.

The portal shows history and builds statements for any range from these, so every figure it
serves (running balance, opening and closing balance of a range) follows from the same
monthly files the statement robot reads from disk.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import accumulate
from pathlib import Path
from typing import TextIO

from receivables.banking.detect import iter_statements
from receivables.banking.records import Statement, StatementTransaction
from receivables.banking.writers import Camt053Writer, write_mt940
from receivables.sandbox.statements import MT940_DIALECT

FORMATS = {"mt940": "sta", "camt053": "xml"}


@dataclass
class BankAccount:
    """One account's booked history in booking order, with prefix sums for running balances."""

    iban: str
    currency: str
    opening_balance: Decimal
    opening_date: date
    transactions: list[StatementTransaction] = field(default_factory=list)
    _days: list[date] = field(default_factory=list, repr=False)
    _sums: list[Decimal] = field(default_factory=list, repr=False)

    def seal(self) -> None:
        """Sort by booking date (stable, so statement order holds within a day) and index."""
        self.transactions.sort(key=lambda tx: tx.booking_date)
        self._days = [tx.booking_date for tx in self.transactions]
        self._sums = [Decimal("0"), *accumulate(tx.amount for tx in self.transactions)]

    @property
    def balance(self) -> Decimal:
        return self.opening_balance + self._sums[-1]

    def balance_before(self, day: date) -> Decimal:
        """Balance at the start of `day` (after everything booked on earlier days)."""
        return self.opening_balance + self._sums[bisect.bisect_left(self._days, day)]

    def window(self, since: date, until: date) -> tuple[int, int]:
        """Index range [start, stop) of the transactions booked in [since, until]."""
        return bisect.bisect_left(self._days, since), bisect.bisect_right(self._days, until)

    def balance_after(self, index: int) -> Decimal:
        """Running balance right after transaction `index`."""
        return self.opening_balance + self._sums[index + 1]

    def statement(self, since: date, until: date, statement_id: str) -> Statement:
        """A statement for [since, until]: balances continue the monthly statements."""
        start, stop = self.window(since, until)
        opening = self.balance_before(since)
        return Statement(
            account=self.iban, statement_id=statement_id, currency=self.currency,
            opening_balance=opening, closing_balance=opening + self._sums[stop] - self._sums[start],
            opening_date=since, closing_date=until, transactions=self.transactions[start:stop],
        )


@dataclass
class BankBook:
    """All accounts of the world, and the bank's "today" (the world's as-of date)."""

    accounts: dict[str, BankAccount]
    today: date

    @classmethod
    def load(cls, world: Path) -> BankBook:
        accounts: dict[str, BankAccount] = {}
        for path in sorted((world / "bank").glob("*/*")):
            for stmt in iter_statements(path)[1]:
                account = accounts.get(stmt.account)
                if account is None:
                    if stmt.opening_balance is None or stmt.opening_date is None:
                        raise ValueError(f"{path}: statement without opening balance")
                    account = accounts[stmt.account] = BankAccount(
                        stmt.account, stmt.currency, stmt.opening_balance, stmt.opening_date)
                account.transactions.extend(stmt.transactions)
        for account in accounts.values():
            account.seal()
        return cls(accounts, _as_of(world, accounts))

    def write(self, out: TextIO, iban: str, since: date, until: date, fmt: str) -> None:
        """Write the statement of one account for [since, until] in `fmt` (mt940 or camt053)."""
        account = self.accounts[iban]
        if fmt == "mt940":
            stmt = account.statement(since, until, f"{since:%y%m%d}{until:%y%m%d}/1")
            write_mt940(out, stmt, stmt.transactions, dialect=MT940_DIALECT)
        elif fmt == "camt053":
            stmt = account.statement(since, until, f"{iban}-{since:%Y%m%d}-{until:%Y%m%d}")
            created = datetime.now(UTC)
            with Camt053Writer(out, version="001.08", message_id=f"SANDBOX-{created:%Y%m%d%H%M%S}",
                               created=created) as writer:
                writer.write_statement(stmt, stmt.transactions)
        else:
            raise ValueError(f"unknown statement format {fmt!r}")


def _as_of(world: Path, accounts: dict[str, BankAccount]) -> date:
    manifest = world / "manifest.json"
    if manifest.is_file():
        as_of = json.loads(manifest.read_text(encoding="utf-8")).get("spec", {}).get("as_of")
        if as_of:
            return date.fromisoformat(as_of)
    days = [tx.booking_date for account in accounts.values() for tx in account.transactions]
    return max(days, default=date.today())

"""What the portal tests compare against: the world's accounts, statements read from disk."""

from __future__ import annotations

import itertools
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from receivables.banking.detect import parse_file
from receivables.banking.records import Statement, StatementTransaction

ACCOUNTS = {"PLN": "PL94105014451000009071219812", "EUR": "PL27114020040000300201355387"}
WORLD_FORMAT = {ACCOUNTS["PLN"]: "mt940", ACCOUNTS["EUR"]: "camt053"}  # what sandbox/world.py writes
USER = {"tester": {"password": "pw-for-tests", "totp_secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"}}


def parse(path: Path) -> list[Statement]:
    """Read a statement file the way the inbox does: format and :86: dialect detected."""
    return parse_file(path).statements


def expected_range(statements: list[Statement], since: date, until: date) -> tuple[Decimal, list[StatementTransaction]]:
    """Opening balance at `since` and the transactions booked in [since, until]."""
    txs = list(itertools.chain.from_iterable(s.transactions for s in statements))
    opening = statements[0].opening_balance + sum((t.amount for t in txs if t.booking_date < since), Decimal("0"))
    return opening, [t for t in txs if since <= t.booking_date <= until]


def same_entries(got: list[StatementTransaction], want: list[StatementTransaction], *, same_format: bool) -> None:
    """Equal field for field; across formats MT940 has no end-to-end id and other bank codes."""
    if not same_format:
        got = [t._replace(bank_code=None, end_to_end_id=None) for t in got]
        want = [t._replace(bank_code=None, end_to_end_id=None) for t in want]
    assert got == want


class FakeClock:
    """Monotonic time the test can move forward, so session expiry needs no sleep."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.offset

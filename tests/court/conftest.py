"""The court tests' own SQLite ledger (most tests; the `ledger` fixture runs SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from receivables.ledger import Ledger, open_ledger


@pytest.fixture
def cledger(tmp_path: Path) -> Iterator[Ledger]:
    led = open_ledger(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    yield led
    led.dispose()

"""A populated sandbox ledger (SQLite and PostgreSQL, built once per session) and report helpers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from receivables.ledger import Ledger, open_ledger
from receivables.sandbox.populate import populate_ledger
from receivables.sandbox.world import WorldGenerator, WorldSpec
from tests.conftest import settings_under

AS_OF = date(2026, 10, 30)  # a Friday; ISO week 2026-W44 runs 26.10 - 30.10


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("reports-world")
    settings = settings_under(root)
    WorldGenerator(WorldSpec(seed=11, customers=30, invoices=200, months=5, as_of=AS_OF),
                   settings.company.nip, settings.company.bank_accounts).write(root / "world")
    return root / "world"


def _populate(url: str, root: Path, world: Path) -> Ledger:
    ledger = open_ledger(url)
    populate_ledger(settings_under(root), ledger, world, AS_OF)
    return ledger


@pytest.fixture(scope="session")
def sqlite_populated(world: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ledger]:
    root = tmp_path_factory.mktemp("reports-sqlite")
    ledger = _populate(f"sqlite:///{root / 'ledger.sqlite'}", root, world)
    yield ledger
    ledger.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def populated(request: pytest.FixtureRequest, world: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ledger]:
    """A reconciled ledger of the sandbox world as of AS_OF; tests only read it."""
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_populated")
        return
    ledger = _populate(request.getfixturevalue("postgres").new_database(), tmp_path_factory.mktemp("reports-pg"), world)
    yield ledger
    ledger.dispose()

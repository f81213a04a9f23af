"""A small generated world, the accounting app on a Flask test client, and on a loopback server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask

from receivables.sandbox.accounting_app import AccountingBook, register_accounting_app
from receivables.sandbox.server import SandboxServer, create_app
from receivables.sandbox.world import WorldGenerator, WorldSpec
from tests.accounting_web.helpers import ACCOUNTS, USERS


class StepClock:
    """A clock the test moves by hand; starts one day after the world's last day."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """124 documents (4 credit notes) of 15 customers over three months."""
    out = tmp_path_factory.mktemp("accounting-world")
    spec = WorldSpec(seed=7, customers=15, invoices=120, months=3, as_of=date(2026, 11, 27))
    WorldGenerator(spec, "5252448487", ACCOUNTS).write(out)
    return out


@pytest.fixture
def clock() -> StepClock:
    return StepClock()


@pytest.fixture
def make_app(world: Path, clock: StepClock) -> Callable[..., tuple[Flask, AccountingBook]]:
    """A fresh app and book per call (tests change the book); options go to register_accounting_app."""

    def make(**options) -> tuple[Flask, AccountingBook]:
        app = create_app(world)
        book = register_accounting_app(app, world, **{"users": USERS, "clock": clock, **options})
        return app, book

    return make


@pytest.fixture(scope="module")
def served(world: Path) -> Iterator[tuple[SandboxServer, AccountingBook]]:
    """One server per module with a small page size, so every list has several pages."""
    server = SandboxServer(world)
    book = register_accounting_app(server.app, world, users=USERS, page_size=25)
    with server:
        yield server, book

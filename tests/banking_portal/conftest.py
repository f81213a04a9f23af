"""A generated world, its monthly statements, and the sandbox server with the bank portal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("pyotp", reason="pyotp is needed for the bank portal's one-time codes")

from receivables.banking.records import Statement  # noqa: E402
from receivables.sandbox.bank_portal import register_bank_portal  # noqa: E402
from receivables.sandbox.server import SandboxServer  # noqa: E402
from receivables.sandbox.world import WorldGenerator, WorldSpec  # noqa: E402
from tests.banking_portal.helpers import ACCOUNTS, USER, parse  # noqa: E402


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("world")
    spec = WorldSpec(seed=7, customers=20, invoices=200, months=3, as_of=date(2026, 11, 27))
    WorldGenerator(spec, "5252448487", ACCOUNTS).write(out)
    return out


@pytest.fixture(scope="session")
def monthly(world: Path) -> dict[str, list[Statement]]:
    """The world's monthly statements per account, in month order."""
    found: dict[str, list[Statement]] = {}
    for path in sorted((world / "bank").glob("*/*")):
        for stmt in parse(path):
            found.setdefault(stmt.account, []).append(stmt)
    return found


@pytest.fixture
def serve(world: Path) -> Iterator[Callable[..., SandboxServer]]:
    """Start a sandbox server with the bank portal; `configure(app)` runs before the start."""
    servers: list[SandboxServer] = []

    def start(configure: Callable | None = None, **options) -> SandboxServer:
        server = SandboxServer(world)
        register_bank_portal(server.app, world, **{"users": USER, **options})
        if configure:
            configure(server.app)
        servers.append(server.start())
        return server

    yield start
    for server in servers:
        server.stop()

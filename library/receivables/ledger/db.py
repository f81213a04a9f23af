"""Opening the ledger: engine, SQLite WAL, schema migrations, sessions and runs."""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from receivables.ledger.models import Run
from receivables.ledger.types import utcnow

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA cache_size=-65536")  # 64 MiB, not 2: a big import updates indexes far larger
    cur.close()


def _null(_: None) -> None:
    return None


def _bind_none_directly() -> None:
    """Let sqlite3 bind None without its adaptation protocol.

    Python 3.11's sqlite3 looks up `__adapt__` on its protocol type for every None it binds, and
    the failed lookup formats an AttributeError message each time: about 2,000 instructions per
    NULL, where a whole bulk-imported statement entry costs 60,000. With an adapter registered
    for None the lookup stops at the adapter registry; the value bound is still None, i.e. NULL.
    """
    sqlite3.register_adapter(type(None), _null)


def make_engine(url: str, echo: bool = False) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        memory = parsed.database in (None, "", ":memory:")
        engine = create_engine(url, echo=echo, poolclass=StaticPool if memory else None)
        event.listen(engine, "connect", _sqlite_pragmas)
        _bind_none_directly()
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)


def alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision; an existing ledger is altered, never dropped."""
    from alembic import command

    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


class Ledger:
    """The master ledger behind one URL; robots open it once per run."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back whole on any error."""
        with self._sessions() as session, session.begin():
            yield session

    def tables(self) -> list[str]:
        return inspect(self.engine).get_table_names()

    @contextmanager
    def run(self, robot: str) -> Iterator[Run]:
        """Record a robot run; its status says ok or failed whatever happens inside."""
        with self.session() as s:
            run = Run(robot=robot, host=socket.gethostname(), summary={})
            s.add(run)
        try:
            yield run
        except BaseException as exc:
            with self.session() as s:
                row = s.get(Run, run.id)
                row.status = "failed"
                row.error = f"{type(exc).__name__}: {exc}"[:4000]
                row.finished_at = utcnow()
                row.summary = dict(run.summary or {})
            raise
        with self.session() as s:
            row = s.get(Run, run.id)
            row.status = "ok"
            row.finished_at = utcnow()
            row.summary = dict(run.summary or {})

    def dispose(self) -> None:
        self.engine.dispose()


def open_ledger(url: str, echo: bool = False, migrate: bool = True) -> Ledger:
    engine = make_engine(url, echo=echo)
    if migrate:
        upgrade(engine)
    return Ledger(engine)

"""Alembic environment: runs on the connection the ledger hands over (see ledger.db.upgrade)."""

from alembic import context

from receivables.ledger.models import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


_configure(config.attributes["connection"])

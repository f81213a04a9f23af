"""Column types: money as exact integer cents on every database, timestamps always UTC-aware."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime
from sqlalchemy.types import TypeDecorator

from receivables.money import to_money


class Money(TypeDecorator):
    """Decimal with two places stored as BIGINT cents: SQLite has no exact decimal type."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> int | None:
        if value is None:
            return None
        cents = (value if isinstance(value, Decimal) else Decimal(value)) * 100
        whole = int(cents)
        if whole != cents:
            raise ValueError(f"amount {value} has more than two decimal places")
        return whole

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        return to_money(Decimal(int(value)) / 100)

    def coerce_compared_value(self, op: Any, value: Any) -> Any:
        return self


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in, aware UTC datetimes out (SQLite would drop the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)

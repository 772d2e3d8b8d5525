"""Column types shared by the tables."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import BigInteger
from sqlalchemy.types import TypeDecorator


class UtcTimestamp(TypeDecorator[datetime]):
    """An aware UTC datetime, stored as whole seconds since the epoch.

    Integers keep time arithmetic (waits, windows, hour buckets) plain SQL that
    runs the same on SQLite and PostgreSQL; Python always sees aware UTC.
    """

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: datetime | int | None, dialect: object) -> int | None:
        if value is None or isinstance(value, int):
            return value
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return int(value.timestamp())

    def process_result_value(self, value: int | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return datetime.fromtimestamp(value, UTC)

"""Bulk writing for the generator: one transaction, rows as tuples, no ORM objects.

The generator writes a new, private file that nobody else has open, so it may
switch off fsync and foreign-key checks while it loads (the checks are kept by
construction: every id is assigned here) and turn them back on at the end.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table, insert

from ..db import Database


class BulkWriter:
    """Inserts rows into the tables of one open transaction."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.raw = connection.connection.dbapi_connection
        self.counts: dict[str, int] = {}

    def rows(self, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        """Insert dicts through SQLAlchemy Core (types converted by the columns)."""
        if rows:
            self.connection.execute(insert(table), list(rows))
            self._count(table.name, len(rows))

    def tuples(self, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Insert plain tuples with the driver's executemany (the fast path for big tables).

        Values must already be in their stored form: epoch seconds for timestamps,
        ``YYYY-MM-DD`` text for dates, 0/1 for booleans.
        """
        for name in columns:
            if name not in table.c:
                raise KeyError(f"{table.name} has no column {name}")
        marks = ", ".join("?" for _ in columns)
        names = ", ".join(f'"{name}"' for name in columns)
        if rows:
            self.raw.executemany(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', rows)
            self._count(table.name, len(rows))

    def _count(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


@contextmanager
def bulk_load(db: Database) -> Iterator[BulkWriter]:
    """One write transaction with fsync and foreign-key checks off; committed on success."""
    with db.engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        raw.execute("PRAGMA synchronous = OFF")
        raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                yield BulkWriter(connection)
        finally:
            raw.execute("PRAGMA foreign_keys = ON")
            raw.execute("PRAGMA synchronous = NORMAL")


def compact(db: Database) -> None:
    """Refresh the planner's statistics and squeeze the file (ANALYZE, VACUUM)."""
    with db.engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        raw.execute("ANALYZE")
        raw.execute("VACUUM")
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")

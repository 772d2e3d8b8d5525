"""Bulk writing for the generator: one transaction, rows as tuples, no ORM objects.

The generator writes a new, private store that nobody else has open. On SQLite
it switches off fsync and foreign-key checks while it loads (the checks are
kept by construction: every id is assigned here) and turns them back on at the
end. On PostgreSQL the checks stay on, and since the ids are assigned here, each
table's id sequence is moved past the highest id at the end.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Boolean, Connection, Table, func, insert, select, text
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlmodel import SQLModel

from svcdesk_tui.core.db import Database

Target = Table | type[SQLModel]
"""A table, or the SQLModel class whose table it is."""


def table_of(target: Target) -> Table:
    """The table itself, or the table a SQLModel class is mapped to."""
    if isinstance(target, Table):
        return target
    table = sa_inspect(target).local_table
    assert isinstance(table, Table)
    return table


class BulkWriter:
    """Inserts rows into the tables of one open transaction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.raw: Any = connection.connection.dbapi_connection
        self.postgres = connection.dialect.name == "postgresql"
        self.counts: dict[str, int] = {}

    def rows(self, target: Target, rows: Sequence[dict[str, Any]]) -> None:
        """Insert dicts through SQLAlchemy Core (types converted by the columns)."""
        table = table_of(target)
        if rows:
            self.connection.execute(insert(table), list(rows))
            self._count(table.name, len(rows))

    def tuples(self, target: Target, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Insert plain tuples with the driver's executemany (the fast path for big tables).

        Values must already be in their stored form: epoch seconds for timestamps,
        ``YYYY-MM-DD`` text for dates, 0/1 for booleans.
        """
        table = table_of(target)
        for name in columns:
            if name not in table.c:
                raise KeyError(f"{table.name} has no column {name}")
        if not rows:
            return
        mark = "%s" if self.postgres else "?"
        marks = ", ".join(mark for _ in columns)
        names = ", ".join(f'"{name}"' for name in columns)
        if self.postgres:
            rows = _with_booleans(table, columns, rows)
        cursor = self.raw.cursor()
        cursor.executemany(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', rows)
        cursor.close()
        self._count(table.name, len(rows))

    def next_id(self, target: Target) -> int:
        """The first id after the table's highest (the generator assigns every id itself)."""
        table = table_of(target)
        highest = self.connection.execute(select(func.max(table.c.id))).scalar()
        return int(highest or 0) + 1

    def _count(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


def _with_booleans(
    table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> Sequence[Sequence[Any]]:
    """PostgreSQL's booleans are not integers: turn the stored 0/1 into False/True."""
    flags = [isinstance(table.c[name].type, Boolean) for name in columns]
    if not any(flags):
        return rows
    return [
        tuple(bool(v) if flag and v is not None else v for flag, v in zip(flags, row, strict=True))
        for row in rows
    ]


def _advance_id_sequences(connection: Connection) -> None:
    """Move every id sequence past the ids the generator assigned itself."""
    for table in SQLModel.metadata.sorted_tables:
        if "id" in table.c and table.c.id.autoincrement in (True, "auto"):
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f'COALESCE((SELECT max(id) FROM "{table.name}"), 0) + 1, false)'
                )
            )


def _driver_connection(connection: Connection) -> DBAPIConnection:
    """The driver's own connection under an open SQLAlchemy one (for SQLite's PRAGMAs)."""
    raw = connection.connection.dbapi_connection
    assert raw is not None, "an open connection has a driver connection"
    return raw


@contextmanager
def bulk_load(db: Database) -> Iterator[BulkWriter]:
    """One write transaction (on SQLite with fsync and foreign-key checks off)."""
    if not db.is_sqlite:
        with db.engine.begin() as connection:
            yield BulkWriter(connection)
            _advance_id_sequences(connection)
        return
    with db.engine.connect() as connection:
        raw = _driver_connection(connection)
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
    if not db.is_sqlite:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
        return
    with db.engine.connect() as connection:
        raw = _driver_connection(connection)
        raw.execute("ANALYZE")
        raw.execute("VACUUM")
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")

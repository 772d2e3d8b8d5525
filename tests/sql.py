"""Plain SQL against a store, for tests that check what a generator or simulator wrote.

SQLite and PostgreSQL return some values in different Python types; the rows come
back in one spelling for both: dates as ISO text, booleans as 0/1, numerics as float.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import text

from svcdesk_tui.core.db import Database


def plain(value: object) -> object:
    """A value as SQLite would have returned it."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def rows(db: Database, sql: str, **params: object) -> list[tuple]:
    with db.read() as session:
        return [tuple(plain(v) for v in row) for row in session.execute(text(sql), params)]


def scalar(db: Database, sql: str, **params: object) -> object:
    return rows(db, sql, **params)[0][0]


def none(db: Database, sql: str, **params: object) -> bool:
    """True when a ``SELECT count(*)`` of violations finds nothing."""
    return scalar(db, sql, **params) == 0

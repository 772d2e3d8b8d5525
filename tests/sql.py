"""Plain SQL against a store, for tests that check what a generator or simulator wrote."""

from __future__ import annotations

from sqlalchemy import text

from svcdesk_tui.db import Database


def rows(db: Database, sql: str, **params: object) -> list[tuple]:
    with db.read() as session:
        return [tuple(row) for row in session.execute(text(sql), params)]


def scalar(db: Database, sql: str, **params: object) -> object:
    return rows(db, sql, **params)[0][0]


def none(db: Database, sql: str, **params: object) -> bool:
    """True when a ``SELECT count(*)`` of violations finds nothing."""
    return scalar(db, sql, **params) == 0

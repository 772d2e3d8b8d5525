"""The store's change count: moved by every commit that changed what a screen shows.

Desks re-read when the store changed (:mod:`svcdesk_tui.core.changes`). Not
every commit is such a change: an agent's desk says "still here" every few
seconds (a heartbeat), and with a hundred desks open those beats would make
every desk re-read its whole screen about once a second. So a commit moves the
count only if one of its statements changed rows and was not marked
:data:`QUIET` (the heartbeat's UPDATE is; everything else, including a desk
logged out for a stale heartbeat, is not).

SQLite: the count is the file's ``PRAGMA user_version``, raised by one in the
committing transaction itself, so it moves exactly when the changes become
visible. PostgreSQL: the transaction sends ``NOTIFY`` on :data:`CHANNEL`,
which the server delivers to listeners only when (and if) it commits.

Every engine svcdesk opens counts (:func:`count_changes`); a write from outside
svcdesk (the ``sqlite3`` shell) is not counted, and a desk shows it at its next
re-read on the clock (a minute at most).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, event

QUIET = "svcdesk_quiet"  # execution option: this statement's change is no screen's business
CHANNEL = "svcdesk_changes"  # PostgreSQL: the NOTIFY channel a commit that changed rows signals on
_CHANGED = "svcdesk_changed"  # in the connection's info: a row changed in this transaction
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLAC")  # the first six letters of a statement


def count_changes(engine: Engine) -> Engine:
    """Make every commit of ``engine`` that changed rows (not quietly) move the change count."""
    event.listen(engine, "begin", _forget)
    event.listen(engine, "after_cursor_execute", _note_change)
    event.listen(engine, "commit", _count)
    event.listen(engine, "rollback", _forget)
    return engine


def _note_change(
    conn: Connection,
    cursor: Any,
    statement: str,
    parameters: object,
    context: Any,
    executemany: bool,
) -> None:
    info = conn.info
    if info.get(_CHANGED) or statement.lstrip()[:6].upper() not in _WRITES:
        return
    # SQLite counts a RETURNING statement's rows only once they are fetched: 0 then says
    # nothing, so such a write counts (at worst a spare re-read, never a missed change)
    if cursor.rowcount == 0 and "RETURNING" not in statement.upper():
        return
    if context is not None and context.execution_options.get(QUIET):
        return
    info[_CHANGED] = True


def _count(conn: Connection) -> None:
    """Before the commit: move the count in the same transaction (or signal its commit)."""
    if not conn.info.pop(_CHANGED, False):
        return
    if conn.dialect.name == "sqlite":
        (count,) = conn.exec_driver_sql("PRAGMA user_version").one()
        conn.exec_driver_sql(f"PRAGMA user_version = {int(count) + 1}")
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"NOTIFY {CHANNEL}")


def _forget(conn: Connection) -> None:
    conn.info.pop(_CHANGED, None)

"""Agents on shift and logged in per 15-minute interval (docs/measures.md, Interval
statistics), kept in the transaction that changes a shift or ends a presence session.

A shift or session written through the ORM is caught by the session's flush hook below;
sessions closed by a Core statement (``people.presence.close_presence``, the queue_log
importer) call :func:`count_staffing` with the span they touched. The touched intervals
are recounted from the shifts and the ended sessions (an open session grows until it
ends, so readers add the open ones themselves).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, event, func, inspect, text
from sqlalchemy import select as core_select
from sqlmodel import Session, col

from svcdesk_tui.core.clock import to_epoch
from svcdesk_tui.core.interval_sql import ENDED_SESSIONS, SHIFTS, pieces_sql
from svcdesk_tui.models import INTERVAL_SECONDS, PresenceLog, Shift

_ZERO = text(
    "UPDATE interval_staffing SET on_shift_seconds = 0, logged_in_seconds = 0 "
    "WHERE starts_at >= :start AND starts_at < :stop"
)
_EMPTY = text(
    "DELETE FROM interval_staffing WHERE starts_at >= :start AND starts_at < :stop "
    "AND on_shift_seconds = 0 AND logged_in_seconds = 0"
)
_LOCK = text(
    "INSERT INTO interval_staffing (starts_at, on_shift_seconds, logged_in_seconds) "
    "VALUES (:at, 0, 0) ON CONFLICT (starts_at) DO UPDATE "
    "SET on_shift_seconds = interval_staffing.on_shift_seconds"
)
_SET = (
    "INSERT INTO interval_staffing (starts_at, on_shift_seconds, logged_in_seconds) "
    "VALUES (:at, {on_shift}, {logged_in}) ON CONFLICT (starts_at) DO UPDATE "
    "SET {column} = excluded.{column}"
)
_SET_SHIFT = text(_SET.format(on_shift=":seconds", logged_in="0", column="on_shift_seconds"))
_SET_LOGGED = text(_SET.format(on_shift="0", logged_in=":seconds", column="logged_in_seconds"))
_SHIFT_PIECES = text(pieces_sql(*SHIFTS, "0", INTERVAL_SECONDS))
_SESSION_PIECES = text(
    pieces_sql(
        *ENDED_SESSIONS[:3], ENDED_SESSIONS[3] + " AND ended_at IS NOT NULL", "0", INTERVAL_SECONDS
    )
)


def count_staffing(connection: Connection, since_s: int, until_s: int) -> None:
    """Recount the intervals of [since_s, until_s) from the shifts and ended sessions."""
    grain = INTERVAL_SECONDS
    params = {"start": since_s - since_s % grain, "stop": -(-until_s // grain) * grain}
    if params["stop"] <= params["start"]:
        params["stop"] = params["start"] + grain
    if connection.dialect.name == "postgresql":  # lock first: the recount then sees all
        starts = range(params["start"], params["stop"], grain)
        connection.execute(_LOCK, [{"at": at} for at in starts])
    connection.execute(_ZERO, params)
    for pieces, write in ((_SHIFT_PIECES, _SET_SHIFT), (_SESSION_PIECES, _SET_LOGGED)):
        rows = [
            {"at": bucket * grain, "seconds": int(seconds)}
            for bucket, seconds in connection.execute(pieces, params)
        ]
        if rows:
            connection.execute(write, rows)
    connection.execute(_EMPTY, params)  # no row for an interval nobody worked in


def rebuild_staffing(connection: Connection) -> None:
    """Recount every interval of every shift and ended session."""
    connection.execute(text("DELETE FROM interval_staffing"))
    spans = [
        connection.execute(core_select(func.min(first), func.max(last))).one()
        for first, last in (
            (col(Shift.starts_at), col(Shift.ends_at)),
            (col(PresenceLog.started_at), col(PresenceLog.ended_at)),
        )
    ]
    starts = [to_epoch(s) if not isinstance(s, int) else s for s, _ in spans if s is not None]
    stops = [to_epoch(e) if not isinstance(e, int) else e for _, e in spans if e is not None]
    if starts and stops:
        count_staffing(connection, min(starts), max(stops))


@event.listens_for(Session, "after_flush")
def _count_flushed_staffing(session: Session, _context: object) -> None:
    spans: list[tuple[int, int]] = []
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Shift):
            first, last = obj.starts_at, obj.ends_at
        elif isinstance(obj, PresenceLog) and obj.ended_at is not None:
            first, last = obj.started_at, obj.ended_at
        else:
            continue
        state: Any = inspect(obj)
        if obj in session.dirty and not state.modified:
            continue
        moments = [to_epoch(first), to_epoch(last)]
        for name in ("starts_at", "ends_at", "started_at", "ended_at"):  # where it was before
            attr = state.attrs.get(name)
            moments += [to_epoch(old) for old in (attr.history.deleted if attr else ()) if old]
        spans.append((min(moments), max(moments)))
    if spans:
        connection = session.connection()
        for since_s, until_s in spans:
            count_staffing(connection, since_s, until_s)

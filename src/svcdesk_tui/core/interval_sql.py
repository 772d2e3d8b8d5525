"""The statements that recount the interval statistics and the calls' FCR facts, built
once per database dialect (building one costs more than running it); run by
:mod:`svcdesk_tui.core.intervals`."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import BigInteger, Integer, bindparam, func, literal, literal_column
from sqlalchemy import select as core_select
from sqlalchemy import update as core_update
from sqlalchemy.orm import aliased
from sqlmodel import col

from svcdesk_tui.core.call_figures import abandoned_wait, queue_figures, resolution_figures
from svcdesk_tui.core.sqltime import DAY, epoch
from svcdesk_tui.models import (
    FIELD_ROLES,
    INTERVAL_SECONDS,
    Call,
    CallState,
    HandledDayStat,
    IntervalStat,
    Queue,
)

AGENT, REASON = "a", "r"
"""The two cuts of :class:`HandledDayStat`: per agent, per contact reason."""

NOT_FIELD = (
    "AND staff_id NOT IN (SELECT id FROM staff WHERE role IN ("
    + ", ".join(f"'{role.value}'" for role in FIELD_ROLES)
    + "))"
)
"""Field staff's shifts are not call-center staffing (:data:`FIELD_ROLES`)."""

PIECES = """
WITH RECURSIVE piece(s, e) AS (
  SELECT CASE WHEN {start} > :start THEN {start} ELSE :start END,
         CASE WHEN {end} < :stop THEN {end} ELSE :stop END
  FROM {table} WHERE {start} < :stop AND {end} > :start {extra}
  UNION ALL
  SELECT {next}, e FROM piece WHERE {next} < e
)
SELECT (s + {off}) / {grain} AS h, SUM(CASE WHEN {next} < e THEN {next} ELSE e END - s)
FROM piece GROUP BY h
"""
"""Seconds per bucket of ``grain`` seconds (shifted by the SQL offset ``off``) of the
intervals [start, end) of ``table`` within [:start, :stop), cut at the buckets' edges."""


def pieces_sql(table: str, start: str, end: str, extra: str, off: str, grain: int) -> str:
    """:data:`PIECES` filled in."""
    return PIECES.format(
        table=table,
        start=start,
        end=end,
        extra=extra,
        off=off,
        grain=grain,
        next=f"(((s + {off}) / {grain} + 1) * {grain} - {off})",
    )


SHIFTS = ("shift", "starts_at", "ends_at", NOT_FIELD)
ENDED_SESSIONS = ("presence_log", "started_at", "ended_at", "AND kind = 'session'")
"""The intervals the staffing counts: scheduled shifts, and presence sessions (the kept
rows take those that have ended: ``ended_at`` is NULL for an open one)."""

ENTERED = epoch(Call.entered_at)
_LO, _HI = bindparam("lo", type_=BigInteger), bindparam("hi", type_=BigInteger)


def _start(seconds: Any, grain: int) -> Any:
    """SQL: the start of the ``grain``-second bucket of ``seconds`` (a literal, not a
    parameter, so PostgreSQL sees the GROUP BY and the SELECT list name the same value)."""
    return seconds - seconds % literal_column(str(int(grain)))


@cache
def _insert(dialect: str) -> Any:
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert
    from sqlalchemy.dialects import sqlite

    return sqlite.insert


# --- the statements, built once per dialect ---------------------------------------------------


def _values(table: Any) -> list[str]:
    """The counted columns of a statistics table, in the order its recount selects them."""
    return [column.name for column in table.__table__.columns if not column.primary_key]


_INTERVAL_VALUES = _values(IntervalStat)
_HANDLED_VALUES = _values(HandledDayStat)


@cache
def interval_statements(dialect: str, one_queue: bool) -> tuple[Any, Any]:
    """(lock, recount) of the interval rows of calls entered in [lo, hi)."""
    start = _start(ENTERED, INTERVAL_SECONDS)
    where = [ENTERED >= _LO, ENTERED < _HI]
    if one_queue:
        where.append(col(Call.queue_id) == bindparam("queue", type_=Integer))
    keys = core_select(col(Call.queue_id), start).where(*where).group_by(col(Call.queue_id), start)
    recount = (
        core_select(
            col(Call.queue_id),
            start,
            *queue_figures(),
            col(Queue.sl_threshold_seconds),
            col(Queue.short_abandon_seconds),
            abandoned_wait(),
        )
        .join(Queue, col(Queue.id) == Call.queue_id)
        .where(*where)
        .group_by(
            col(Call.queue_id),
            start,
            col(Queue.sl_threshold_seconds),
            col(Queue.short_abandon_seconds),
        )
    )
    return _upserts(
        dialect, IntervalStat, ["queue_id", "starts_at"], _INTERVAL_VALUES, keys, recount
    )


def _upserts(
    dialect: str, table: Any, key: list[str], values: list[str], keys: Any, recount: Any
) -> tuple[Any, Any]:
    insert = _insert(dialect)
    target = table.__table__
    lock = insert(target).from_select(key, keys)
    lock = lock.on_conflict_do_update(index_elements=key, set_={values[0]: target.c[values[0]]})
    write = insert(target).from_select([*key, *values], recount)
    write = write.on_conflict_do_update(
        index_elements=key, set_={name: write.excluded[name] for name in values}
    )
    return lock, write


@cache
def handled_statements(
    dialect: str, cut: str, one_key: bool, no_key: bool = False
) -> tuple[Any, Any]:
    """(lock, recount) of the ``cut`` rows of handled calls entered in [lo, hi) (whole UTC
    days); ``one_key``: of the one row (day lo, key) only, written even when it is empty
    (``no_key``: the row of calls without an agent or reason)."""
    window = bindparam("window", type_=Integer)
    key = func.coalesce(Call.agent_id if cut == AGENT else Call.reason_id, 0)
    where = [ENTERED >= _LO, ENTERED < _HI, col(Call.state) == CallState.COMPLETED]
    first_agent = func.coalesce(func.min(func.coalesce(Call.agent_id, 0)), 0)
    figures = [*resolution_figures(window * DAY), window, first_agent]
    if one_key:
        wanted = bindparam("key", type_=Integer)
        row: list[Any] = [_LO, literal(cut), wanted]
        keys = core_select(*row)
        column = col(Call.agent_id if cut == AGENT else Call.reason_id)
        match = column.is_(None) if no_key else column == wanted  # the agent's index serves
        recount = core_select(*row, *figures).where(*where, match)
    else:
        day = _start(ENTERED, DAY)
        keys = core_select(day, literal(cut), key).where(*where).group_by(day, key)
        recount = core_select(day, literal(cut), key, *figures).where(*where).group_by(day, key)
    return _upserts(
        dialect, HandledDayStat, ["day", "cut", "key_id"], _HANDLED_VALUES, keys, recount
    )


@cache
def facts_statement(all_calls: bool) -> Any:
    """UPDATE the FCR facts of the calls of some customers (or all) that are not what the
    other calls say, RETURNING the changed calls' day keys."""
    me, later, earlier = aliased(Call), aliased(Call), aliased(Call)
    next_call = (
        core_select(col(later.entered_at))
        .where(
            col(later.customer_id) == me.customer_id,
            col(later.reason_id) == me.reason_id,
            epoch(later.entered_at) > epoch(me.entered_at),
        )
        .order_by(col(later.entered_at))
        .limit(1)
        .scalar_subquery()
    )
    last_handled = (
        core_select(col(earlier.entered_at))
        .where(
            col(earlier.customer_id) == me.customer_id,
            col(earlier.state) == CallState.COMPLETED,
            epoch(earlier.entered_at) < epoch(me.entered_at),
        )
        .order_by(col(earlier.entered_at).desc())
        .limit(1)
        .scalar_subquery()
    )
    facts: Any = core_select(
        col(me.id).label("id"), next_call.label("next_at"), last_handled.label("prev_at")
    )
    if not all_calls:
        facts = facts.where(col(me.customer_id).in_(bindparam("customers", expanding=True)))
    fresh = facts.subquery("fresh")
    return (
        core_update(Call)
        .where(
            col(Call.id) == fresh.c.id,
            col(Call.next_same_reason_at).is_distinct_from(fresh.c.next_at)
            | col(Call.prev_handled_at).is_distinct_from(fresh.c.prev_at),
        )
        .values(next_same_reason_at=fresh.c.next_at, prev_handled_at=fresh.c.prev_at)
        .returning(ENTERED, col(Call.agent_id), col(Call.reason_id), col(Call.state))
    )

"""Long periods read from the interval statistics (docs/measures.md, Interval statistics):
the queue figures, calls per local hour and the handled calls' FCR cells add up kept rows
instead of reading every call.

Each reader is exact: the part of a period that whole rows cover is read from them, the
edges (a period that does not start on a row's boundary) from the calls; rows counted with
another threshold or window than the current one are not used (the calls are read
instead). :func:`offered_by_interval` is the history a forecast reads.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlmodel import Session, col

from svcdesk_tui.core.clock import to_epoch
from svcdesk_tui.core.interval_sql import AGENT, REASON
from svcdesk_tui.core.periods import Period
from svcdesk_tui.core.sqltime import DAY, HOUR, epoch, local_epoch, offsets
from svcdesk_tui.models import (
    INTERVAL_SECONDS,
    HandledDayStat,
    IntervalStaffing,
    IntervalStat,
    Queue,
)
from svcdesk_tui.queue.measures import QueueKpi, call_counts, kpis_from_counts
from svcdesk_tui.queue.resolution import CELL_COUNTS, Resolution, resolution_cells, roll_up

_COUNTS = (
    IntervalStat.offered,
    IntervalStat.answered,
    IntervalStat.abandoned,
    IntervalStat.short_abandons,
    IntervalStat.answered_within_threshold,
    IntervalStat.wait_seconds_answered,
    IntervalStat.handled,
    IntervalStat.handle_seconds,
)


def _moment(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def split(period: Period, grain: int) -> tuple[tuple[int, int] | None, list[Period]]:
    """The whole ``grain``-second rows inside the period, as [lo, hi) epoch seconds (None
    when there are none), and the edges of the period outside them."""
    since, until = to_epoch(period.since), to_epoch(period.until)
    lo, hi = -(-since // grain) * grain, until // grain * grain
    if lo >= hi:
        return None, [period]
    edges = []
    if since < lo:
        edges.append(Period(period.since, _moment(lo)))
    if hi < until:
        edges.append(Period(_moment(hi), period.until))
    return (lo, hi), edges


def _in(lo: int, hi: int):  # type: ignore[no-untyped-def]
    starts = epoch(IntervalStat.starts_at)
    return starts >= lo, starts < hi


def _stale(session: Session, lo: int, hi: int) -> bool:
    """True when some row was counted with other thresholds than its queue has now."""
    stmt = (
        select(col(IntervalStat.queue_id))
        .join(Queue, col(Queue.id) == IntervalStat.queue_id)
        .where(
            *_in(lo, hi),
            or_(
                col(IntervalStat.sl_threshold_seconds) != Queue.sl_threshold_seconds,
                col(IntervalStat.short_abandon_seconds) != Queue.short_abandon_seconds,
            ),
        )
        .limit(1)
    )
    return session.execute(stmt).first() is not None


def period_queue_kpis(session: Session, period: Period) -> list[QueueKpi]:
    """:func:`svcdesk_tui.queue.measures.queue_kpis` for the period, from the kept rows."""
    inner, edges = split(period, INTERVAL_SECONDS)
    if inner is None or _stale(session, *inner):
        return kpis_from_counts(session, call_counts(session, period))
    stmt = (
        select(
            col(IntervalStat.queue_id),
            *(func.sum(column) for column in _COUNTS),
            func.max(IntervalStat.longest_wait_seconds),
        )
        .where(*_in(*inner))
        .group_by(col(IntervalStat.queue_id))
    )
    parts = [{row[0]: tuple(row[1:]) for row in session.execute(stmt)}]
    parts += [call_counts(session, edge) for edge in edges]
    return kpis_from_counts(session, _merge(parts))


def _merge(parts: list[dict[int, tuple[int, ...]]]) -> dict[int, tuple[int, ...]]:
    """Add up figures per queue; the last (the longest wait) is the greatest."""
    merged: dict[int, tuple[int, ...]] = {}
    for part in parts:
        for queue_id, figures in part.items():
            have = merged.get(queue_id, (0,) * len(figures))
            sums = (int(a) + int(b) for a, b in zip(have[:-1], figures[:-1], strict=True))
            merged[queue_id] = (*sums, max(int(have[-1]), int(figures[-1])))
    return merged


def calls_per_hour(
    session: Session, period: Period, tz: str
) -> list[tuple[int, int, int, int]] | None:
    """(queue_id, local hour bucket, offered, abandoned after the short threshold) from the
    kept rows, as :mod:`svcdesk_tui.queue.load` counts them from the calls; None when the
    rows cannot say it exactly (the period or the zone's offsets off the rows' grid)."""
    inner, edges = split(period, INTERVAL_SECONDS)
    aligned = all(offset % INTERVAL_SECONDS == 0 for _, offset in offsets(period, tz))
    if inner is None or edges or not aligned or _stale(session, *inner):
        return None
    hour = local_epoch(epoch(IntervalStat.starts_at), period, tz) // HOUR
    stmt = (
        select(
            col(IntervalStat.queue_id),
            hour,
            func.sum(IntervalStat.offered),
            func.sum(IntervalStat.abandoned),
        )
        .where(*_in(*inner))
        .group_by(col(IntervalStat.queue_id), hour)
    )
    return [(q, h, int(offered), int(lost)) for q, h, offered, lost in session.execute(stmt)]


_HISTORY = (
    IntervalStat.offered,
    IntervalStat.answered,
    IntervalStat.answered_within_threshold,
    IntervalStat.abandoned,
    IntervalStat.short_abandons,
    IntervalStat.handled,
    IntervalStat.handle_seconds,
)


def interval_history(
    session: Session, period: Period, tz: str, *, size: int, queue: int | None
) -> Sequence[Sequence[Any]] | None:
    """Rows (queue_id, local bucket of ``size`` seconds, *counts) of the calls that entered in the
    period, from the kept rows: offered, answered, within threshold, abandoned (short ones
    apart), short abandons, handled, handle seconds, and seconds waited by the answered and
    the abandoned. None when the rows cannot say it exactly (as :func:`calls_per_hour`)."""
    inner, edges = split(period, INTERVAL_SECONDS)
    aligned = all(offset % INTERVAL_SECONDS == 0 for _, offset in offsets(period, tz))
    if inner is None or edges or not aligned or _stale(session, *inner):
        return None
    bucket = local_epoch(epoch(IntervalStat.starts_at), period, tz) // size
    waited = func.sum(IntervalStat.wait_seconds_answered + IntervalStat.wait_seconds_abandoned)
    stmt = (
        select(col(IntervalStat.queue_id), bucket, *map(func.sum, _HISTORY), waited)
        .where(*_in(*inner))
        .group_by(col(IntervalStat.queue_id), bucket)
        .having(func.sum(IntervalStat.offered) > 0)  # rows left empty by a recount
    )
    if queue is not None:
        stmt = stmt.where(col(IntervalStat.queue_id) == queue)
    return session.execute(stmt).all()


def staffing_per_hour(
    session: Session, period: Period, tz: str
) -> tuple[dict[int, int], dict[int, int]] | None:
    """Agent-seconds per local hour bucket on shift and in ended presence sessions, from the
    kept rows, as :mod:`svcdesk_tui.queue.load` counts them from the shifts and sessions;
    None when the rows cannot say it exactly (the period or the zone off the rows' grid)."""
    inner, edges = split(period, INTERVAL_SECONDS)
    aligned = all(offset % INTERVAL_SECONDS == 0 for _, offset in offsets(period, tz))
    if inner is None or edges or not aligned:
        return None
    starts = epoch(IntervalStaffing.starts_at)
    hour = local_epoch(starts, period, tz) // HOUR
    stmt = (
        select(
            hour,
            func.sum(IntervalStaffing.on_shift_seconds),
            func.sum(IntervalStaffing.logged_in_seconds),
        )
        .where(starts >= inner[0], starts < inner[1])
        .group_by(hour)
    )
    on_shift: dict[int, int] = {}
    logged_in: dict[int, int] = {}
    for bucket, shift_s, session_s in session.execute(stmt):
        if shift_s:
            on_shift[bucket] = int(shift_s)
        if session_s:
            logged_in[bucket] = int(session_s)
    return on_shift, logged_in


@dataclass(frozen=True)
class HandledCuts:
    """The handled calls' figures of a period per agent and per contact reason."""

    by_agent: list[Resolution]
    by_reason: list[Resolution]


def handled_cuts(session: Session, period: Period, window_days: int) -> HandledCuts:
    """FCR, repeat calls and handle time per agent and per reason (docs/measures.md, FCR),
    from the kept days, the period's edges from the calls."""
    inner, edges = split(period, DAY)
    stored = select(col(HandledDayStat.window_days)).where(
        epoch(HandledDayStat.day) >= (inner or (0, 0))[0],
        epoch(HandledDayStat.day) < (inner or (0, 0))[1],
        col(HandledDayStat.window_days) != window_days,
    )
    if inner is None or session.execute(stored.limit(1)).first() is not None:
        edges, inner = [period], None
    cells = [cell for edge in edges for cell in resolution_cells(session, edge, window_days)]
    agents = roll_up(cells, lambda c: c.agent_id)
    reasons = roll_up(cells, lambda c: c.reason_id)
    first: dict[Hashable, int] = {}  # the lowest agent id per reason (0: none)
    for c in cells:
        first[c.reason_id] = min(first.get(c.reason_id, c.agent_id or 0), c.agent_id or 0)
    if inner is not None:
        stmt = (
            select(
                col(HandledDayStat.cut),
                col(HandledDayStat.key_id),
                *(func.sum(getattr(HandledDayStat, name)) for name in CELL_COUNTS),
                func.min(HandledDayStat.first_agent_key),
            )
            .where(epoch(HandledDayStat.day) >= inner[0], epoch(HandledDayStat.day) < inner[1])
            .group_by(col(HandledDayStat.cut), col(HandledDayStat.key_id))
            .having(func.sum(HandledDayStat.handled) > 0)  # rows left empty by a recount
        )
        for cut, key, *figures, first_agent in session.execute(stmt):
            key_id = key or None
            counts = (int(f) for f in figures)
            cell = Resolution(None, None, **dict(zip(CELL_COUNTS, counts, strict=True)))
            into = agents if cut == AGENT else reasons
            into[key_id] = into[key_id] + cell if key_id in into else cell
            if cut == REASON:
                first[key_id] = min(first.get(key_id, first_agent), first_agent)
    # in the order grouping the calls by agent and reason lists them (none first): by the
    # lowest agent id that handled each, then by id; the same on every database
    return HandledCuts(
        [replace(cell, agent_id=_id(k), reason_id=None) for k, cell in _by_id(agents, {})],
        [replace(cell, agent_id=None, reason_id=_id(k)) for k, cell in _by_id(reasons, first)],
    )


def _by_id(
    cells: dict[Hashable, Resolution], first: dict[Hashable, int]
) -> list[tuple[Hashable, Resolution]]:
    return sorted(cells.items(), key=lambda item: (first.get(item[0], 0), _id(item[0]) or 0))


def _id(key: Hashable) -> int | None:
    return None if key is None else int(key)  # type: ignore[call-overload]


def offered_by_interval(
    session: Session, *, queue: int | None, start: datetime, end: datetime, minutes: int = 15
) -> list[tuple[datetime, int]]:
    """Calls offered per interval of ``minutes`` (15, 30 or 60; the ``interval_minutes``
    setting) from ``start`` to ``end`` (aware, on the interval grid; calls entered in
    [start, end)), for one queue (its id) or all (None): (interval start in UTC, offered),
    in time order, intervals without calls left out."""
    size = minutes * 60
    bucket = epoch(IntervalStat.starts_at) - epoch(IntervalStat.starts_at) % size
    stmt = select(bucket, func.sum(IntervalStat.offered)).where(
        *_in(to_epoch(start), to_epoch(end))
    )
    if queue is not None:
        stmt = stmt.where(col(IntervalStat.queue_id) == queue)
    stmt = stmt.group_by(bucket).order_by(bucket)
    return [(_moment(int(s)), int(n)) for s, n in session.execute(stmt) if n]

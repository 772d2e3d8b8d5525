"""The queue's history by interval: the one place the planning reads past calls from.

It adds up the interval statistics kept beside the calls
(:func:`svcdesk_tui.queue.interval_stats.interval_history`), and groups the calls
themselves by local interval only when those rows cannot say it exactly (a zone
off their 15-minute grid, rows counted with thresholds the queue no longer has).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, NamedTuple

from sqlalchemy import and_, func, select
from sqlmodel import Session, col

from svcdesk_tui.core.periods import Period, days_period
from svcdesk_tui.core.sql import count, total
from svcdesk_tui.core.sqltime import epoch, local_epoch, within
from svcdesk_tui.models import Call, CallState, Queue
from svcdesk_tui.queue.interval_stats import interval_history
from svcdesk_tui.queue.measures import counted_abandon, handle_seconds, short_abandon

INTERVAL_CHOICES = (15, 30, 60)
"""Interval lengths in minutes a plan may use (they divide an hour)."""
EPOCH_DAY = date(1970, 1, 1)


class IntervalStats(NamedTuple):
    """One queue's calls that entered in one local interval of one local day."""

    queue_id: int
    day: date
    slot: int
    """The interval's number in its day: 0 starts at midnight."""
    offered: int = 0
    answered: int = 0
    within_threshold: int = 0
    abandoned: int = 0
    """Abandoned after the short-abandon threshold (the abandons every rate counts)."""
    short_abandons: int = 0
    handled: int = 0
    handle_seconds: int = 0
    waited_seconds: int = 0
    """Seconds waited by answered calls and counted abandons (for the callers' patience)."""


def slots_per_day(interval_minutes: int) -> int:
    return 24 * 60 // interval_minutes


def by_interval(
    session: Session,
    *,
    queue_id: int | None,
    start: date,
    end: date,
    tz: str,
    interval_minutes: int = 15,
    from_calls: bool = False,
) -> list[IntervalStats]:
    """Every (queue, local day, interval) with calls from ``start`` up to ``end`` (excluded);
    ``from_calls``: counted from the calls themselves (what the kept rows add up to)."""
    size = interval_minutes * 60
    per_day = slots_per_day(interval_minutes)
    period = days_period(start, end, tz)
    kept = None if from_calls else interval_history(session, period, tz, size=size, queue=queue_id)
    if kept is None:
        kept = _counted(session, period, tz, size=size, queue=queue_id)
    days: dict[int, date] = {}  # a history of weeks names each day hundreds of times
    rows = []
    for queue, bucket, *counts in kept:
        day, slot = divmod(int(bucket), per_day)
        if day not in days:
            days[day] = EPOCH_DAY + timedelta(days=day)
        rows.append(IntervalStats(queue, days[day], slot, *map(int, counts)))
    return rows


def _counted(
    session: Session, period: Period, tz: str, *, size: int, queue: int | None
) -> Sequence[Sequence[Any]]:
    """The rows of :func:`interval_history`, grouped from the calls."""
    bucket = local_epoch(epoch(Call.entered_at), period, tz) // size
    answered = col(Call.answered_at).is_not(None)
    counted = counted_abandon()
    stmt = (
        select(
            col(Call.queue_id),
            bucket,
            func.count(),
            count(answered),
            count(and_(answered, col(Call.wait_seconds) <= Queue.sl_threshold_seconds)),
            count(counted),
            count(and_(col(Call.state) == CallState.ABANDONED, short_abandon())),
            count(col(Call.state) == CallState.COMPLETED),
            total(col(Call.state) == CallState.COMPLETED, handle_seconds()),
            total(answered | counted, func.coalesce(Call.wait_seconds, 0)),
        )
        .join(Queue, col(Queue.id) == Call.queue_id)
        .where(within(Call.entered_at, period))
        .group_by(col(Call.queue_id), bucket)
    )
    if queue is not None:
        stmt = stmt.where(col(Call.queue_id) == queue)
    return session.execute(stmt).all()

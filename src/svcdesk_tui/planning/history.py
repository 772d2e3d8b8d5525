"""The queue's history by interval: the one place the planning reads past calls from.

For now it groups the calls by local interval in SQL; an interval table kept up
to date with the calls can stand in for it without changing any caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, func, select
from sqlmodel import Session, col

from svcdesk_tui.core.periods import days_period
from svcdesk_tui.core.sql import count, total
from svcdesk_tui.core.sqltime import epoch, local_epoch, within
from svcdesk_tui.models import Call, CallState, Queue
from svcdesk_tui.queue.measures import counted_abandon, handle_seconds, short_abandon

INTERVAL_CHOICES = (15, 30, 60)
"""Interval lengths in minutes a plan may use (they divide an hour)."""
EPOCH_DAY = date(1970, 1, 1)


@dataclass(frozen=True)
class IntervalStats:
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
) -> list[IntervalStats]:
    """Every (queue, local day, interval) with calls from ``start`` up to ``end`` (excluded)."""
    size = interval_minutes * 60
    period = days_period(start, end, tz)
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
    if queue_id is not None:
        stmt = stmt.where(col(Call.queue_id) == queue_id)
    per_day = slots_per_day(interval_minutes)
    rows = []
    for queue, local_bucket, *counts in session.execute(stmt):
        day = EPOCH_DAY + timedelta(days=int(local_bucket) // per_day)
        rows.append(IntervalStats(queue, day, int(local_bucket) % per_day, *map(int, counts)))
    return rows

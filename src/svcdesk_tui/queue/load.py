"""Load against staffing (docs/measures.md, Service level and Abandon rate): calls
offered and abandoned per local hour, set against the agents on shift, the agents
logged in, and the agents Erlang C says each queue needed to meet its own
service-level target.

- On shift / logged in: agent-hours of scheduled shifts / presence sessions that
  fall in the hour, i.e. the mean number of agents over the hour.
- Needed: per queue, Erlang C on the hour's offered calls with the queue's AHT
  over the report period (the planning AHT when it had no handled calls), its
  threshold and target; summed over queues (each queue staffed on its own).
- Understaffed: fewer agents logged in than needed.

Erlang C itself lives in :mod:`.erlang` (shared with the demo's planner).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import func, select, text
from sqlmodel import Session, col

from svcdesk_tui.core.clock import to_epoch
from svcdesk_tui.core.interval_sql import ENDED_SESSIONS, SHIFTS, pieces_sql
from svcdesk_tui.core.periods import Period
from svcdesk_tui.core.sql import count
from svcdesk_tui.core.sqltime import (
    HOUR,
    epoch,
    local_bucket_start,
    local_epoch,
    offset_case_sql,
    offsets,
)
from svcdesk_tui.models import Call, Queue
from svcdesk_tui.queue.erlang import PLANNING_AHT_SECONDS, agents_needed
from svcdesk_tui.queue.measures import QueueKpi, counted_abandon


@lru_cache(maxsize=4096)
def _needed(calls: int, aht_s: float, threshold_s: int, target: float) -> int:
    return agents_needed(calls, aht_s=aht_s, threshold_s=threshold_s, target=target)


@dataclass
class HourLoad:
    """One local hour (``start`` is aware local time)."""

    start: datetime
    offered: int = 0
    abandoned: int = 0
    on_shift: float = 0.0
    logged_in: float = 0.0
    needed: int = 0

    @property
    def understaffed(self) -> bool:
        return self.logged_in < self.needed


@dataclass
class DayLoad:
    """One local day: sums of its hours (staffing in agent-hours)."""

    day: date
    offered: int = 0
    abandoned: int = 0
    on_shift_hours: float = 0.0
    logged_in_hours: float = 0.0
    needed_hours: float = 0.0
    understaffed_hours: int = 0


@dataclass
class Load:
    hours: list[HourLoad] = field(default_factory=list)

    @property
    def understaffed(self) -> list[HourLoad]:
        return [hour for hour in self.hours if hour.understaffed]

    def days(self) -> list[DayLoad]:
        days: dict[date, DayLoad] = {}
        for hour in self.hours:
            day = days.setdefault(hour.start.date(), DayLoad(hour.start.date()))
            day.offered += hour.offered
            day.abandoned += hour.abandoned
            day.on_shift_hours += hour.on_shift
            day.logged_in_hours += hour.logged_in
            day.needed_hours += hour.needed
            day.understaffed_hours += hour.understaffed
        return list(days.values())


def _calls_per_hour(session: Session, period: Period, tz: str) -> list[tuple[int, int, int, int]]:
    """(queue_id, local hour bucket, offered, abandoned after the short threshold)."""
    bucket = local_epoch(epoch(Call.entered_at), period, tz) // HOUR
    abandoned = counted_abandon()
    stmt = (
        select(col(Call.queue_id), bucket, func.count(), count(abandoned))
        .join(Queue, col(Queue.id) == Call.queue_id)
        .where(col(Call.entered_at) >= period.since, col(Call.entered_at) < period.until)
        .group_by(col(Call.queue_id), bucket)
    )
    return [(queue, hour, offered, lost) for queue, hour, offered, lost in session.execute(stmt)]


def _interval_seconds(
    session: Session,
    period: Period,
    tz: str,
    *,
    table: str,
    start: str,
    end: str,
    extra: str = "",
    size: int = HOUR,
) -> dict[int, int]:
    """Agent-seconds per local bucket of ``size`` seconds of the intervals of ``table`` within
    the period."""
    off = offset_case_sql("s", offsets(period, tz))
    sql = pieces_sql(table, start, end, extra, off, int(size))
    params = {"start": to_epoch(period.since), "stop": to_epoch(period.until)}
    return {h: int(seconds) for h, seconds in session.execute(text(sql), params)}


def agents_by_bucket(
    session: Session, period: Period, tz: str, *, size: int = HOUR, **where: str
) -> dict[int, float]:
    """Mean agents per local bucket of ``size`` seconds: the intervals of ``where``'s table
    in it (``table``, ``start``, ``end`` and ``extra`` as :func:`_interval_seconds` takes)."""
    seconds = _interval_seconds(session, period, tz, size=size, **where)
    return {bucket: total / size for bucket, total in seconds.items()}


def hourly_load(
    session: Session,
    period: Period,
    tz: str,
    *,
    now: datetime,
    queues: Iterable[QueueKpi],
    calls: list[tuple[int, int, int, int]] | None = None,
    staffing: tuple[dict[int, int], dict[int, int]] | None = None,
) -> Load:
    """Every local hour of the period with calls or staff, in time order. ``calls``: the
    period's (queue, local hour, offered, abandoned) when already counted (the interval
    statistics), else they are counted from the calls; ``staffing``: the agent-seconds per
    local hour on shift and in ended sessions when already counted, else they are counted
    from the shifts and sessions (open sessions are always counted here, up to ``now``)."""
    by_queue = {q.queue_id: q for q in queues if q.queue_id is not None}
    hours: dict[int, HourLoad] = {}

    def hour(bucket: int) -> HourLoad:
        if bucket not in hours:
            hours[bucket] = HourLoad(local_bucket_start(bucket, HOUR, tz))
        return hours[bucket]

    if calls is None:
        calls = _calls_per_hour(session, period, tz)
    for queue_id, bucket, offered, abandoned in calls:
        row = hour(bucket)
        row.offered += offered
        row.abandoned += abandoned
        kpi = by_queue[queue_id]
        row.needed += _needed(
            offered,
            round(kpi.aht_seconds or PLANNING_AHT_SECONDS),
            kpi.sl_threshold_seconds or 20,
            kpi.sl_target if kpi.sl_target is not None else 0.8,
        )
    now_s = int(to_epoch(now))
    if staffing is None:
        table, start, end, extra = SHIFTS
        shifts = _interval_seconds(
            session, period, tz, table=table, start=start, end=end, extra=extra
        )
        ended_session = ENDED_SESSIONS[3] + " AND ended_at IS NOT NULL"
        table, start, end, _ = ENDED_SESSIONS
        ended = _interval_seconds(
            session, period, tz, table=table, start=start, end=end, extra=ended_session
        )
    else:
        shifts, ended = staffing
    for bucket, seconds in shifts.items():
        hour(bucket).on_shift = seconds / HOUR
    table, start, _, extra = ENDED_SESSIONS
    still_open = _interval_seconds(
        session,
        period,
        tz,
        table=table,
        start=start,
        end=str(now_s),
        extra=extra + " AND ended_at IS NULL",
    )
    for bucket in set(ended) | set(still_open):
        hour(bucket).logged_in = (ended.get(bucket, 0) + still_open.get(bucket, 0)) / HOUR
    return Load([hours[b] for b in sorted(hours)])

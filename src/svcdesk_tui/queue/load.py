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
from svcdesk_tui.models import FIELD_ROLES, Call, Queue
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


NOT_FIELD = (
    "AND staff_id NOT IN (SELECT id FROM staff WHERE role IN ("
    + ", ".join(f"'{role.value}'" for role in FIELD_ROLES)
    + "))"
)
"""Field staff's shifts are not call-center staffing (:data:`FIELD_ROLES`)."""

_INTERVAL_HOURS = """
WITH RECURSIVE piece(s, e) AS (
  SELECT CASE WHEN {start} > :start THEN {start} ELSE :start END,
         CASE WHEN {end} < :stop THEN {end} ELSE :stop END
  FROM {table} WHERE {start} < :stop AND {end} > :start {extra}
  UNION ALL
  SELECT {next}, e FROM piece WHERE {next} < e
)
SELECT (s + {off}) / {size} AS h, SUM(CASE WHEN {next} < e THEN {next} ELSE e END - s)
FROM piece GROUP BY h
"""


def agents_by_bucket(
    session: Session,
    period: Period,
    tz: str,
    *,
    table: str,
    start: str,
    end: str,
    extra: str = "",
    size: int = HOUR,
) -> dict[int, float]:
    """Mean agents per local bucket of ``size`` seconds: the intervals of ``table`` in it."""
    off = offset_case_sql("s", offsets(period, tz))
    sql = _INTERVAL_HOURS.format(
        table=table,
        start=start,
        end=end,
        extra=extra,
        off=off,
        size=int(size),
        next=f"(((s + {off}) / {int(size)} + 1) * {int(size)} - {off})",
    )
    params = {"start": to_epoch(period.since), "stop": to_epoch(period.until)}
    return {h: seconds / size for h, seconds in session.execute(text(sql), params)}


def hourly_load(
    session: Session, period: Period, tz: str, *, now: datetime, queues: Iterable[QueueKpi]
) -> Load:
    """Every local hour of the period with calls or staff, in time order."""
    by_queue = {q.queue_id: q for q in queues if q.queue_id is not None}
    hours: dict[int, HourLoad] = {}

    def hour(bucket: int) -> HourLoad:
        if bucket not in hours:
            hours[bucket] = HourLoad(local_bucket_start(bucket, HOUR, tz))
        return hours[bucket]

    for queue_id, bucket, offered, abandoned in _calls_per_hour(session, period, tz):
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
    shifts = agents_by_bucket(
        session, period, tz, table="shift", start="starts_at", end="ends_at", extra=NOT_FIELD
    )
    for bucket, agents in shifts.items():
        hour(bucket).on_shift = agents
    now_s = int(to_epoch(now))
    sessions = agents_by_bucket(
        session,
        period,
        tz,
        table="presence_log",
        start="started_at",
        end=f"COALESCE(ended_at, {now_s})",
        extra="AND kind = 'session'",
    )
    for bucket, agents in sessions.items():
        hour(bucket).logged_in = agents
    return Load([hours[b] for b in sorted(hours)])

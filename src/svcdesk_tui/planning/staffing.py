"""Agents needed per interval (Erlang C and Erlang A), shifts against the need, and the gaps.

Per queue and interval: the forecast calls, the queue's AHT and its callers'
patience over the history the forecast learnt from, and its own service-level
target give the agents on the phone that Erlang C and Erlang A say it needs.
The shrinkage setting (breaks, training, meetings: the share of a shift not on
the phone) turns agents on the phone into agents to schedule. Shifts for a
queue are set against that queue's need; shifts for no queue in particular
against the need of every queue without shifts of its own ("all queues").
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from sqlmodel import Session

from svcdesk_tui.core.interval_sql import NOT_FIELD
from svcdesk_tui.core.periods import days_period, zone
from svcdesk_tui.planning.erlang_a import erlang_a, patience_seconds
from svcdesk_tui.planning.erlang_a import needs as erlang_a_needs_of
from svcdesk_tui.planning.forecast import Forecast, History, QueueInfo
from svcdesk_tui.planning.history import EPOCH_DAY, slots_per_day
from svcdesk_tui.queue.erlang import PLANNING_AHT_SECONDS
from svcdesk_tui.queue.erlang import agents_needed as erlang_c_needed
from svcdesk_tui.queue.load import agents_by_bucket

ALL_QUEUES = "all queues"
SESSIONS = "AND kind = 'session'"
SHORT_FROM = 0.5
"""An interval is short when the agents to schedule exceed those on shift by this much."""


@lru_cache(maxsize=16384)
def _c_needed(calls_per_hour: float, aht_s: float, threshold_s: int, target: float) -> int:
    return erlang_c_needed(calls_per_hour, aht_s=aht_s, threshold_s=threshold_s, target=target)


@dataclass(frozen=True)
class QueueTraits:
    """What a queue's history says about its calls."""

    queue: QueueInfo
    aht_s: float
    patience_s: float


def traits(history: History, queue: QueueInfo) -> QueueTraits:
    handled = handle = abandons = waited = 0
    for slots in history.stats.get(queue.id, {}).values():
        for s in slots:
            if s is not None:
                handled += s.handled
                handle += s.handle_seconds
                abandons += s.abandoned
                waited += s.waited_seconds
    aht = handle / handled if handled else PLANNING_AHT_SECONDS
    return QueueTraits(queue, round(aht), round(patience_seconds(waited, abandons)))


@dataclass(frozen=True)
class IntervalNeed:
    queue_id: int
    day: date
    slot: int
    calls: float
    erlang_c: int
    erlang_a: int
    occupancy: float
    """Erlang A's occupancy of the agents it needs."""
    service_level: float
    """Erlang A's service level with the agents it needs."""
    to_schedule: int
    """Erlang A's agents with shrinkage on top: agents on shift this queue alone needs."""


def per_hour(calls: float, interval_minutes: int) -> float:
    """An interval's calls as the hourly rate the Erlang models are asked about."""
    return round(calls * 60 / interval_minutes, 1)


def erlang_a_needs(t: QueueTraits, rates: Iterable[float]) -> dict[float, int]:
    """Erlang A's agents on the phone for each hourly rate of the queue's calls."""
    q = t.queue
    return erlang_a_needs_of(
        rates,
        aht_s=t.aht_s,
        patience_s=t.patience_s,
        threshold_s=q.sl_threshold_seconds,
        target=q.sl_target,
    )


def need(
    t: QueueTraits,
    calls: float,
    interval_minutes: int,
    shrinkage: float,
    known: Mapping[float, int] | None = None,
) -> tuple[int, int, float, float, int]:
    """(Erlang C agents, Erlang A agents, occupancy, service level, agents to schedule);
    ``known``: Erlang A's agents per hourly rate, worked out already (:func:`erlang_a_needs`)."""
    rate = per_hour(calls, interval_minutes)
    if rate <= 0:
        return 0, 0, 0.0, 1.0, 0
    q = t.queue
    c = _c_needed(rate, t.aht_s, q.sl_threshold_seconds, q.sl_target)
    a = known[rate] if known is not None and rate in known else erlang_a_needs(t, [rate])[rate]
    figures = erlang_a(a, rate, t.aht_s, t.patience_s, q.sl_threshold_seconds)
    return c, a, figures.occupancy, figures.service_level, math.ceil(a / (1 - shrinkage) - 1e-9)


@dataclass(frozen=True)
class Gap:
    """A run of intervals of one day where a pool of agents is short."""

    pool: str
    start: datetime
    end: datetime
    short_by: int

    def words(self) -> str:
        return (
            f"{self.start:%A %Y-%m-%d} {self.start:%H:%M}–{self.end:%H:%M} "
            f"short by {self.short_by} in {self.pool}"
        )


@dataclass
class Pool:
    """Agents on shift for some queues, against those queues' need, per (day, slot)."""

    name: str
    queue_ids: list[int]
    scheduled: dict[tuple[date, int], float] = field(default_factory=dict)
    needed: dict[tuple[date, int], int] = field(default_factory=dict)
    """Erlang A's agents of the pool's queues together, with shrinkage on top."""


@dataclass
class StaffingPlan:
    forecast: Forecast
    shrinkage: float
    traits: dict[int, QueueTraits]
    intervals: list[IntervalNeed]
    pools: list[Pool]
    gaps: list[Gap]


def slot_start(day: date, slot: int, interval_minutes: int, tz: str) -> datetime:
    naive = datetime.combine(day, datetime.min.time()) + timedelta(minutes=slot * interval_minutes)
    return naive.replace(tzinfo=zone(tz))


def _agents(
    session: Session, first: date, after: date, tz: str, interval_minutes: int, **what: str
) -> dict[tuple[date, int], float]:
    """Mean agents per (local day, slot) of the intervals ``what`` names (table, start, end)."""
    per_day = slots_per_day(interval_minutes)
    rows = agents_by_bucket(
        session, days_period(first, after, tz), tz, size=interval_minutes * 60, **what
    )
    return {
        (EPOCH_DAY + timedelta(days=bucket // per_day), bucket % per_day): agents
        for bucket, agents in rows.items()
    }


def on_shift(
    session: Session, first: date, after: date, tz: str, interval_minutes: int, extra: str
) -> dict[tuple[date, int], float]:
    """Mean agents on shift per (local day, slot); ``extra`` narrows the shifts (SQL)."""
    where = (session, first, after, tz, interval_minutes)
    return _agents(*where, table="shift", start="starts_at", end="ends_at", extra=NOT_FIELD + extra)


def logged_in(
    session: Session, first: date, after: date, tz: str, interval_minutes: int, *, now: datetime
) -> dict[tuple[date, int], float]:
    """Mean agents logged in per (local day, slot) (an open session runs until ``now``)."""
    until = f"COALESCE(ended_at, {int(now.timestamp())})"
    where = (session, first, after, tz, interval_minutes)
    return _agents(*where, table="presence_log", start="started_at", end=until, extra=SESSIONS)


def _dedicated(session: Session, first: date, after: date, tz: str) -> set[int]:
    from sqlalchemy import text

    period = days_period(first, after, tz)
    rows = session.execute(
        text(
            "SELECT DISTINCT queue_id FROM shift WHERE queue_id IS NOT NULL "
            "AND starts_at < :stop AND ends_at > :start"
        ),
        {"start": int(period.since.timestamp()), "stop": int(period.until.timestamp())},
    )
    return {int(r[0]) for r in rows}


def plan_staffing(
    session: Session, forecast: Forecast, *, tz: str, shrinkage: float
) -> StaffingPlan:
    """The need of every forecast interval, the shifts against it, and the gaps in words."""
    minutes = forecast.interval_minutes
    by_queue = {q.id: traits(forecast.history, q) for q in forecast.queues}
    rates: dict[int, set[float]] = {}
    for (queue_id, _), calls in forecast.calls.items():
        rates.setdefault(queue_id, set()).update(per_hour(c, minutes) for c in calls if c > 0)
    known = {q: erlang_a_needs(by_queue[q], found) for q, found in rates.items()}
    intervals = []
    for (queue_id, day), calls in sorted(
        forecast.calls.items(), key=lambda kv: (kv[0][1], kv[0][0])
    ):
        for slot, expected in enumerate(calls):
            if expected <= 0:
                continue
            t = by_queue[queue_id]
            c, a, occupancy, sl, schedule = need(t, expected, minutes, shrinkage, known[queue_id])
            intervals.append(
                IntervalNeed(queue_id, day, slot, expected, c, a, occupancy, sl, schedule)
            )
    first, after = forecast.days[0], forecast.days[-1] + timedelta(days=1)
    dedicated = _dedicated(session, first, after, tz) & set(by_queue)
    pools = [
        Pool(
            by_queue[q].queue.name,
            [q],
            on_shift(session, first, after, tz, minutes, f" AND queue_id = {int(q)}"),
        )
        for q in sorted(dedicated)
    ]
    rest = [q for q in by_queue if q not in dedicated]
    if rest:
        pools.append(
            Pool(
                _pool_name([by_queue[q].queue.name for q in rest], every=not dedicated),
                rest,
                on_shift(session, first, after, tz, minutes, " AND queue_id IS NULL"),
            )
        )
    owner = {q: pool for pool in pools for q in pool.queue_ids}
    on_phone: dict[tuple[str, date, int], int] = {}
    for row in intervals:
        key = (owner[row.queue_id].name, row.day, row.slot)
        on_phone[key] = on_phone.get(key, 0) + row.erlang_a
    for (name, day, slot), agents in on_phone.items():
        pool = next(p for p in pools if p.name == name)
        pool.needed[(day, slot)] = math.ceil(agents / (1 - shrinkage) - 1e-9)
    gaps = [gap for pool in pools for gap in _gaps(pool, forecast.days, minutes, tz)]
    gaps.sort(key=lambda g: (g.start, g.pool))
    return StaffingPlan(forecast, shrinkage, by_queue, intervals, pools, gaps)


def _pool_name(names: list[str], *, every: bool) -> str:
    """What the shifts of no queue in particular cover: one queue, some, or all."""
    if len(names) == 1:
        return names[0]
    return ALL_QUEUES if every else " and ".join([", ".join(names[:-1]), names[-1]])


def _gaps(pool: Pool, days: list[date], minutes: int, tz: str) -> list[Gap]:
    gaps = []
    for day in days:
        run: list[int] = []
        worst = 0
        for slot in range(slots_per_day(minutes) + 1):
            short = pool.needed.get((day, slot), 0) - pool.scheduled.get((day, slot), 0.0)
            if slot < slots_per_day(minutes) and short >= SHORT_FROM:
                run.append(slot)
                worst = max(worst, math.ceil(short - 1e-9))
                continue
            if run:
                gaps.append(
                    Gap(
                        pool.name,
                        slot_start(day, run[0], minutes, tz),
                        slot_start(day, run[-1] + 1, minutes, tz),
                        worst,
                    )
                )
                run, worst = [], 0
    return gaps

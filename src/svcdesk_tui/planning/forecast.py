"""The forecast of offered calls per queue and interval, and how good it has been.

:func:`forecast` reads the history once (:mod:`.history`) and applies the method
of :mod:`.method` to each queue and day. Days the center marks exceptional
(:mod:`.exceptional`) are left out of the history; a forecast day that is itself
exceptional is the ordinary forecast times the ratio the past days of its kind
showed to their own ordinary forecast (1 when there were none).

:func:`backtest` forecasts each past day from the history before it and sets the
error (wMAPE) beside the Poisson floor: what chance alone leaves to a perfect
forecast of the same volume.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session, col, select

from svcdesk_tui.core import rates
from svcdesk_tui.models import Queue
from svcdesk_tui.planning.exceptional import exceptional_days
from svcdesk_tui.planning.history import IntervalStats, by_interval, slots_per_day
from svcdesk_tui.planning.method import DEFAULT_WEEKS, PROFILE_WEEKS, forecast_day, poisson_mad

MAX_DAYS = 14
KIND_LOOKBACK_DAYS = 366
"""How far back past exceptional days of a kind are looked for."""


@dataclass
class History:
    """Per queue, per day, the intervals' stats, as read once for a forecast or a backtest."""

    interval_minutes: int
    first: date
    """The first day of the read (the center's history may begin later: see :attr:`opened`)."""
    stats: dict[int, dict[date, list[IntervalStats | None]]] = field(default_factory=dict)
    opened: date | None = None
    """The first day with any call: days before it are no history."""

    def counts(self, queue_id: int) -> dict[date, list[int]]:
        return {
            day: [s.offered if s else 0 for s in slots]
            for day, slots in self.stats.get(queue_id, {}).items()
        }


def read_history(
    session: Session,
    *,
    queue_id: int | None,
    start: date,
    end: date,
    tz: str,
    interval_minutes: int,
) -> History:
    per_day = slots_per_day(interval_minutes)
    history = History(interval_minutes, start)
    for row in by_interval(
        session, queue_id=queue_id, start=start, end=end, tz=tz, interval_minutes=interval_minutes
    ):
        days = history.stats.setdefault(row.queue_id, {})
        days.setdefault(row.day, [None] * per_day)[row.slot] = row
        if history.opened is None or row.day < history.opened:
            history.opened = row.day
    return history


@dataclass(frozen=True)
class QueueInfo:
    id: int
    name: str
    sl_threshold_seconds: int
    sl_target: float


def queues(session: Session, queue_id: int | None = None) -> list[QueueInfo]:
    stmt = select(Queue).order_by(col(Queue.name))
    if queue_id is not None:
        stmt = stmt.where(col(Queue.id) == queue_id)
    return [
        QueueInfo(q.id, q.name, q.sl_threshold_seconds, q.sl_target)  # type: ignore[arg-type]
        for q in session.exec(stmt)
    ]


@dataclass
class Forecast:
    """Expected offered calls per queue, day and interval."""

    interval_minutes: int
    days: list[date]
    queues: list[QueueInfo]
    calls: dict[tuple[int, date], list[float]]
    exceptional: dict[date, str]
    history: History
    notes: list[str] = field(default_factory=list)

    def day_total(self, day: date, queue_id: int | None = None) -> float:
        return sum(sum(self.calls[(q.id, day)]) for q in self.queues if queue_id in (None, q.id))


def forecast(
    session: Session,
    *,
    tz: str,
    start: date,
    days: int = 7,
    queue_id: int | None = None,
    weeks: int = DEFAULT_WEEKS,
    interval_minutes: int = 15,
) -> Forecast:
    """Offered calls per interval for ``days`` days from ``start``, learnt from before ``start``."""
    marked = exceptional_days(session)
    targets = [start + timedelta(days=i) for i in range(days)]
    kinds = {marked[d] for d in targets if d in marked}
    past_kind_days = [d for d, k in marked.items() if k in kinds and d < start]
    read_from = start - timedelta(weeks=max(weeks, PROFILE_WEEKS) + 2)
    if past_kind_days:
        read_from = min(read_from, max(min(past_kind_days), start - timedelta(KIND_LOOKBACK_DAYS)))
        read_from -= timedelta(weeks=weeks)
    history = read_history(
        session,
        queue_id=queue_id,
        start=read_from,
        end=start,
        tz=tz,
        interval_minutes=interval_minutes,
    )
    slots = slots_per_day(interval_minutes)
    skip = set(marked)
    first = history.opened or start
    chosen = queues(session, queue_id)
    result = Forecast(
        interval_minutes,
        targets,
        chosen,
        {},
        {d: marked[d] for d in targets if d in marked},
        history,
    )
    ratios = {
        kind: _kind_ratio(history, chosen, marked, kind, start=start, weeks=weeks) for kind in kinds
    }
    for kind, ratio in ratios.items():
        if ratio is None:
            result.notes.append(
                f"no {kind} day before: the {kind} days ahead are forecast as ordinary days"
            )
    for q in chosen:
        counts = history.counts(q.id)
        for target in targets:
            calls = forecast_day(
                counts, target, origin=start, first=first, slots=slots, weeks=weeks, skip=skip
            )
            ratio = ratios.get(marked.get(target, ""))
            if target in marked and ratio is not None:
                calls = [c * ratio for c in calls]
            result.calls[(q.id, target)] = calls
    return result


def _kind_ratio(
    history: History,
    chosen: list[QueueInfo],
    marked: dict[date, str],
    kind: str,
    *,
    start: date,
    weeks: int,
) -> float | None:
    """Calls on past days of ``kind`` ÷ their ordinary forecast, over all of them."""
    first = history.opened
    if first is None:
        return None
    slots = slots_per_day(history.interval_minutes)
    skip = set(marked)
    actual = expected = 0.0
    for day, day_kind in marked.items():
        if day_kind != kind or not first <= day < start:
            continue
        for q in chosen:
            counts = history.counts(q.id)
            actual += sum(counts.get(day, ()))
            expected += sum(
                forecast_day(
                    counts, day, origin=day, first=first, slots=slots, weeks=weeks, skip=skip
                )
            )
    return rates.share(actual, expected)


@dataclass(frozen=True)
class BacktestDay:
    day: date
    forecast: float
    actual: int
    interval_error: float
    """Σ |forecast − actual| over the day's queues and intervals."""
    interval_floor: float
    """Σ of the Poisson floor over the day's queues and intervals."""

    @property
    def error(self) -> float | None:
        return rates.share(abs(self.forecast - self.actual), self.actual)


@dataclass
class Backtest:
    interval_minutes: int
    days: list[BacktestDay] = field(default_factory=list)
    skipped: list[date] = field(default_factory=list)

    @property
    def actual(self) -> int:
        return sum(d.actual for d in self.days)

    @property
    def daily_wmape(self) -> float | None:
        """Σ |day forecast − day actual| ÷ Σ actual (the center's day, all chosen queues)."""
        return rates.share(sum(abs(d.forecast - d.actual) for d in self.days), self.actual)

    @property
    def daily_floor(self) -> float | None:
        return rates.share(sum(poisson_mad(d.forecast) for d in self.days), self.actual)

    @property
    def interval_wmape(self) -> float | None:
        """Σ |interval forecast − actual| ÷ Σ actual, per queue and interval."""
        return rates.share(sum(d.interval_error for d in self.days), self.actual)

    @property
    def interval_floor(self) -> float | None:
        return rates.share(sum(d.interval_floor for d in self.days), self.actual)

    @property
    def floor_ratio(self) -> float | None:
        wmape, floor = self.interval_wmape, self.interval_floor
        return None if wmape is None or not floor else wmape / floor


def backtest(
    session: Session,
    *,
    tz: str,
    today: date,
    weeks_back: int,
    queue_id: int | None = None,
    weeks: int = DEFAULT_WEEKS,
    interval_minutes: int = 15,
) -> Backtest:
    """Forecast each day of the ``weeks_back`` weeks before ``today`` from the days before it."""
    marked = exceptional_days(session)
    first_test = today - timedelta(weeks=weeks_back)
    history = read_history(
        session,
        queue_id=queue_id,
        start=first_test - timedelta(weeks=max(weeks, PROFILE_WEEKS) + 1),
        end=today,
        tz=tz,
        interval_minutes=interval_minutes,
    )
    result = Backtest(interval_minutes)
    if history.opened is None:
        return result
    slots = slots_per_day(interval_minutes)
    skip = set(marked)
    chosen = queues(session, queue_id)
    counts = {q.id: history.counts(q.id) for q in chosen}
    for i in range(weeks_back * 7):
        day = first_test + timedelta(days=i)
        if day in skip or day - timedelta(weeks=1) < history.opened:
            result.skipped.append(day)
            continue
        predicted = actual = 0.0
        error = floor = 0.0
        for q in chosen:
            got = counts[q.id].get(day, [0] * slots)
            expected = forecast_day(
                counts[q.id],
                day,
                origin=day,
                first=history.opened,
                slots=slots,
                weeks=weeks,
                skip=skip,
            )
            predicted += sum(expected)
            actual += sum(got)
            error += sum(abs(f - a) for f, a in zip(expected, got, strict=True))
            floor += sum(poisson_mad(f) for f in expected)
        result.days.append(BacktestDay(day, predicted, int(actual), error, floor))
    return result


def daily_totals(forecast_: Forecast) -> dict[tuple[int, date], float]:
    """Expected calls per queue and day."""
    totals: dict[tuple[int, date], float] = defaultdict(float)
    for key, calls in forecast_.calls.items():
        totals[key] += sum(calls)
    return dict(totals)

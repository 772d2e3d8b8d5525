"""The forecast's method, on counts already read: same weekday over recent weeks, with trend.

A day's calls are its level times its shape:

- **trend**: one slope in log volume per day, fitted over every day of the last
  ``PROFILE_WEEKS`` weeks against its own weekday's mean, and used only when it
  stands clear of the noise (more than three times its standard error).
- **weekday profile**: each weekday's mean total over those weeks (moved along
  the trend to one date), relative to the mean weekday.
- **level**: the mean of the last ``weeks`` weeks' days, each divided by its
  weekday's profile (so every recent day counts, not only the same weekday),
  times the target weekday's profile, moved along the trend to the target day.
- **shape**: each interval's share of the same weekday's calls over the last
  ``PROFILE_WEEKS`` weeks.

Days marked exceptional are left out of both, and so is a same weekday that
stands far out from the others (an outage nobody marked): more than
``OUTLIER_SPREAD`` robust deviations (1.4826 × the median absolute deviation,
at least the Poisson spread √median) from their median. Pure Python on small
lists: the counting is done in SQL (:mod:`.history`).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Collection, Mapping, Sequence
from datetime import date, timedelta

DEFAULT_WEEKS = 8
PROFILE_WEEKS = 16
"""Weeks the weekday profile, the trend and the intervals' shape are learnt from."""
"""Weeks of history a forecast's level is learnt from."""
OUTLIER_SPREAD = 4.0
"""A same weekday this many robust deviations from the median is left out as unusual."""
TREND_SIGNIFICANCE = 3.0
"""A slope is used only when it is more than this many standard errors from zero: at two,
one flat history in twenty shows a trend that is only noise, and the forecast follows it."""

Counts = Mapping[date, Sequence[int]]
"""One queue's calls per interval, by local day (a day with no calls may be absent)."""


def _total(counts: Counts, day: date) -> int:
    return sum(counts.get(day, ()))


def history_days(
    target: date, *, origin: date, first: date, weeks: int, skip: Collection[date]
) -> list[date]:
    """The days of the window before ``origin`` that a forecast of ``target`` learns from."""
    start = max(first, origin - timedelta(weeks=weeks))
    return [
        start + timedelta(days=i)
        for i in range((origin - start).days)
        if start + timedelta(days=i) not in skip
    ]


def usual(counts: Counts, days: Sequence[date]) -> list[date]:
    """``days`` less those whose total stands far out from the others of the same weekday."""
    by_weekday: dict[int, list[date]] = {}
    for day in days:
        by_weekday.setdefault(day.weekday(), []).append(day)
    unusual: set[date] = set()
    for same in by_weekday.values():
        if len(same) < 4:
            continue
        totals = {day: _total(counts, day) for day in same}
        middle = statistics.median(totals.values())
        spread = max(
            1.4826 * statistics.median(abs(t - middle) for t in totals.values()),
            math.sqrt(middle),
        )
        unusual |= {d for d, t in totals.items() if abs(t - middle) > OUTLIER_SPREAD * spread}
    return [day for day in days if day not in unusual]


def slope(counts: Counts, days: Sequence[date]) -> float:
    """Daily growth in log volume over ``days``, each against its weekday's mean; 0 if noise."""
    groups: dict[int, list[tuple[float, float]]] = {}
    for day in days:
        groups.setdefault(day.weekday(), []).append(
            (float(day.toordinal()), math.log(_total(counts, day) + 1.0))
        )
    sxx = sxy = 0.0
    used = 0
    centred: list[tuple[float, float]] = []
    for points in groups.values():
        if len(points) < 2:
            continue
        t_mean = sum(t for t, _ in points) / len(points)
        y_mean = sum(y for _, y in points) / len(points)
        for t, y in points:
            centred.append((t - t_mean, y - y_mean))
        used += 1
    for t, y in centred:
        sxx += t * t
        sxy += t * y
    freedom = len(centred) - used - 1
    if sxx == 0 or freedom < 2:
        return 0.0
    b = sxy / sxx
    residual = sum((y - b * t) ** 2 for t, y in centred) / freedom
    standard_error = math.sqrt(residual / sxx)
    return b if abs(b) > TREND_SIGNIFICANCE * standard_error else 0.0


def forecast_day(
    counts: Counts,
    target: date,
    *,
    origin: date,
    first: date,
    slots: int,
    weeks: int = DEFAULT_WEEKS,
    skip: Collection[date] = (),
) -> list[float]:
    """Expected calls per interval on ``target`` from the days before ``origin``."""
    span = max(weeks, PROFILE_WEEKS)
    long = usual(counts, history_days(target, origin=origin, first=first, weeks=span, skip=skip))
    same = [day for day in long if day.weekday() == target.weekday()]
    if not same:
        return [0.0] * slots
    shape = [0] * slots
    for day in same:
        for slot, calls in enumerate(counts.get(day, ())):
            shape[slot] += calls
    grand = sum(shape)
    if grand == 0:
        return [0.0] * slots
    growth = slope(counts, long)

    def at_origin(day: date) -> float:  # the day's total moved along the trend to the origin
        return _total(counts, day) * math.exp(growth * (origin.toordinal() - day.toordinal()))

    totals: dict[int, list[float]] = {}
    for day in long:
        totals.setdefault(day.weekday(), []).append(at_origin(day))
    means = {w: sum(t) / len(t) for w, t in totals.items()}
    overall = sum(means.values()) / len(means)
    recent_start = origin - timedelta(weeks=weeks)
    recent = [d for d in long if d >= recent_start and means[d.weekday()] > 0]
    if not recent or not overall:
        return [0.0] * slots
    level = sum(at_origin(d) * overall / means[d.weekday()] for d in recent) / len(recent)
    level *= means[target.weekday()] / overall
    level *= math.exp(growth * (target.toordinal() - origin.toordinal()))
    return [level * calls / grand for calls in shape]


def poisson_mad(mean: float) -> float:
    """E|X − mean| for X ~ Poisson(mean): the error chance alone leaves a perfect forecast.

    Closed form: 2·e^(−λ)·λ^(⌊λ⌋+1)/⌊λ⌋!.
    """
    if mean <= 0:
        return 0.0
    k = math.floor(mean)
    return 2.0 * math.exp((k + 1) * math.log(mean) - mean - math.lgamma(k + 1))

"""A center whose call history has a known shape, written in one transaction."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert

from svcdesk_tui.core.clock import to_epoch
from svcdesk_tui.core.intervals import count_range
from svcdesk_tui.models import Call, CallState

from .builders import Center

SHAPE = {8: 0.10, 9: 0.20, 10: 0.25, 11: 0.15, 13: 0.10, 14: 0.12, 15: 0.08}
"""Share of a day's calls per hour (UTC center): sums to 1."""
WEEKDAY = (200, 180, 170, 160, 150, 60, 0)
"""Calls on a Monday … Sunday of the first week."""


def write_history(
    center: Center,
    queue_id: int,
    first: date,
    days: int,
    *,
    level: Callable[[date], float],
    poisson: random.Random | None = None,
) -> None:
    """Calls per hour = level(day) × SHAPE[hour], spread evenly over the hour (or Poisson)."""
    rows = []
    for i in range(days):
        day = first + timedelta(days=i)
        for hour, share in SHAPE.items():
            mean = level(day) * share
            start = datetime.combine(day, time(hour), UTC)
            if poisson:  # Poisson counts in each quarter hour
                times = [
                    start + timedelta(minutes=15 * q, seconds=k)
                    for q in range(4)
                    for k in range(_poisson(poisson, mean / 4))
                ]
            else:  # exactly the mean, evenly spread
                n = round(mean)
                times = [start + timedelta(seconds=int(3600 * (k + 0.5) / n)) for k in range(n)]
            for at in times:
                rows.append(
                    {
                        "queue_id": queue_id,
                        "state": CallState.COMPLETED,
                        "entered_at": at,
                        "answered_at": at + timedelta(seconds=10),
                        "wait_seconds": 10,
                        "talk_seconds": 200,
                        "wrap_seconds": 40,
                        "priority": 0,
                        "source": "manual",
                    }
                )
    with center.db.write() as session:
        session.execute(insert(Call), rows)
        if rows:  # a bulk writer counts what it wrote into the interval statistics
            entered = [to_epoch(row["entered_at"]) for row in rows]
            count_range(session.connection(), min(entered), max(entered) + 1, None)


def _poisson(rng: random.Random, mean: float) -> int:
    n, total = 0, rng.expovariate(1.0)
    while total < mean:
        n += 1
        total += rng.expovariate(1.0)
    return n

"""Time arithmetic inside SQL: raw epoch seconds, interval overlap, local hours and days.

Timestamps are stored as epoch seconds (models/types.py), so buckets are integer
division. The center's time zone is applied in SQL as a CASE over the few UTC
offsets the zone uses within the period (daylight saving changes included).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Integer, and_, case, literal, type_coerce

from svcdesk_tui.core.clock import to_epoch
from svcdesk_tui.core.periods import Period, zone

HOUR = 3600
DAY = 86400


def epoch(column: Any) -> Any:
    """A timestamp column as its stored epoch seconds (no per-row conversion)."""
    return type_coerce(column, Integer)


def seconds_since(column: Any, now_s: int) -> Any:
    """``now - column`` (epoch seconds) in whole seconds, never negative (process clocks differ)."""
    return case((column > now_s, 0), else_=now_s - column)


def least(a: Any, b: Any) -> Any:
    return case((a < b, a), else_=b)


def greatest(a: Any, b: Any) -> Any:
    return case((a > b, a), else_=b)


def offsets(period: Period, tz: str) -> list[tuple[int, int]]:
    """``(from_epoch, utc_offset_seconds)`` for each stretch of the period with one offset."""
    return list(_offsets(period, tz))


@lru_cache(maxsize=64)
def _offsets(period: Period, tz: str) -> tuple[tuple[int, int], ...]:
    """:func:`offsets`, worked out once per period and zone (a year probes 8,760 hours)."""
    tzinfo = zone(tz)

    def offset_at(seconds: int) -> int:
        moment = datetime.fromtimestamp(seconds, UTC).astimezone(tzinfo)
        return int(moment.utcoffset().total_seconds())  # type: ignore[union-attr]

    start, end = to_epoch(period.since), to_epoch(period.until)
    stretches = [(start, offset_at(start))]
    step = int(timedelta(hours=1).total_seconds())
    probe = start
    while probe < end:
        nxt = min(probe + step, end)
        if offset_at(nxt) != stretches[-1][1]:
            low, high = probe, nxt  # the change lies in (low, high]: find its second
            while high - low > 1:
                mid = (low + high) // 2
                if offset_at(mid) == stretches[-1][1]:
                    low = mid
                else:
                    high = mid
            stretches.append((high, offset_at(high)))
        probe = nxt
    return tuple(stretches)


def local_epoch(seconds: Any, period: Period, tz: str) -> Any:
    """SQL for epoch seconds shifted to the center's wall clock (for hour and day buckets)."""
    stretches = offsets(period, tz)
    if len(stretches) == 1:
        return seconds + literal(stretches[0][1])
    whens = [
        (seconds < start, literal(off))
        for (start, _), (_, off) in zip(stretches[1:], stretches, strict=False)
    ]
    return seconds + case(*whens, else_=literal(stretches[-1][1]))


def offset_case_sql(column_sql: str, stretches: list[tuple[int, int]]) -> str:
    """The same offset as a plain-SQL CASE (for text() queries); all parts are integers."""
    if len(stretches) == 1:
        return str(int(stretches[0][1]))
    whens = " ".join(
        f"WHEN {column_sql} < {int(start)} THEN {int(off)}"
        for (start, _), (_, off) in zip(stretches[1:], stretches, strict=False)
    )
    return f"(CASE {whens} ELSE {int(stretches[-1][1])} END)"


def local_bucket_start(bucket: int, size: int, tz: str) -> datetime:
    """The aware local datetime at which a local-epoch bucket begins."""
    naive = datetime(1970, 1, 1) + timedelta(seconds=bucket * size)
    return naive.replace(tzinfo=zone(tz))


def within(column: Any, period: Period) -> ColumnElement[bool]:
    """A WHERE clause: the timestamp ``column`` (or its epoch seconds) lies in the period."""
    seconds = epoch(column)
    return and_(seconds >= to_epoch(period.since), seconds < to_epoch(period.until))

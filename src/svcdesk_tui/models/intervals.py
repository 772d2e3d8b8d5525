"""Statistics kept beside the calls so that reports over long periods add up a few rows
instead of reading every call: per queue and 15-minute interval, and per UTC day for the
handled calls by agent and by contact reason (kept by ``core/intervals.py``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, String
from sqlmodel import Field, SQLModel

from svcdesk_tui.models.types import UtcTimestamp

INTERVAL_SECONDS = 900
"""The grain of :class:`IntervalStat` rows: 15 minutes, which every interval length of the
``interval_minutes`` setting (15, 30, 60) and every time zone's UTC offset is made of."""


class IntervalStat(SQLModel, table=True):
    """The calls of one queue that entered in one 15-minute interval, counted as
    ``queue.measures.queue_kpis`` counts them, with the queue's thresholds used."""

    __tablename__ = "interval_stat"

    queue_id: int = Field(foreign_key="queue.id", primary_key=True)
    starts_at: datetime = Field(sa_type=UtcTimestamp, primary_key=True)
    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    short_abandons: int = 0
    answered_within_threshold: int = 0
    wait_seconds_answered: int = Field(default=0, sa_type=BigInteger)  # a sum of seconds
    handled: int = 0
    handle_seconds: int = Field(default=0, sa_type=BigInteger)  # a sum of seconds
    longest_wait_seconds: int = Field(default=0, sa_type=BigInteger)
    sl_threshold_seconds: int = 0
    short_abandon_seconds: int = 0
    wait_seconds_abandoned: int = Field(default=0, sa_type=BigInteger)  # a sum of seconds
    """Seconds waited by the abandons (short ones apart): with the answered calls' waits,
    the time callers' patience is estimated from."""


QUEUE_COUNTS = tuple(
    name
    for name in IntervalStat.model_fields
    if name
    not in (
        "queue_id",
        "starts_at",
        "sl_threshold_seconds",
        "short_abandon_seconds",
        "wait_seconds_abandoned",
    )
)
"""A queue's counts, in the order the queue measures select them: the columns of
:class:`IntervalStat` but its key, the thresholds it was counted with and the abandons'
waits (the planning's)."""


class HandledDayStat(SQLModel, table=True):
    """Handled calls that entered on one UTC day, per agent (``cut`` 'a') or per contact
    reason (``cut`` 'r'); ``key_id`` is the agent's or reason's id, 0 for none. FCR and
    repeat calls are counted with the window ``window_days``."""

    __tablename__ = "handled_day_stat"

    day: datetime = Field(sa_type=UtcTimestamp, primary_key=True)
    cut: str = Field(sa_type=String(1), primary_key=True)
    key_id: int = Field(primary_key=True)
    handled: int = 0
    handle_seconds: int = Field(default=0, sa_type=BigInteger)  # a sum of seconds
    fcr_base: int = 0
    fcr_resolved: int = 0
    repeat_base: int = 0
    repeats: int = 0
    window_days: int = 0
    first_agent_key: int = 0
    """The lowest agent id among the row's calls (0: one without an agent), so a report
    lists reasons of equal counts in the same order as when it grouped the calls."""


HANDLED_COUNTS = tuple(
    name
    for name in HandledDayStat.model_fields
    if name not in ("day", "cut", "key_id", "window_days", "first_agent_key")
)
"""The handled calls' counts of one FCR cell, in the order they are selected: the columns
of :class:`HandledDayStat` but its key, its window and its ordering key."""


class IntervalStaffing(SQLModel, table=True):
    """Agent-seconds in one 15-minute interval: of scheduled shifts (field staff left out)
    and of presence sessions that have ended (an open one is added when read)."""

    __tablename__ = "interval_staffing"

    starts_at: datetime = Field(sa_type=UtcTimestamp, primary_key=True)
    on_shift_seconds: int = 0
    logged_in_seconds: int = 0

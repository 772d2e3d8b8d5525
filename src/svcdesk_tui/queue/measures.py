"""The measures of DOMAIN.md, each defined once and computed in SQL.

Screens and reports call these functions, so they always show the same number.
Conventions (the established queue_log reporting tools count the same way):
a call belongs to the period in which it *entered* the queue; "within T" and
"within the short-abandon threshold" both include the threshold itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, select
from sqlmodel import Session

from svcdesk_tui.core.periods import Period
from svcdesk_tui.models import Call, CallState, Queue


@dataclass(frozen=True)
class QueueKpi:
    """Counts for one queue (or the total, ``queue_id`` None) over a period."""

    queue_id: int | None
    queue_name: str
    sl_threshold_seconds: int | None
    sl_target: float | None
    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    short_abandons: int = 0
    answered_within_threshold: int = 0
    wait_seconds_answered: int = 0
    handled: int = 0
    handle_seconds: int = 0
    longest_wait_seconds: int = 0

    @property
    def service_level(self) -> float | None:
        """Answered within T ÷ (answered + abandoned after the short-abandon threshold)."""
        base = self.answered + self.abandoned
        return self.answered_within_threshold / base if base else None

    @property
    def asa_seconds(self) -> float | None:
        """Mean wait of answered calls."""
        return self.wait_seconds_answered / self.answered if self.answered else None

    @property
    def aht_seconds(self) -> float | None:
        """Mean talk + wrap-up of handled (completed) calls."""
        return self.handle_seconds / self.handled if self.handled else None

    @property
    def abandon_rate(self) -> float | None:
        """Abandoned (not short) ÷ offered (not short)."""
        base = self.offered - self.short_abandons
        return self.abandoned / base if base else None

    @property
    def breached(self) -> bool:
        sl = self.service_level
        return self.sl_target is not None and sl is not None and sl < self.sl_target


SYSTEM_EXITS = ("timeout", "exitkey", "exitempty")
"""End reasons of unanswered calls that never count as short abandons (see docs/queue-log.md)."""


def short_abandon():  # type: ignore[no-untyped-def]
    """SQL condition (on ``call`` joined with its ``queue``): a short abandon, if abandoned.

    Only a caller hanging up can be a short abandon; a timeout, an exit on a key
    or on an empty queue is the center not answering, whatever the wait.
    """
    return and_(
        Call.wait_seconds <= Queue.short_abandon_seconds,  # type: ignore[operator]
        func.coalesce(Call.end_reason, "").not_in(SYSTEM_EXITS),
    )


def counted_abandon():  # type: ignore[no-untyped-def]
    """SQL condition: abandoned and not a short abandon (the abandons every rate counts)."""
    return and_(Call.state == CallState.ABANDONED, ~short_abandon())


def handle_seconds():  # type: ignore[no-untyped-def]
    """SQL value: a call's handle time, talk + wrap-up seconds (AHT is its mean)."""
    return func.coalesce(Call.talk_seconds, 0) + func.coalesce(Call.wrap_seconds, 0)


def queue_kpis(session: Session, period: Period) -> list[QueueKpi]:
    """One :class:`QueueKpi` per queue (quiet queues too, with zeros), then the total."""
    answered = Call.answered_at.is_not(None)  # type: ignore[union-attr]
    abandoned = Call.state == CallState.ABANDONED
    short = short_abandon()
    completed = Call.state == CallState.COMPLETED

    def count(condition):  # type: ignore[no-untyped-def]
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    def total(condition, value):  # type: ignore[no-untyped-def]
        return func.coalesce(func.sum(case((condition, value), else_=0)), 0)

    stmt = (
        select(
            Call.queue_id,
            func.count(Call.id),
            count(answered),
            count(and_(abandoned, ~short)),
            count(and_(abandoned, short)),
            count(and_(answered, Call.wait_seconds <= Queue.sl_threshold_seconds)),  # type: ignore[operator]
            total(answered, Call.wait_seconds),
            count(completed),
            total(completed, handle_seconds()),
            func.coalesce(func.max(Call.wait_seconds), 0),
        )
        .join(Queue, Queue.id == Call.queue_id)
        .where(Call.entered_at >= period.since, Call.entered_at < period.until)
        .group_by(Call.queue_id)
    )
    counts = {row[0]: row[1:] for row in session.execute(stmt)}
    queues = session.execute(
        select(Queue.id, Queue.name, Queue.sl_threshold_seconds, Queue.sl_target).order_by(
            Queue.name
        )
    )
    rows = [QueueKpi(*queue, *counts.get(queue[0], ())) for queue in queues]
    return [*rows, _total(rows)]


def _total(rows: list[QueueKpi]) -> QueueKpi:
    def add(name: str) -> int:
        return sum(getattr(row, name) for row in rows)

    return QueueKpi(
        queue_id=None,
        queue_name="All queues",
        sl_threshold_seconds=None,
        sl_target=None,
        offered=add("offered"),
        answered=add("answered"),
        abandoned=add("abandoned"),
        short_abandons=add("short_abandons"),
        answered_within_threshold=add("answered_within_threshold"),
        wait_seconds_answered=add("wait_seconds_answered"),
        handled=add("handled"),
        handle_seconds=add("handle_seconds"),
        longest_wait_seconds=max((row.longest_wait_seconds for row in rows), default=0),
    )

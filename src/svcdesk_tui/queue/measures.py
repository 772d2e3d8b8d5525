"""The queue measures (docs/measures.md, Offered to Abandon rate), counted in SQL; their ratios
come from :mod:`core.rates`.

Screens and reports call these functions, so they always show the same number.
Conventions (the established queue_log reporting tools count the same way):
a call belongs to the period in which it *entered* the queue; "within T" and
"within the short-abandon threshold" both include the threshold itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from svcdesk_tui.core import rates
from svcdesk_tui.core.periods import Period
from svcdesk_tui.core.sql import count, total
from svcdesk_tui.models import Call, CallState, Queue


@dataclass(frozen=True)
class QueueKpi(rates.HandledCounts):
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
    longest_wait_seconds: int = 0

    @property
    def service_level(self) -> float | None:
        return rates.service_level(self.answered_within_threshold, self.answered, self.abandoned)

    @property
    def asa_seconds(self) -> float | None:
        return rates.asa_seconds(self.wait_seconds_answered, self.answered)

    @property
    def abandon_rate(self) -> float | None:
        return rates.abandon_rate(self.abandoned, self.offered, self.short_abandons)

    @property
    def breached(self) -> bool:
        sl = self.service_level
        return self.sl_target is not None and sl is not None and sl < self.sl_target


SYSTEM_EXITS = ("timeout", "exitkey", "exitempty")
"""End reasons of unanswered calls that never count as short abandons (see docs/queue-log.md)."""


def short_abandon() -> ColumnElement[bool]:
    """SQL condition (on ``call`` joined with its ``queue``): a short abandon, if abandoned.

    Only a caller hanging up can be a short abandon; a timeout, an exit on a key
    or on an empty queue is the center not answering, whatever the wait.
    """
    return and_(
        col(Call.wait_seconds) <= Queue.short_abandon_seconds,
        func.coalesce(Call.end_reason, "").not_in(SYSTEM_EXITS),
    )


def counted_abandon() -> ColumnElement[bool]:
    """SQL condition: abandoned and not a short abandon (the abandons every rate counts)."""
    return and_(col(Call.state) == CallState.ABANDONED, ~short_abandon())


def handle_seconds() -> ColumnElement[int]:
    """SQL value: a call's handle time, talk + wrap-up seconds (AHT is its mean)."""
    return func.coalesce(Call.talk_seconds, 0) + func.coalesce(Call.wrap_seconds, 0)


QUEUE_COUNTS = (
    "offered",
    "answered",
    "abandoned",
    "short_abandons",
    "answered_within_threshold",
    "wait_seconds_answered",
    "handled",
    "handle_seconds",
    "longest_wait_seconds",
)
"""The counts of a queue, in the order :func:`queue_kpis` selects them."""


def queue_kpis(session: Session, period: Period) -> list[QueueKpi]:
    """One :class:`QueueKpi` per queue (quiet queues too, with zeros), then the total."""
    answered = col(Call.answered_at).is_not(None)
    abandoned = col(Call.state) == CallState.ABANDONED
    short = short_abandon()
    completed = col(Call.state) == CallState.COMPLETED

    stmt = (
        select(
            col(Call.queue_id),
            func.count(col(Call.id)),
            count(answered),
            count(and_(abandoned, ~short)),
            count(and_(abandoned, short)),
            count(and_(answered, col(Call.wait_seconds) <= Queue.sl_threshold_seconds)),
            total(answered, col(Call.wait_seconds)),
            count(completed),
            total(completed, handle_seconds()),
            func.coalesce(func.max(col(Call.wait_seconds)), 0),
        )
        .join(Queue, col(Queue.id) == Call.queue_id)
        .where(col(Call.entered_at) >= period.since, col(Call.entered_at) < period.until)
        .group_by(col(Call.queue_id))
    )
    counts = {row[0]: row[1:] for row in session.execute(stmt)}
    queues = session.execute(
        select(
            col(Queue.id), col(Queue.name), col(Queue.sl_threshold_seconds), col(Queue.sl_target)
        ).order_by(col(Queue.name))
    )
    quiet = (0,) * len(QUEUE_COUNTS)
    rows = [
        QueueKpi(*queue, **dict(zip(QUEUE_COUNTS, counts.get(queue[0], quiet), strict=True)))
        for queue in queues
    ]
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

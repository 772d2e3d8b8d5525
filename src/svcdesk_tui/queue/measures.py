"""The queue measures (docs/measures.md, Offered to Abandon rate), counted in SQL; their ratios
come from :mod:`core.rates`.

Screens and reports call these functions, so they always show the same number.
Conventions (the established queue_log reporting tools count the same way):
a call belongs to the period in which it *entered* the queue; "within T" and
"within the short-abandon threshold" both include the threshold itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from svcdesk_tui.core import rates
from svcdesk_tui.core.call_figures import (
    SYSTEM_EXITS,
    counted_abandon,
    handle_seconds,
    queue_figures,
    short_abandon,
)
from svcdesk_tui.core.periods import Period
from svcdesk_tui.models import Call, Queue
from svcdesk_tui.models.intervals import QUEUE_COUNTS

__all__ = [
    "SYSTEM_EXITS",
    "QueueKpi",
    "call_counts",
    "counted_abandon",
    "handle_seconds",
    "kpis_from_counts",
    "queue_kpis",
    "short_abandon",
]


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


def queue_kpis(session: Session, period: Period) -> list[QueueKpi]:
    """One :class:`QueueKpi` per queue (quiet queues too, with zeros), then the total."""
    return kpis_from_counts(session, call_counts(session, period))


def call_counts(session: Session, period: Period) -> dict[int, tuple[int, ...]]:
    """The figures of :class:`QueueKpi` (offered … longest wait) per queue id, from the calls
    that entered in the period."""
    stmt = (
        select(col(Call.queue_id), *queue_figures())
        .join(Queue, col(Queue.id) == Call.queue_id)
        .where(col(Call.entered_at) >= period.since, col(Call.entered_at) < period.until)
        .group_by(col(Call.queue_id))
    )
    return {row[0]: tuple(row[1:]) for row in session.execute(stmt)}


def kpis_from_counts(session: Session, counts: dict[int, tuple[int, ...]]) -> list[QueueKpi]:
    """:class:`QueueKpi` rows of every queue from its figures (:func:`call_counts`), then the
    total."""
    queues = session.execute(
        select(
            col(Queue.id), col(Queue.name), col(Queue.sl_threshold_seconds), col(Queue.sl_target)
        ).order_by(col(Queue.name))
    )
    quiet = (0,) * len(QUEUE_COUNTS)
    rows = [
        QueueKpi(
            queue_id=queue_id,
            queue_name=name,
            sl_threshold_seconds=threshold,
            sl_target=target,
            **dict(zip(QUEUE_COUNTS, counts.get(queue_id, quiet), strict=True)),
        )
        for queue_id, name, threshold, target in queues
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

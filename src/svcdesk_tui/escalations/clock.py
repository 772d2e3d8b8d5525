"""The ladder's clock: an escalation nobody accepted within its rung's response time
climbs one rung by itself.

Every open desk calls :func:`climb_if_due` on a timer, and cron runs
`svcdesk escalations tick`, so many processes may reach one overdue escalation at
the same moment. Each climb is a single conditional UPDATE (this escalation, on
the rung it was seen on, still waiting, still overdue); only the process whose
UPDATE changed the row writes the event and the audit row, so an escalation
climbs each rung once. Its new rung's clock starts when it arrives there, so one
tick climbs one rung. "Is anything due?" is one read on the ``ix_escalation_waiting``
index (state, rung, arrival), so idle desks cost almost nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, false, or_, select, update
from sqlmodel import Session, col

from svcdesk_tui.core.clock import to_epoch
from svcdesk_tui.core.db import Database
from svcdesk_tui.core.sqltime import epoch
from svcdesk_tui.escalations.ladder import EXECUTIVE_WARNING, EventKind, Ladder, ladder
from svcdesk_tui.escalations.transitions import record_climb, rows_hit, snapshot
from svcdesk_tui.models import Customer, Escalation, EscalationState


@dataclass(frozen=True)
class Climbed:
    """One escalation that climbed by itself because nobody accepted it in time."""

    escalation_id: int
    customer: str
    from_level: str
    to_level: str
    to_executive: bool
    waited_minutes: int

    def __str__(self) -> str:
        text = (
            f"escalation {self.escalation_id} ({self.customer}) climbed by itself from "
            f"{self.from_level} to {self.to_level}: not accepted in {self.waited_minutes} min"
        )
        return f"{text} — {EXECUTIVE_WARNING}" if self.to_executive else text


def _overdue_at(rank: int, rungs: Ladder, *, now: datetime) -> ColumnElement[bool]:
    """Still waiting on rung ``rank`` since its response time ago or longer."""
    cutoff = to_epoch(now) - rungs.get(rank).response_minutes * 60
    return and_(
        col(Escalation.state) == EscalationState.RAISED,
        col(Escalation.level_rank) == rank,
        epoch(Escalation.level_entered_at) <= cutoff,
    )


def _overdue(rungs: Ladder, *, now: datetime) -> ColumnElement[bool]:
    """Overdue on any rung below the top (the top has nowhere to climb: it shows as overdue)."""
    below_top = [level.rank for level in rungs.levels[:-1]]
    if not below_top:
        return false()
    return or_(*(_overdue_at(rank, rungs, now=now) for rank in below_top))


def any_overdue(session: Session, *, now: datetime) -> bool:
    """A cheap read: is anything due to climb? (so desks open a write only when needed)"""
    due = select(col(Escalation.id)).where(_overdue(ladder(session), now=now)).limit(1)
    return session.execute(due).first() is not None


def climb_one(
    session: Session,
    escalation_id: int,
    seen_rank: int,
    *,
    now: datetime,
    rungs: Ladder | None = None,
) -> Climbed | None:
    """Climb one escalation seen overdue on rung ``seen_rank``, unless somebody was first.

    The climb is one conditional UPDATE; ``None`` when it changed nothing (accepted,
    resolved, climbed or reopened meanwhile, or not overdue after all), and then
    nothing is written.
    """
    rungs = rungs or ladder(session)
    level = rungs.get(seen_rank)
    target = rungs.above(seen_rank)
    seen = session.execute(
        select(col(Escalation.level_entered_at), col(Customer.name))
        .join(Customer, col(Customer.id) == Escalation.customer_id)
        .where(col(Escalation.id) == escalation_id)
    ).first()
    if target is None or seen is None:
        return None
    entered_at, customer = seen
    hit = rows_hit(
        session,
        update(Escalation)
        .where(col(Escalation.id) == escalation_id, _overdue_at(seen_rank, rungs, now=now))
        .values(
            level_rank=target.rank,
            level_entered_at=now,
            accepted_by_id=None,
            accepted_at=None,
        ),
    )
    if not hit:
        return None
    escalation = session.get(Escalation, escalation_id, populate_existing=True)
    assert escalation is not None  # the UPDATE just changed it, in this transaction
    before = {**snapshot(escalation), "level_rank": seen_rank}
    note = f"not accepted within {level.response_minutes} min at {level.name}"
    record_climb(
        session, escalation, level, target, None, EventKind.AUTO_ESCALATED, note, before, now=now
    )
    waited = (to_epoch(now) - to_epoch(entered_at)) // 60
    return Climbed(escalation_id, customer, level.name, target.name, target.is_executive, waited)


def climb_overdue(session: Session, *, now: datetime) -> list[Climbed]:
    """Climb every escalation not accepted within its rung's response time by one rung.

    Safe to call from any process at any moment (a desk's refresh, cron): each
    climb is a conditional UPDATE, so two callers never climb the same one twice.
    """
    rungs = ladder(session)
    due = session.execute(
        select(col(Escalation.id), col(Escalation.level_rank))
        .where(_overdue(rungs, now=now))
        .order_by(col(Escalation.level_entered_at), col(Escalation.id))
    ).all()
    climbed = (climb_one(session, eid, rank, now=now, rungs=rungs) for eid, rank in due)
    return [c for c in climbed if c is not None]


def climb_if_due(database: Database, *, now: datetime) -> list[Climbed]:
    """The ladder's clock for any process: climb what is overdue at ``now``.

    One short indexed read, and a write transaction only when something is due, so
    every open desk and cron can call it often.
    """
    with database.read() as session:
        if not any_overdue(session, now=now):
            return []
    with database.write() as session:
        return climb_overdue(session, now=now)

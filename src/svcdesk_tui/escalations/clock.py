"""The ladder's clock: an escalation nobody accepted within its rung's response time
climbs one rung by itself.

Called by every open desk and by cron (`svcdesk escalations tick`). Its new rung's
clock starts when it arrives there, so one tick climbs one rung.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from svcdesk_tui.core.clock import to_epoch
from svcdesk_tui.core.db import Database
from svcdesk_tui.core.errors import Conflict
from svcdesk_tui.escalations.ladder import EXECUTIVE_WARNING, EventKind, ladder
from svcdesk_tui.escalations.transitions import climb
from svcdesk_tui.models import Customer, Escalation, EscalationLevel, EscalationState


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


def _overdue(now: datetime) -> ColumnElement[bool]:
    """Waiting (not accepted) for at least the response time of its rung, below the top."""
    limit_s = col(EscalationLevel.response_minutes) * 60
    rung = aliased(EscalationLevel)
    top = select(func.max(col(rung.rank))).scalar_subquery()
    return and_(
        col(Escalation.state) == EscalationState.RAISED,
        col(Escalation.level_entered_at) <= to_epoch(now) - limit_s,
        col(Escalation.level_rank) < top,
    )


def any_overdue(session: Session, now: datetime) -> bool:
    """A cheap read: is anything due to climb? (so desks open a write only when needed)"""
    return (
        session.execute(
            select(col(Escalation.id))
            .join(EscalationLevel, col(EscalationLevel.rank) == Escalation.level_rank)
            .where(_overdue(now))
            .limit(1)
        ).first()
        is not None
    )


def climb_overdue(session: Session, now: datetime) -> list[Climbed]:
    """Climb every escalation not accepted within its rung's response time by one rung.

    Safe to call from any process at any moment (a desk's refresh, cron): each
    climb is a conditional UPDATE, so two callers never climb the same one twice.
    """
    now_s = to_epoch(now)
    rungs = ladder(session)
    due = session.execute(
        select(Escalation, col(Customer.name))
        .join(EscalationLevel, col(EscalationLevel.rank) == Escalation.level_rank)
        .join(Customer, col(Customer.id) == Escalation.customer_id)
        .where(_overdue(now))
        .order_by(col(Escalation.level_entered_at), col(Escalation.id))
    ).all()
    climbed = []
    for escalation, customer in due:
        level = rungs.get(escalation.level_rank)
        target = rungs.above(level.rank)
        if target is None:
            continue  # the top rung has nowhere to go: it shows as overdue
        waited = (now_s - to_epoch(escalation.level_entered_at)) // 60
        note = f"not accepted within {level.response_minutes} min at {level.name}"
        try:
            climb(session, escalation, level, target, now, None, EventKind.AUTO_ESCALATED, note)
        except Conflict:
            continue  # accepted or climbed by someone else a moment ago
        climbed.append(
            Climbed(
                escalation.id,
                customer,
                level.name,
                target.name,
                target.is_executive,
                waited,
            )
        )
    return climbed


def climb_if_due(database: Database, now: datetime) -> list[Climbed]:
    """The ladder's clock for any process: climb what is overdue at ``now``.

    One short read, and a write transaction only when something is due, so every
    open desk and cron can call it often.
    """
    with database.read() as session:
        if not any_overdue(session, now):
            return []
    with database.write() as session:
        return climb_overdue(session, now)

"""The escalations that reached the executive rung in a period, one row each.

"Reached" is the rule of :mod:`.escalation_metrics` (``reached_executive``): raised
in the period and standing on the executive rung or above; a test checks that
this list and that count agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from svcdesk_tui.core.names import name_of
from svcdesk_tui.core.periods import Period
from svcdesk_tui.core.sqltime import within
from svcdesk_tui.escalations.moves import ladder
from svcdesk_tui.models import Customer, Escalation, Role, Staff


@dataclass(frozen=True)
class ExecutiveEscalation:
    id: int
    raised_at: datetime
    customer: str
    raised_by: str
    anger: int
    state: str
    resolved_at: datetime | None
    reason: str


def executive_escalations(session: Session, period: Period) -> list[ExecutiveEscalation]:
    """Escalations raised in the period that reached the executive, oldest first."""
    executive = ladder(session).first_with_role(Role.EXECUTIVE)
    if executive is None:
        return []
    rows = session.execute(
        select(
            col(Escalation.id),
            col(Escalation.raised_at),
            name_of(Customer, Escalation.customer_id),
            name_of(Staff, Escalation.raised_by_id),
            col(Escalation.anger),
            col(Escalation.state),
            col(Escalation.resolved_at),
            col(Escalation.reason),
        )
        .where(
            within(Escalation.raised_at, period),
            col(Escalation.level_rank) >= executive.rank,
        )
        .order_by(col(Escalation.raised_at), col(Escalation.id))
    ).all()
    return [ExecutiveEscalation(*row) for row in rows]

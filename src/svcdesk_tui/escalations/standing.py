"""Open escalations standing on the service manager's rung or above: what the floor must see.

The wallboard shows them in large type; only the rung and how long it has stood
there, never who the customer is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from svcdesk_tui.escalations.ladder import OPEN_STATES, Ladder, ladder
from svcdesk_tui.models import Escalation, EscalationLevel, Role


@dataclass(frozen=True)
class StandingEscalation:
    id: int
    level: str  # the rung's name
    executive: bool  # on the executive rung: a counted failure
    since: datetime  # when it reached that rung


def standing_high(session: Session) -> list[StandingEscalation]:
    """Open escalations on the manager's rung or above, the highest and oldest first."""
    if session.execute(select(col(EscalationLevel.id)).limit(1)).first() is None:
        return []  # no ladder: nothing can have climbed it
    rungs: Ladder = ladder(session)
    lowest = rungs.first_with_role(Role.MANAGER) or rungs.first_with_role(Role.EXECUTIVE)
    if lowest is None:
        return []
    rows = session.execute(
        select(col(Escalation.id), col(Escalation.level_rank), col(Escalation.level_entered_at))
        .where(col(Escalation.state).in_(OPEN_STATES), col(Escalation.level_rank) >= lowest.rank)
        .order_by(col(Escalation.level_rank).desc(), col(Escalation.level_entered_at))
    ).all()
    standing = []
    for escalation_id, rank, since in rows:
        level = rungs.by_rank.get(rank) or rungs.levels[-1]
        standing.append(StandingEscalation(escalation_id, level.name, level.is_executive, since))
    return standing

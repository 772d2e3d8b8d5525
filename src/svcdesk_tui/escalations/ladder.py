"""The escalation ladder as data, and who may see and act on which rung.

- Only someone whose role is the rung's role or higher may act on it.
- Agents see only the escalations they raised; a lead sees those raised by their
  team (staff whose ``team_lead_id`` is the lead), by agents without a lead, by
  themselves, and any they accepted or resolved; managers and above see all.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, or_, select, true
from sqlmodel import Session, col

from svcdesk_tui.core.errors import Conflict, NotFound, PermissionDenied
from svcdesk_tui.models import Escalation, EscalationLevel, EscalationState, Role, Staff
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, allowed

SENIORITY: dict[str, int] = {
    Role.AGENT: 1,
    Role.LEAD: 2,
    Role.MANAGER: 3,
    Role.EXECUTIVE: 4,
    Role.ADMIN: 4,
}
OPEN_STATES = (EscalationState.RAISED, EscalationState.ACCEPTED)
EXECUTIVE_WARNING = "EXECUTIVE — counted failure"


class EventKind:
    RAISED = "raised"
    ACCEPTED = "accepted"
    ESCALATED = "escalated"
    AUTO_ESCALATED = "auto_escalated"
    RESOLVED = "resolved"
    CALLED_BACK = "called_back"
    REOPENED = "reopened"


CLIMB_KINDS = (EventKind.RAISED, EventKind.ESCALATED, EventKind.AUTO_ESCALATED)
"""The events that put an escalation on a (new) rung."""


@dataclass(frozen=True)
class Level:
    rank: int
    code: str
    name: str
    role: str
    response_minutes: int

    @property
    def is_executive(self) -> bool:
        return self.role == Role.EXECUTIVE

    @property
    def label(self) -> str:
        return f"{self.name} ({EXECUTIVE_WARNING})" if self.is_executive else self.name


class Ladder:
    """The rungs of the ladder by rank, read once per transaction."""

    def __init__(self, levels: list[Level]) -> None:
        if not levels:
            raise Conflict("the escalation ladder is empty; run `svcdesk db init` defaults")
        self.levels = sorted(levels, key=lambda level: level.rank)
        self.by_rank = {level.rank: level for level in self.levels}

    def get(self, rank: int) -> Level:
        try:
            return self.by_rank[rank]
        except KeyError:
            raise NotFound(f"no rung {rank} on the escalation ladder") from None

    def above(self, rank: int) -> Level | None:
        return next((level for level in self.levels if level.rank > rank), None)

    def rung_of(self, role: str) -> Level | None:
        """The highest rung a person of ``role`` stands on."""
        mine = SENIORITY.get(role, 0)
        return next(
            (lvl for lvl in reversed(self.levels) if SENIORITY.get(lvl.role, 99) <= mine), None
        )

    def first_with_role(self, role: str) -> Level | None:
        return next((level for level in self.levels if level.role == role), None)


def ladder(session: Session) -> Ladder:
    rows = session.execute(select(EscalationLevel)).scalars()
    return Ladder([Level(r.rank, r.code, r.name, r.role, r.response_minutes) for r in rows])


# --- who may see and act --------------------------------------------------------


def may_act_at(actor: Actor, level: Level) -> bool:
    """The rung's role or higher, with the right to handle escalations at all."""
    return allowed(actor, Action.HANDLE_ESCALATION) and SENIORITY.get(
        actor.role, 0
    ) >= SENIORITY.get(level.role, 99)


def visible_to(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause: the escalations ``actor`` may see."""
    seniority = SENIORITY.get(actor.role, 0)
    if seniority >= SENIORITY[Role.MANAGER]:
        return true()
    if actor.role == Role.AGENT:
        return col(Escalation.raised_by_id) == actor.id
    if actor.role == Role.LEAD:
        team = select(col(Staff.id)).where(
            or_(
                col(Staff.team_lead_id) == actor.id,
                col(Staff.id) == actor.id,
                and_(col(Staff.team_lead_id).is_(None), col(Staff.role) == Role.AGENT),
            )
        )
        return or_(
            col(Escalation.raised_by_id).in_(team),
            col(Escalation.accepted_by_id) == actor.id,
            col(Escalation.resolved_by_id) == actor.id,
        )
    return false()


def load_visible(session: Session, actor: Actor, escalation_id: int) -> Escalation:
    """The escalation, if it exists and ``actor`` may see it (else NotFound in words)."""
    found = session.execute(
        select(Escalation).where(col(Escalation.id) == escalation_id, visible_to(actor))
    ).scalar_one_or_none()
    if found is None:
        if session.get(Escalation, escalation_id) is not None:
            raise PermissionDenied(f"escalation {escalation_id} is not one of yours to see")
        raise NotFound(f"no escalation {escalation_id}")
    return found

"""Adding and listing the people of the center."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from svcdesk_tui.core import audit
from svcdesk_tui.core.errors import Conflict, InvalidInput
from svcdesk_tui.models import Role, Staff
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, require


@dataclass
class StaffMember:
    """A staff row's person, read into memory: who, in what role, and from when to when."""

    id: int
    login: str
    name: str
    role: str
    hired_on: date
    left_on: date | None = None
    """Their first day no longer with the center (``None`` while they are)."""

    def employed_on(self, day: date) -> bool:
        """With the center on ``day``: hired by then and not yet left."""
        return self.hired_on <= day and (self.left_on is None or day < self.left_on)


def add_staff(
    session: Session,
    actor: Actor | None,
    *,
    login: str,
    name: str,
    role: str,
    hired_on: date,
    now: datetime,
    team_lead_login: str | None = None,
    compensation_limit_cents: int = 0,
) -> Staff:
    """Add a staff member. ``actor`` None only when bootstrapping a new center."""
    if actor is not None:
        require(actor, Action.MANAGE_STAFF)
    login, name = login.strip(), name.strip()
    if not login or not name:
        raise InvalidInput("a staff member needs a login and a name")
    if role not in set(Role):
        raise InvalidInput(f"role must be one of {', '.join(Role)}")
    if compensation_limit_cents < 0:
        raise InvalidInput("a compensation limit cannot be negative")
    if session.exec(select(Staff).where(Staff.login == login)).first() is not None:
        raise Conflict(f"there is already a staff member with login {login!r}")
    lead_id = None
    if team_lead_login:
        lead = session.exec(select(Staff).where(Staff.login == team_lead_login)).first()
        if lead is None:
            raise InvalidInput(f"no staff member {team_lead_login!r} to be the team lead")
        lead_id = lead.id
    staff = Staff(
        login=login,
        name=name,
        role=role,
        hired_on=hired_on,
        team_lead_id=lead_id,
        compensation_limit_cents=compensation_limit_cents,
    )
    after = {"login": login, "name": name, "role": role}
    audit.added(session, actor, staff, "staff.add", at=now, after=after)
    return staff


def list_staff(session: Session) -> list[Staff]:
    return list(session.exec(select(Staff).order_by(Staff.role, Staff.name)))

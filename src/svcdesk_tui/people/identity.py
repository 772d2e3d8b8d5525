"""Who is at the keyboard: the OS login mapped to a staff record and its role."""

from __future__ import annotations

import os
import pwd
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from svcdesk_tui.core.errors import PermissionDenied
from svcdesk_tui.models import Role, Staff


@dataclass(frozen=True)
class Actor:
    """The acting person, detached from any session so it can cross threads."""

    id: int
    login: str
    name: str
    role: str
    team_lead_id: int | None = None
    compensation_limit_cents: int = 0

    @classmethod
    def of(cls, staff: Staff) -> Actor:
        assert staff.id is not None
        return cls(
            id=staff.id,
            login=staff.login,
            name=staff.name,
            role=staff.role,
            team_lead_id=staff.team_lead_id,
            compensation_limit_cents=staff.compensation_limit_cents,
        )


def os_login() -> str:
    """The login of the real user running the process, from the password database.

    Not from $LOGNAME or $USER: anyone with a shell can set those, and the
    login is who you are here. The real uid, so a setgid wrapper keeps it.
    """
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:  # a uid without a passwd entry (some containers)
        return f"uid{os.getuid()}"


def _how_to_add(login: str) -> str:
    return f'ask an admin to add you: svcdesk staff add {login} --name "Your Name" --role agent'


def _active(staff: Staff, today: date) -> bool:
    return staff.left_on is None or staff.left_on > today


def default_demo_login(session: Session) -> str | None:
    """The service manager of a demo center (the default identity there)."""
    manager = session.exec(
        select(Staff)
        .where(Staff.role == Role.MANAGER, col(Staff.left_on).is_(None))
        .order_by(col(Staff.id))
    ).first()
    return manager.login if manager else None


def resolve_actor(
    session: Session,
    *,
    demo: bool,
    today: date,
    as_login: str | None = None,
    login: str | None = None,
) -> Actor:
    """Map the OS login (or, where allowed, ``--as``) to an active staff member."""
    login = login or os_login()
    if demo:
        wanted = as_login or default_demo_login(session)
        if wanted is None:
            raise PermissionDenied("this demo center has no service manager; use --as LOGIN")
        return Actor.of(
            _find_active(session, wanted, today, hint="pick one with `svcdesk staff list`")
        )
    me = session.exec(select(Staff).where(Staff.login == login)).first()
    if me is None or not _active(me, today):
        raise PermissionDenied(
            f"no active staff member for OS login {login!r}; {_how_to_add(login)}"
        )
    if as_login and as_login != login:
        if me.role != Role.ADMIN:
            raise PermissionDenied(f"--as is for admins only; {login} is {me.role}")
        return Actor.of(_find_active(session, as_login, today, hint=_how_to_add(as_login)))
    return Actor.of(me)


def _find_active(session: Session, login: str, today: date, *, hint: str) -> Staff:
    staff = session.exec(select(Staff).where(Staff.login == login)).first()
    if staff is None:
        raise PermissionDenied(f"no staff member {login!r}; {hint}")
    if not _active(staff, today):
        raise PermissionDenied(f"{login} left the center on {staff.left_on}")
    return staff

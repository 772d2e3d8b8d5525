"""Changing the Caribbean data: procedures, skill levels, approval rights, absences.

Managers and admins only; every change writes an audit row (before → after).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from svcdesk_tui.core import audit
from svcdesk_tui.core.errors import Conflict, InvalidInput, NotFound, stripped
from svcdesk_tui.core.rows import existing
from svcdesk_tui.models import (
    Absence,
    AbsenceKind,
    ApprovalAuthority,
    Criticality,
    Procedure,
    Queue,
    Skill,
    SkillLevel,
    Staff,
)
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, require

MAX_ABSENCE_DAYS = 366


def staff_by_login(session: Session, login: str) -> Staff:
    person = session.exec(select(Staff).where(col(Staff.login) == login.strip())).first()
    if person is None:
        raise NotFound(f"no staff member {login.strip()!r}")
    return person


def procedure_by_name(session: Session, name: str) -> Procedure:
    found = session.exec(select(Procedure).where(col(Procedure.name) == name.strip())).first()
    if found is None:
        raise NotFound(f"no procedure {name.strip()!r}")
    return found


def _get_procedure(session: Session, procedure: int | str) -> Procedure:
    if isinstance(procedure, str):
        return procedure_by_name(session, procedure)
    return existing(session, Procedure, procedure, f"no procedure #{procedure}")


def _get_staff(session: Session, person: int | str) -> Staff:
    if isinstance(person, str):
        return staff_by_login(session, person)
    return existing(session, Staff, person, f"no staff member #{person}")


def parse_level(text: str | None) -> str | None:
    """``I``/``L``/``U``/``O`` (any case); empty or ``-`` means no skill."""
    value = (text or "").strip().upper()
    if value in ("", "-"):
        return None
    if value not in set(SkillLevel):
        raise InvalidInput(f"skill level must be I, L, U or O (or empty to remove), not {text!r}")
    return value


def set_skill(
    session: Session,
    actor: Actor,
    *,
    person: int | str,
    procedure: int | str,
    level: str | None,
    now: datetime,
) -> bool:
    """Set (or with ``None`` remove) one person's level on one procedure; True if changed."""
    require(actor, Action.EDIT_SKILLS)
    level = parse_level(level)
    staff, proc = _get_staff(session, person), _get_procedure(session, procedure)
    skill = session.exec(
        select(Skill).where(col(Skill.staff_id) == staff.id, col(Skill.procedure_id) == proc.id)
    ).first()
    before = skill.level if skill else None
    if before == level:
        return False
    if skill is None:
        skill = Skill(staff_id=staff.id, procedure_id=proc.id, level=level)  # type: ignore[arg-type]
        session.add(skill)
    elif level is None:
        session.delete(skill)
    else:
        skill.level = level
    session.flush()
    audit.record(
        session,
        actor,
        "skill.set",
        "skill",
        f"{staff.login}/{proc.name}",
        at=now,
        before={"level": before},
        after={"level": level},
    )
    return True


def mark_documented(
    session: Session,
    actor: Actor,
    *,
    procedure: int | str,
    documented: bool,
    location: str | None = None,
    now: datetime,
) -> bool:
    """Record whether (and where) a procedure is written down; True if changed."""
    require(actor, Action.EDIT_SKILLS)
    proc = _get_procedure(session, procedure)
    location = (location or "").strip() or None
    if location and len(location) > 300:
        raise InvalidInput("a document location is at most 300 characters")
    if not documented:
        location = None
    before = {"documented": proc.documented, "doc_location": proc.doc_location}
    after = {"documented": documented, "doc_location": location}
    if before == after:
        return False
    proc.documented, proc.doc_location = documented, location
    session.add(proc)
    audit.record(
        session,
        actor,
        "procedure.documented",
        "procedure",
        proc.id,
        at=now,
        before=before,
        after=after,
    )
    return True


def add_absence(
    session: Session,
    actor: Actor,
    *,
    person: int | str,
    kind: str,
    starts_on: date,
    ends_on: date,
    note: str | None = None,
    now: datetime,
) -> Absence:
    """Put an absence in the calendar (both dates inclusive); overlaps are refused."""
    require(actor, Action.EDIT_SKILLS)
    kind = kind.strip().lower()
    if kind not in set(AbsenceKind):
        raise InvalidInput(f"absence kind must be one of {', '.join(AbsenceKind)}, not {kind!r}")
    if ends_on < starts_on:
        raise InvalidInput(f"the absence ends ({ends_on}) before it starts ({starts_on})")
    if (ends_on - starts_on).days >= MAX_ABSENCE_DAYS:
        raise InvalidInput(f"an absence spans at most {MAX_ABSENCE_DAYS} days")
    staff = _get_staff(session, person)
    overlap = session.exec(
        select(Absence).where(
            col(Absence.staff_id) == staff.id,
            col(Absence.starts_on) <= ends_on,
            col(Absence.ends_on) >= starts_on,
        )
    ).first()
    if overlap is not None:
        raise Conflict(
            f"{staff.name} is already away {overlap.starts_on}–{overlap.ends_on} ({overlap.kind})"
        )
    absence = Absence(
        staff_id=staff.id,  # type: ignore[arg-type]
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        note=(note or "").strip() or None,
    )
    after = {"login": staff.login, "kind": kind, "starts_on": starts_on, "ends_on": ends_on}
    audit.added(session, actor, absence, "absence.add", at=now, after=after)
    return absence


def set_authority(
    session: Session,
    actor: Actor,
    *,
    person: int | str,
    kind: str,
    granted: bool = True,
    limit_cents: int | None = None,
    now: datetime,
) -> bool:
    """Grant (or revoke) one person's right to approve ``kind``; True if changed."""
    require(actor, Action.EDIT_SKILLS)
    kind = stripped(
        kind, "an approval kind is 1 to 40 characters, e.g. account_restoration", longest=40
    )
    if limit_cents is not None and limit_cents < 0:
        raise InvalidInput("an approval limit cannot be negative")
    staff = _get_staff(session, person)
    right = session.exec(
        select(ApprovalAuthority).where(
            col(ApprovalAuthority.staff_id) == staff.id, col(ApprovalAuthority.kind) == kind
        )
    ).first()
    before = {"limit_cents": right.limit_cents} if right else None
    after = {"limit_cents": limit_cents} if granted else None
    if before == after:
        return False
    if not granted:
        session.delete(right)
    elif right is None:
        session.add(ApprovalAuthority(staff_id=staff.id, kind=kind, limit_cents=limit_cents))  # type: ignore[arg-type]
    else:
        right.limit_cents = limit_cents
    session.flush()
    audit.record(
        session,
        actor,
        "authority.set",
        "approval_authority",
        f"{staff.login}/{kind}",
        at=now,
        before=before,
        after=after,
    )
    return True


def save_procedure(
    session: Session,
    actor: Actor,
    *,
    name: str,
    criticality: str = Criticality.ROUTINE,
    area: str | None = None,
    queue: str | None = None,
    documented: bool = False,
    doc_location: str | None = None,
    frequency: str | None = None,
    description: str | None = None,
    now: datetime,
) -> str:
    """Add a procedure or update the one of that name: 'added', 'updated' or 'unchanged'."""
    require(actor, Action.EDIT_SKILLS)
    name = stripped(name, "a procedure name is 1 to 120 characters", longest=120)
    criticality = (criticality or Criticality.ROUTINE).strip().lower()
    if criticality not in set(Criticality):
        raise InvalidInput(
            f"criticality must be one of {', '.join(Criticality)}, not {criticality!r}"
        )
    if frequency and len(frequency.strip()) > 16:
        raise InvalidInput("a frequency is at most 16 characters (e.g. daily, weekly, monthly)")
    if area and len(area.strip()) > 60:
        raise InvalidInput("an area is at most 60 characters")
    queue_id = None
    if queue and queue.strip():
        queue_id = session.exec(
            select(col(Queue.id)).where(col(Queue.name) == queue.strip())
        ).first()
        if queue_id is None:
            raise NotFound(f"no queue {queue.strip()!r}")
    values: dict[str, Any] = {
        "criticality": criticality,
        "area": (area or "").strip() or None,
        "queue_id": queue_id,
        "documented": documented,
        "doc_location": ((doc_location or "").strip() or None) if documented else None,
        "frequency": (frequency or "").strip() or None,
        "description": (description or "").strip() or None,
    }
    proc = session.exec(select(Procedure).where(col(Procedure.name) == name)).first()
    if proc is None:
        proc = Procedure(name=name, **values)
        audit.added(session, actor, proc, "procedure.add", at=now, after=values)
        return "added"
    before = {key: getattr(proc, key) for key in values}
    if before == values:
        return "unchanged"
    for key, value in values.items():
        setattr(proc, key, value)
    session.add(proc)
    audit.record(
        session,
        actor,
        "procedure.update",
        "procedure",
        proc.id,
        at=now,
        before=before,
        after=values,
    )
    return "updated"

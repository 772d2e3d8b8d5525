"""Technician dispatch: who can fix a fault and is free, opening a ticket, recording visits.

A technician can take a fault when they hold the fault's procedure at level U
or O (alone); a senior technician holds it at level O. They are free for a
visit when a shift of theirs covers the whole visit, no absence covers its
local days, and no other unfinished visit of theirs overlaps it. Skills,
shifts and absences are the same records the Caribbean test reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, exists, or_, select
from sqlmodel import Session, col

from svcdesk_tui.core import audit
from svcdesk_tui.core.errors import Conflict, InvalidInput, NotFound
from svcdesk_tui.core.periods import local_date, zone
from svcdesk_tui.core.rows import existing
from svcdesk_tui.models import (
    Absence,
    Agreement,
    Customer,
    FaultType,
    Procedure,
    ServiceTicket,
    Shift,
    Skill,
    SkillLevel,
    Staff,
    TicketState,
    Visit,
    VisitOutcome,
)
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, require

ANY_LEVELS = (SkillLevel.U, SkillLevel.O)
SENIOR_LEVELS = (SkillLevel.O,)
MAX_FIX_HOURS = 24 * 14


@dataclass(frozen=True)
class FaultOption:
    fault_type_id: int
    code: str
    label: str
    procedure: str


@dataclass(frozen=True)
class Technician:
    staff_id: int
    name: str
    level: str

    @property
    def senior(self) -> bool:
        return self.level == SkillLevel.O


@dataclass(frozen=True)
class Promise:
    """What a customer's agreement promises for a service ticket."""

    agreement: str | None
    response_hours: float | None
    fix_hours: float | None

    @property
    def text(self) -> str:
        if self.agreement is None:
            return "No service agreement: no promised times"
        parts = []
        if self.response_hours is not None:
            parts.append(f"technician on site within {self.response_hours:g} h")
        if self.fix_hours is not None:
            parts.append(f"fixed within {self.fix_hours:g} h")
        return f"{self.agreement}: {', '.join(parts) or 'no promised times'}"


def fault_types(session: Session) -> list[FaultOption]:
    """Every fault type with the procedure that fixes it, for pickers."""
    rows = session.execute(
        select(col(FaultType.id), col(FaultType.code), col(FaultType.label), col(Procedure.name))
        .join(Procedure, col(Procedure.id) == FaultType.procedure_id)
        .order_by(col(FaultType.label))
    )
    return [FaultOption(*row) for row in rows]


def promise_for(session: Session, customer_id: int | None) -> Promise:
    """The customer's agreement and the response and fix times it promises."""
    if customer_id is None:
        return Promise(None, None, None)
    row = session.execute(
        select(col(Agreement.name), col(Agreement.response_hours), col(Agreement.fix_hours))
        .join(Customer, col(Customer.agreement_id) == Agreement.id)
        .where(col(Customer.id) == customer_id)
    ).first()
    return Promise(*row) if row else Promise(None, None, None)


def _fault_type(session: Session, fault_type_id: int) -> FaultType:
    return existing(session, FaultType, fault_type_id, f"no fault type #{fault_type_id}")


def free_technicians(
    session: Session,
    *,
    fault_type_id: int,
    starts: datetime,
    hours: float,
    senior: bool,
    timezone: str,
    ignore_visit_id: int | None = None,
) -> list[Technician]:
    """Technicians with the fault's skill (senior: level O) who are free for the whole visit."""
    check_hours(hours)
    fault = _fault_type(session, fault_type_id)
    ends = starts + timedelta(hours=hours)
    first_day, last_day = local_date(starts, timezone), local_date(ends, timezone)
    on_shift = exists().where(
        col(Shift.staff_id) == Staff.id, col(Shift.starts_at) <= starts, col(Shift.ends_at) >= ends
    )
    absent = exists().where(
        col(Absence.staff_id) == Staff.id,
        col(Absence.starts_on) <= last_day,
        col(Absence.ends_on) >= first_day,
    )
    busy = exists().where(
        col(Visit.technician_id) == Staff.id,
        col(Visit.outcome).is_(None),
        col(Visit.planned_at) < ends,
        col(Visit.planned_until) > starts,
        col(Visit.id) != (ignore_visit_id or -1),
    )
    rows = session.execute(
        select(col(Staff.id), col(Staff.name), col(Skill.level))
        .join(Skill, col(Skill.staff_id) == Staff.id)
        .where(
            col(Skill.procedure_id) == fault.procedure_id,
            col(Skill.level).in_(SENIOR_LEVELS if senior else ANY_LEVELS),
            or_(col(Staff.left_on).is_(None), col(Staff.left_on) >= first_day),
            on_shift,
            ~absent,
            ~busy,
        )
        .order_by(case((col(Skill.level) == SkillLevel.O, 0), else_=1), col(Staff.name))
    )
    return [Technician(*row) for row in rows]


def check_hours(hours: float) -> None:
    if not 0 < hours <= MAX_FIX_HOURS:
        raise InvalidInput(f"the estimated time to fix must be between 0 and {MAX_FIX_HOURS} hours")


@dataclass(frozen=True)
class DispatchRequest:
    """What the agent decided: the fault, its needs, and who goes when."""

    fault_type_id: int
    fault: str
    estimated_fix_hours: float
    senior_required: bool
    equipment: str
    technician_id: int
    visit_at: datetime


def open_ticket(
    session: Session,
    actor: Actor,
    *,
    now: datetime,
    customer_id: int,
    call_id: int | None,
    request: DispatchRequest,
    timezone: str,
) -> ServiceTicket:
    """Open a service ticket with its first visit; the technician must still be free."""
    require(actor, Action.COMPLETE_CALL)
    if not request.fault.strip():
        raise InvalidInput("describe the fault")
    if session.get(Customer, customer_id) is None:
        raise NotFound(f"no customer #{customer_id}")
    free = free_technicians(
        session,
        fault_type_id=request.fault_type_id,
        starts=request.visit_at,
        hours=request.estimated_fix_hours,
        senior=request.senior_required,
        timezone=timezone,
    )
    if request.technician_id not in {t.staff_id for t in free}:
        raise Conflict("that technician lacks the skill or is not free at that time")
    promise = promise_for(session, customer_id)
    customer = session.get(Customer, customer_id)
    ticket = ServiceTicket(
        customer_id=customer_id,
        call_id=call_id,
        fault_type_id=request.fault_type_id,
        fault=request.fault.strip(),
        estimated_fix_hours=request.estimated_fix_hours,
        senior_required=request.senior_required,
        equipment=request.equipment.strip() or None,
        agreement_id=customer.agreement_id if customer else None,
        promised_response_hours=promise.response_hours,
        promised_fix_hours=promise.fix_hours,
        opened_at=now,
        opened_by_id=actor.id,
    )
    session.add(ticket)
    session.flush()
    visit = _plan(session, ticket, request.technician_id, request.visit_at)
    audit.record(
        session,
        actor,
        "ticket.open",
        "service_ticket",
        ticket.id,
        at=now,
        after={"customer_id": customer_id, "technician_id": visit.technician_id},
    )
    return ticket


def _plan(session: Session, ticket: ServiceTicket, technician_id: int, at: datetime) -> Visit:
    visit = Visit(
        ticket_id=ticket.id,  # type: ignore[arg-type]
        technician_id=technician_id,
        planned_at=at,
        planned_until=at + timedelta(hours=ticket.estimated_fix_hours),
    )
    session.add(visit)
    session.flush()
    return visit


def _open_ticket(session: Session, ticket_id: int) -> ServiceTicket:
    ticket = existing(session, ServiceTicket, ticket_id, f"no service ticket #{ticket_id}")
    if ticket.state != TicketState.OPEN:
        raise Conflict(f"service ticket #{ticket_id} is {ticket.state}")
    return ticket


def record_visit(
    session: Session,
    actor: Actor,
    *,
    now: datetime,
    visit_id: int,
    arrived_at: datetime,
    ended_at: datetime,
    outcome: str,
    note: str | None = None,
) -> Visit:
    """The visit happened: when, and its outcome. A fixed visit fixes the ticket.

    The visit's own technician may record it; otherwise it takes an agent's rights.
    """
    if outcome not in set(VisitOutcome):
        raise InvalidInput(f"visit outcome must be one of {', '.join(VisitOutcome)}")
    if ended_at < arrived_at:
        raise InvalidInput("a visit cannot end before the technician arrived")
    if ended_at > now:
        raise InvalidInput("a visit's end cannot be in the future")
    visit = existing(session, Visit, visit_id, f"no visit #{visit_id}")
    if visit.technician_id != actor.id:
        require(actor, Action.COMPLETE_CALL)
    if visit.outcome is not None:
        raise Conflict(f"visit #{visit_id} already has its outcome ({visit.outcome})")
    ticket = _open_ticket(session, visit.ticket_id)
    visit.arrived_at, visit.ended_at, visit.outcome = arrived_at, ended_at, outcome
    visit.internal_note = (note or "").strip() or None
    if outcome == VisitOutcome.FIXED:
        ticket.state, ticket.fixed_at = TicketState.FIXED, ended_at
    audit.record(
        session, actor, "visit.record", "visit", visit_id, at=now, after={"outcome": outcome}
    )
    return visit


def parse_visit_time(text: str, timezone: str, *, now: datetime) -> datetime:
    """``YYYY-MM-DD HH:MM`` or ``HH:MM`` (today), local time, as aware UTC."""
    tz = zone(timezone)
    value = text.strip()
    try:
        if len(value) <= 5:
            clock = datetime.strptime(value, "%H:%M").time()
            local = datetime.combine(now.astimezone(tz).date(), clock, tz)
        else:
            local = datetime.strptime(value, "%Y-%m-%d %H:%M").replace(tzinfo=tz)
    except ValueError:
        raise InvalidInput(
            f"visit time must read like 2026-01-05 14:00 or 14:00, not {text!r}"
        ) from None
    return local.astimezone(UTC)


def next_full_hour(*, now: datetime) -> datetime:
    """The first whole hour after ``now``: the default time offered for a visit."""
    return now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)

"""A small technical service desk: a Gold customer, two fault types and seven technicians.

On the morning of MORNING (10:00 UTC), for a two-hour visit at 11:00 to fix a
boiler, only Sam (O) and Tina (U) have the skill and are free:
Lars is only learning (L), Abe is on vacation, Nora has no shift, Bea already
has a visit from 12:00, Nils only fixes networks.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from svcdesk_tui.models import (
    Absence,
    FaultType,
    Procedure,
    ServiceTicket,
    Skill,
    Visit,
)
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.queue import live as queue

from .builders import Center
from .conftest import MORNING

DAY_START = MORNING.replace(hour=8)
DAY_END = MORNING.replace(hour=16)


def add_agreement(
    center: Center,
    name: str,
    response_hours: float,
    fix_hours: float,
    rank: int = 0,
    answer_seconds: int | None = None,
) -> int:
    """A service agreement: on site within ``response_hours``, fixed within ``fix_hours``."""
    return center.agreement(
        name,
        response_hours=response_hours,
        fix_hours=fix_hours,
        rank=rank,
        answer_seconds=answer_seconds,
    )


def add_fault_type(center: Center, code: str, label: str, procedure: str) -> int:
    with center.db.write() as session:
        proc = Procedure(name=procedure, area="field service", documented=True)
        session.add(proc)
        session.flush()
        fault = FaultType(code=code, label=label, procedure_id=proc.id)
        session.add(fault)
        session.flush()
        center.procedures = {**getattr(center, "procedures", {}), code: proc.id}
        return fault.id  # type: ignore[return-value]


def technician(
    center: Center, login: str, name: str, fault: str | None, level: str, *, shift: bool = True
) -> Actor:
    person = center.staff(login, "technician", name=name)
    with center.db.write() as session:
        if fault is not None:
            session.add(
                Skill(staff_id=person.id, procedure_id=center.procedures[fault], level=level)
            )
    if shift:
        center.shift(person, DAY_START, DAY_END)
    return person


def add_ticket(
    center: Center,
    customer: int,
    fault_type: int,
    *,
    opened: datetime,
    hours: float = 2,
    agreement: int | None = None,
    promised: tuple[float | None, float | None] = (None, None),
    note: str | None = None,
) -> int:
    with center.db.write() as session:
        ticket = ServiceTicket(
            customer_id=customer,
            fault_type_id=fault_type,
            fault="described by the customer",
            estimated_fix_hours=hours,
            agreement_id=agreement,
            promised_response_hours=promised[0],
            promised_fix_hours=promised[1],
            opened_at=opened,
            internal_note=note,
        )
        session.add(ticket)
        session.flush()
        return ticket.id  # type: ignore[return-value]


def add_visit(
    center: Center,
    ticket: int,
    tech: Actor,
    *,
    at: datetime,
    hours: float = 2,
    outcome: str | None = None,
    note: str | None = None,
) -> int:
    """A visit at ``at``; with an outcome it took place and lasted ``hours``."""
    ends = at + timedelta(hours=hours)
    with center.db.write() as session:
        visit = Visit(
            ticket_id=ticket,
            technician_id=tech.id,
            planned_at=at,
            planned_until=ends,
            arrived_at=at if outcome else None,
            ended_at=ends if outcome else None,
            outcome=outcome,
            internal_note=note,
        )
        session.add(visit)
        if outcome == "fixed":
            found = session.get(ServiceTicket, ticket)
            found.state, found.fixed_at = "fixed", ends
        session.flush()
        return visit.id  # type: ignore[return-value]


def build_service_desk(center: Center) -> Center:
    """Alice is on a call with Ann (Gold: on site within 4 h, fixed within 8 h)."""
    center.support = center.queue("Support")
    center.gold = add_agreement(center, "Gold", 4, 8)
    center.ann = center.customer("Ann Smith", phone="+31 20 111", agreement=center.gold)
    center.bob = center.customer("Bob Jones", phone="+31 20 222")
    center.boiler = add_fault_type(center, "boiler", "Boiler leak", "Repair boilers")
    center.network = add_fault_type(center, "network", "Network down", "Repair networks")
    center.sam = technician(center, "sam", "Sam Senior", "boiler", "O")
    center.tina = technician(center, "tina", "Tina Tech", "boiler", "U")
    center.lars = technician(center, "lars", "Lars Learner", "boiler", "L")
    center.abe = technician(center, "abe", "Abe Away", "boiler", "U")
    center.nora = technician(center, "nora", "Nora Noshift", "boiler", "U", shift=False)
    center.bea = technician(center, "bea", "Bea Busy", "boiler", "U")
    center.nils = technician(center, "nils", "Nils Network", "network", "U")
    with center.db.write() as session:
        session.add(
            Absence(staff_id=center.abe.id, starts_on=date(2026, 1, 5), ends_on=date(2026, 1, 9))
        )
    bob_ticket = add_ticket(center, center.bob, center.boiler, opened=MORNING - timedelta(hours=1))
    add_visit(center, bob_ticket, center.bea, at=MORNING.replace(hour=12))
    center.alice = center.staff("alice", name="Alice Ames")
    center.ann_call = on_call(center, center.alice, center.ann)
    return center


def on_call(center: Center, agent: Actor, customer: int | None) -> int:
    """``agent`` logs in and takes a call from ``customer`` that waited 30 s."""
    with center.db.write() as session:
        queue.enqueue_call(
            session,
            queue_id=center.support,
            customer_id=customer,
            now=MORNING - timedelta(seconds=30),
        )
        queue.log_in(session, agent, now=MORNING - timedelta(minutes=5))
        call = queue.take_call(session, agent, now=MORNING)
        return call.id  # type: ignore[union-attr,return-value]

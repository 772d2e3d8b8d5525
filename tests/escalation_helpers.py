"""A small center with two teams, a manager and an executive, for the escalation tests."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import update

from svcdesk_tui.models import CallState, Complaint, Staff
from svcdesk_tui.people.identity import Actor

from .builders import Center
from .conftest import MORNING


def set_lead(center: Center, agent: Actor, lead: Actor) -> Actor:
    with center.db.write() as session:
        session.execute(update(Staff).where(Staff.id == agent.id).values(team_lead_id=lead.id))
    return replace(agent, team_lead_id=lead.id)


def build_floor(center: Center) -> Center:
    """Lena leads Alice and Bert, Olga leads Carl; Mara and Max manage; Eve is the executive.

    Alice is on a call with Ann (``center.ann_call``); Carl talked to Ann earlier.
    """
    center.support = center.queue("Support")
    center.ann = center.customer("Ann Smith", phone="+31 20 111")
    center.lena = center.staff("lena", "lead", name="Lena Lead")
    center.olga = center.staff("olga", "lead", name="Olga Other")
    center.alice = set_lead(center, center.staff("alice", name="Alice Ames"), center.lena)
    center.bert = set_lead(center, center.staff("bert", name="Bert Berg"), center.lena)
    center.carl = set_lead(center, center.staff("carl", name="Carl Cole"), center.olga)
    center.mara = center.staff("mara", "manager", name="Mara Vos")
    center.max = center.staff("max", "manager", name="Max Meyer")
    center.eve = center.staff("eve", "executive", name="Eve Exec")
    center.ann_call = center.call(
        center.support,
        entered=MORNING,
        state=CallState.ON_CALL,
        wait=10,
        customer=center.ann,
        agent=center.alice,
    )
    return center


def add_complaint(center: Center, customer: int, opened_by: Actor) -> int:
    with center.db.write() as session:
        complaint = Complaint(
            customer_id=customer,
            category="billing",
            description="charged twice",
            opened_by_id=opened_by.id,
            owner_id=opened_by.id,
            opened_at=MORNING,
        )
        session.add(complaint)
        session.flush()
        return complaint.id  # type: ignore[return-value]

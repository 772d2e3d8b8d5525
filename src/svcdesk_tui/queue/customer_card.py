"""The customer card: everything an agent needs to see before saying hello."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session, col

from svcdesk_tui.core.errors import NotFound
from svcdesk_tui.core.names import name_of
from svcdesk_tui.escalations.moves import EXECUTIVE_WARNING
from svcdesk_tui.models import (
    Agreement,
    Call,
    Complaint,
    ComplaintState,
    ContactReason,
    Customer,
    Escalation,
    EscalationLevel,
    EscalationState,
    Queue,
    Role,
    Staff,
)
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, require
from svcdesk_tui.queue.snapshot import promise_text


@dataclass(frozen=True)
class PastCall:
    call_id: int
    entered_at: datetime
    queue: str
    state: str
    reason: str | None
    outcome: str | None
    agent: str | None
    wait_seconds: int | None
    talk_seconds: int | None
    recording_path: str | None = None  # where the call's recording lies, if it has one


@dataclass(frozen=True)
class OpenCase:
    kind: str  # "complaint" or "escalation"
    case_id: int
    opened_at: datetime
    state: str
    summary: str


@dataclass(frozen=True)
class CustomerCard:
    customer_id: int
    name: str
    phone: str | None
    email: str | None
    agreement: str | None
    promise: str | None
    special_requests: str | None
    nuisance: bool
    nuisance_note: str | None
    calls_recent: int
    recent_window_days: int
    last_calls: tuple[PastCall, ...]
    open_cases: tuple[OpenCase, ...]


OPEN_COMPLAINT_STATES = (
    ComplaintState.OPEN,
    ComplaintState.IN_PROGRESS,
    ComplaintState.AWAITING_CONFIRMATION,
)


def customer_card(
    session: Session,
    customer_id: int,
    *,
    now: datetime,
    recent_window_days: int = 30,
    last_calls: int = 10,
    viewer: Actor | None = None,
) -> CustomerCard:
    """The card of one customer: agreement, requests, last calls, open cases."""
    if viewer is not None:
        require(viewer, Action.VIEW_CUSTOMER)
    row = session.execute(
        select(Customer, Agreement)
        .outerjoin(Agreement, col(Agreement.id) == col(Customer.agreement_id))
        .where(col(Customer.id) == customer_id)
    ).first()
    if row is None:
        raise NotFound(f"no customer {customer_id}")
    customer, agreement = row
    recent = session.execute(
        select(func.count())
        .select_from(Call)
        .where(
            col(Call.customer_id) == customer_id,
            col(Call.entered_at) >= now - timedelta(days=recent_window_days),
        )
    ).scalar_one()
    calls = session.execute(
        select(
            col(Call.id),
            col(Call.entered_at),
            col(Queue.name),
            col(Call.state),
            col(ContactReason.label),
            col(Call.outcome),
            name_of(Staff, Call.agent_id),
            col(Call.wait_seconds),
            col(Call.talk_seconds),
            col(Call.recording_path),
        )
        .join(Queue, col(Queue.id) == col(Call.queue_id))
        .outerjoin(ContactReason, col(ContactReason.id) == col(Call.reason_id))
        .where(col(Call.customer_id) == customer_id)
        .order_by(col(Call.entered_at).desc(), col(Call.id).desc())
        .limit(last_calls)
    ).all()
    complaints = session.execute(
        select(
            col(Complaint.id),
            col(Complaint.opened_at),
            col(Complaint.state),
            col(Complaint.category),
        ).where(
            col(Complaint.customer_id) == customer_id,
            col(Complaint.state).in_(OPEN_COMPLAINT_STATES),
        )
    ).all()
    escalations = session.execute(
        select(
            col(Escalation.id),
            col(Escalation.raised_at),
            col(Escalation.state),
            col(EscalationLevel.name),
            col(Escalation.reason),
            col(EscalationLevel.role),
        )
        .join(EscalationLevel, col(EscalationLevel.rank) == col(Escalation.level_rank))
        .where(
            col(Escalation.customer_id) == customer_id,
            col(Escalation.state) != EscalationState.RESOLVED,
        )
    ).all()
    cases = [
        OpenCase("complaint", cid, at, state, category) for cid, at, state, category in complaints
    ]
    cases += [
        OpenCase(
            "escalation",
            eid,
            at,
            state,
            f"{level} ({EXECUTIVE_WARNING}): {reason}"
            if role == Role.EXECUTIVE
            else f"{level}: {reason}",
        )
        for eid, at, state, level, reason, role in escalations
    ]
    return CustomerCard(
        customer_id=customer_id,
        name=customer.name,
        phone=customer.phone,
        email=customer.email,
        agreement=agreement.name if agreement else None,
        promise=promise_text(agreement.answer_seconds, agreement.fix_hours) if agreement else None,
        special_requests=customer.special_requests,
        nuisance=customer.nuisance,
        nuisance_note=customer.nuisance_note,
        calls_recent=recent,
        recent_window_days=recent_window_days,
        last_calls=tuple(PastCall(*call) for call in calls),
        open_cases=tuple(sorted(cases, key=lambda case: case.opened_at, reverse=True)),
    )

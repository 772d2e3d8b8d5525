"""Survey answers (CSAT 1–5, NPS 0–10) and a manager's personal follow-up of bad ones.

A detractor (NPS 0–6, or CSAT at or below ``detractor_csat_max``) becomes a task
for a manager, due ``detractor_followup_hours`` after the answer came in; the
manager records their contact with the writer and its outcome.
Definitions: docs/measures.md, CSAT/NPS.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlmodel import Session, col

from svcdesk_tui.complaints.records import require_customers
from svcdesk_tui.core import audit
from svcdesk_tui.core.errors import Conflict, InvalidInput, NotFound
from svcdesk_tui.core.names import name_of
from svcdesk_tui.core.rows import existing
from svcdesk_tui.core.settings import CenterSettings
from svcdesk_tui.models import Call, Complaint, Customer, Feedback, Role, Staff
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, require

NPS_DETRACTOR_MAX = 6  # the NPS definition: detractors answer 0–6, promoters 9–10
NPS_PROMOTER_MIN = 9


def is_detractor(csat: int | None, nps: int | None, settings: CenterSettings) -> bool:
    return (nps is not None and nps <= NPS_DETRACTOR_MAX) or (
        csat is not None and csat <= settings.detractor_csat_max
    )


def detractor_condition(settings: CenterSettings) -> ColumnElement[bool]:
    """The same rule as :func:`is_detractor`, as a SQL condition on ``feedback``."""
    return or_(
        and_(col(Feedback.nps).is_not(None), col(Feedback.nps) <= NPS_DETRACTOR_MAX),
        and_(col(Feedback.csat).is_not(None), col(Feedback.csat) <= settings.detractor_csat_max),
    )


def _manager_for_followup(session: Session) -> int | None:
    """The active manager with the fewest open detractor follow-ups (ties: lowest id)."""
    open_tasks = (
        select(func.count())
        .select_from(Feedback)
        .where(col(Feedback.followup_owner_id) == Staff.id, col(Feedback.followed_up_at).is_(None))
        .scalar_subquery()
    )
    return session.execute(
        select(col(Staff.id))
        .where(col(Staff.role) == Role.MANAGER, col(Staff.left_on).is_(None))
        .order_by(open_tasks, col(Staff.id))
        .limit(1)
    ).scalar_one_or_none()


def record_feedback(
    session: Session,
    actor: Actor | None,
    settings: CenterSettings,
    *,
    now: datetime,
    customer_id: int,
    csat: int | None = None,
    nps: int | None = None,
    call_id: int | None = None,
    complaint_id: int | None = None,
    comment: str = "",
) -> Feedback:
    """Store one survey answer; a detractor gets a manager to follow it up.

    ``actor`` None is an import (a survey tool); a person needs the right to record.
    """
    if actor is not None:
        require(actor, Action.RECORD_FEEDBACK)
    if csat is None and nps is None:
        raise InvalidInput("feedback needs a CSAT score (1–5) or an NPS score (0–10)")
    if csat is not None and not 1 <= csat <= 5:
        raise InvalidInput(f"CSAT is 1–5, not {csat}")
    if nps is not None and not 0 <= nps <= 10:
        raise InvalidInput(f"NPS is 0–10, not {nps}")
    if call_id is None and complaint_id is None:
        raise InvalidInput("feedback belongs to a call or a complaint")
    if session.get(Customer, customer_id) is None:
        raise NotFound(f"no customer {customer_id}")
    mine = "is not one of this customer's"
    if call_id is not None:
        require_customers(session.get(Call, call_id), customer_id, f"call {call_id} {mine}")
    if complaint_id is not None:
        complaint = session.get(Complaint, complaint_id)
        require_customers(complaint, customer_id, f"complaint {complaint_id} {mine}")
    detractor = is_detractor(csat, nps, settings)
    feedback = Feedback(
        customer_id=customer_id,
        call_id=call_id,
        complaint_id=complaint_id,
        received_at=now,
        csat=csat,
        nps=nps,
        comment=comment.strip() or None,
        followup_owner_id=_manager_for_followup(session) if detractor else None,
    )
    after = {"csat": csat, "nps": nps, "detractor": detractor}
    audit.added(session, actor, feedback, "feedback.record", at=now, after=after)
    return feedback


def record_followup(
    session: Session,
    actor: Actor,
    feedback_id: int,
    settings: CenterSettings,
    *,
    now: datetime,
    outcome: str,
) -> Feedback:
    """The manager spoke with the writer of bad feedback; record how it went."""
    require(actor, Action.FOLLOW_UP_FEEDBACK)
    feedback = existing(session, Feedback, feedback_id, f"no feedback #{feedback_id}")
    if not is_detractor(feedback.csat, feedback.nps, settings):
        raise Conflict(f"feedback #{feedback_id} is not a detractor; it needs no follow-up")
    if feedback.followed_up_at is not None:
        raise Conflict(f"feedback #{feedback_id} was already followed up")
    if not outcome.strip():
        raise InvalidInput("say how the contact with the customer went")
    before = feedback.followup_owner_id
    feedback.followup_owner_id = actor.id
    feedback.followed_up_at, feedback.followup_outcome = now, outcome.strip()
    audit.record(
        session,
        actor,
        "feedback.followup",
        "feedback",
        feedback_id,
        at=now,
        before={"followup_owner_id": before},
        after={"followup_owner_id": actor.id, "outcome": outcome.strip()},
    )
    return feedback


@dataclass(frozen=True)
class DetractorTask:
    feedback_id: int
    customer_id: int
    customer: str
    csat: int | None
    nps: int | None
    comment: str | None
    received_at: datetime
    due_at: datetime
    owner: str | None

    def overdue(self, *, now: datetime) -> bool:
        return now > self.due_at


def open_detractor_tasks(session: Session, settings: CenterSettings) -> list[DetractorTask]:
    """Detractors nobody has followed up yet, oldest first."""
    rows = session.execute(
        select(
            col(Feedback.id),
            col(Feedback.customer_id),
            name_of(Customer, Feedback.customer_id),
            col(Feedback.csat),
            col(Feedback.nps),
            col(Feedback.comment),
            col(Feedback.received_at),
            name_of(Staff, Feedback.followup_owner_id),
        )
        .where(detractor_condition(settings), col(Feedback.followed_up_at).is_(None))
        .order_by(col(Feedback.received_at), col(Feedback.id))
    ).all()
    due = timedelta(hours=settings.detractor_followup_hours)
    return [
        DetractorTask(fid, cid, name, csat, nps, comment, at, at + due, owner_name)
        for fid, cid, name, csat, nps, comment, at, owner_name in rows
    ]

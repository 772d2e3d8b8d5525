"""What the complaint desk reads: call-backs, closes, pending compensation, categories,
who may call a customer back, and whether a call or complaint is the customer's."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from sqlalchemy import func, select
from sqlmodel import Session, col

from svcdesk_tui.core.errors import InvalidInput
from svcdesk_tui.models import (
    AttemptResult,
    Call,
    Compensation,
    CompensationState,
    Complaint,
    ComplaintClosure,
    FollowUpAttempt,
    Staff,
)

FAILED_RESULTS = (AttemptResult.NO_ANSWER, AttemptResult.LEFT_MESSAGE)
DEFAULT_CATEGORIES = (
    "Billing error",
    "Contract not as agreed",
    "Damaged on arrival",
    "Late delivery",
    "Outage",
    "Recurring fault",
    "Staff attitude",
    "Technician no-show",
    "Unclear manual",
    "Waiting time",
    "Wrong advice",
)
_Row = TypeVar("_Row", FollowUpAttempt, ComplaintClosure)


def require_customers(row: Call | Complaint | None, customer_id: int, refusal: str) -> None:
    """Refuse (``InvalidInput(refusal)``) a call or complaint missing or of another customer."""
    if row is None or row.customer_id != customer_id:
        raise InvalidInput(refusal)


def pending_compensation(session: Session, complaint_id: int) -> int | None:
    """The id of a compensation request of this complaint still waiting for approval."""
    return session.execute(
        select(col(Compensation.id))
        .where(
            col(Compensation.complaint_id) == complaint_id,
            col(Compensation.state) == CompensationState.PENDING,
        )
        .limit(1)
    ).scalar_one_or_none()


def failed_attempts(session: Session, complaint: Complaint) -> int:
    """Attempts that did not reach the customer since the complaint was last resolved."""
    if complaint.resolved_at is None:
        return 0
    return session.execute(
        select(func.count())
        .select_from(FollowUpAttempt)
        .where(
            col(FollowUpAttempt.complaint_id) == complaint.id,
            col(FollowUpAttempt.at) >= complaint.resolved_at,
            col(FollowUpAttempt.result).in_(FAILED_RESULTS),
        )
    ).scalar_one()


def attempts(session: Session, complaint_id: int) -> list[FollowUpAttempt]:
    """Every call-back of a complaint, oldest first."""
    return _of_complaint(session, FollowUpAttempt, FollowUpAttempt.at, complaint_id)


def closures(session: Session, complaint_id: int) -> list[ComplaintClosure]:
    """Every close of a complaint, void ones included, oldest first."""
    return _of_complaint(session, ComplaintClosure, ComplaintClosure.closed_at, complaint_id)


def _of_complaint(
    session: Session, model: type[_Row], at: datetime, complaint_id: int
) -> list[_Row]:
    return list(
        session.execute(
            select(model)
            .where(col(model.complaint_id) == complaint_id)
            .order_by(col(at), col(model.id))
        ).scalars()
    )


def followup_candidates(session: Session) -> list[tuple[int, str]]:
    """Active people who can call a customer back: (id, name), by name."""
    return [
        (row[0], row[1])
        for row in session.execute(
            select(col(Staff.id), col(Staff.name))
            .where(
                col(Staff.left_on).is_(None),
                col(Staff.role).in_(("agent", "lead", "manager")),
            )
            .order_by(col(Staff.name))
        )
    ]


def categories(session: Session) -> list[tuple[str, str]]:
    """(value, label) of every complaint category in use, plus the defaults, by name.

    Repeats are found by exact category, so people pick from this list.
    """
    used = session.execute(select(col(Complaint.category)).distinct()).scalars()
    names = sorted({*DEFAULT_CATEGORIES, *used}, key=str.casefold)
    return [(name, name) for name in names]

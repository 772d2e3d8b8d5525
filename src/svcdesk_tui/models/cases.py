"""Cases that follow a call: complaints, escalations, feedback, compensation."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, String, Text
from sqlmodel import Field, SQLModel

from svcdesk_tui.models.types import UtcTimestamp


class ComplaintState(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    AWAITING_CONFIRMATION = "awaiting_confirmation"
    CLOSED = "closed"
    CLOSED_UNCONFIRMED = "closed_unconfirmed"


class AttemptResult(StrEnum):
    CONFIRMED = "confirmed"
    NOT_SOLVED = "not_solved"
    NO_ANSWER = "no_answer"
    LEFT_MESSAGE = "left_message"


class Complaint(SQLModel, table=True):
    __table_args__ = (
        Index("ix_complaint_customer_category", "customer_id", "category", "opened_at"),
        Index("ix_complaint_state", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id")
    call_id: int | None = Field(default=None, foreign_key="call.id")
    category: str = Field(sa_type=String(60))
    description: str = Field(sa_type=Text, default="")
    opened_by_id: int | None = Field(default=None, foreign_key="staff.id")
    owner_id: int | None = Field(default=None, foreign_key="staff.id")
    state: str = Field(sa_type=String(24), default=ComplaintState.OPEN)
    opened_at: datetime = Field(sa_type=UtcTimestamp)
    promised_by: datetime | None = Field(default=None, sa_type=UtcTimestamp)
    resolved_at: datetime | None = Field(default=None, sa_type=UtcTimestamp)
    closed_at: datetime | None = Field(default=None, sa_type=UtcTimestamp)
    followup_owner_id: int | None = Field(default=None, foreign_key="staff.id")
    followup_due_at: datetime | None = Field(default=None, sa_type=UtcTimestamp)
    reopen_count: int = 0
    repeat_of_id: int | None = Field(default=None, foreign_key="complaint.id")


class FollowUpAttempt(SQLModel, table=True):
    """One try to reach the customer and confirm the problem is solved."""

    __tablename__ = "followup_attempt"

    id: int | None = Field(default=None, primary_key=True)
    complaint_id: int = Field(foreign_key="complaint.id", index=True)
    staff_id: int = Field(foreign_key="staff.id")
    at: datetime = Field(sa_type=UtcTimestamp)
    result: str = Field(sa_type=String(16))
    note: str | None = Field(default=None, sa_type=Text)


class ComplaintClosure(SQLModel, table=True):
    """A close of a complaint; a reopen voids it rather than deleting it."""

    __tablename__ = "complaint_closure"

    id: int | None = Field(default=None, primary_key=True)
    complaint_id: int = Field(foreign_key="complaint.id", index=True)
    kind: str = Field(sa_type=String(16))  # confirmed | unconfirmed
    closed_at: datetime = Field(sa_type=UtcTimestamp)
    closed_by_id: int | None = Field(default=None, foreign_key="staff.id")
    void: bool = False
    voided_at: datetime | None = Field(default=None, sa_type=UtcTimestamp)


class EscalationLevel(SQLModel, table=True):
    """A rung of the escalation ladder; the ladder is data, not code."""

    __tablename__ = "escalation_level"

    id: int | None = Field(default=None, primary_key=True)
    rank: int = Field(unique=True)
    code: str = Field(sa_type=String(16), unique=True)
    name: str = Field(sa_type=String(60))
    role: str = Field(sa_type=String(16))
    response_minutes: int


class EscalationState(StrEnum):
    RAISED = "raised"
    ACCEPTED = "accepted"
    RESOLVED = "resolved"


class Escalation(SQLModel, table=True):
    __table_args__ = (
        Index("ix_escalation_raised_at", "raised_at"),
        # the ladder's clock: "anything waiting too long on rung r?" is one index seek per rung
        Index("ix_escalation_waiting", "state", "level_rank", "level_entered_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    call_id: int | None = Field(default=None, foreign_key="call.id")
    complaint_id: int | None = Field(default=None, foreign_key="complaint.id")
    raised_by_id: int = Field(foreign_key="staff.id")
    raised_at: datetime = Field(sa_type=UtcTimestamp)
    level_rank: int
    level_entered_at: datetime = Field(sa_type=UtcTimestamp)
    state: str = Field(sa_type=String(16), default=EscalationState.RAISED)
    anger: int = 3
    reason: str = Field(sa_type=Text, default="")
    accepted_by_id: int | None = Field(default=None, foreign_key="staff.id")
    accepted_at: datetime | None = Field(default=None, sa_type=UtcTimestamp)
    resolved_by_id: int | None = Field(default=None, foreign_key="staff.id")
    resolved_at: datetime | None = Field(default=None, sa_type=UtcTimestamp)
    resolution_note: str | None = Field(default=None, sa_type=Text)
    promise: str | None = Field(default=None, sa_type=Text)


class EscalationEvent(SQLModel, table=True):
    """Append-only history of an escalation (raised, accepted, climbed, resolved)."""

    __tablename__ = "escalation_event"

    id: int | None = Field(default=None, primary_key=True)
    escalation_id: int = Field(foreign_key="escalation.id", index=True)
    at: datetime = Field(sa_type=UtcTimestamp)
    actor_id: int | None = Field(default=None, foreign_key="staff.id")
    kind: str = Field(sa_type=String(24))
    from_rank: int | None = None
    to_rank: int | None = None
    note: str | None = Field(default=None, sa_type=Text)


class Feedback(SQLModel, table=True):
    """A survey answer: CSAT 1–5 and/or NPS 0–10, tied to a call or complaint."""

    __table_args__ = (Index("ix_feedback_received_at", "received_at"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id")
    call_id: int | None = Field(default=None, foreign_key="call.id", index=True)
    complaint_id: int | None = Field(default=None, foreign_key="complaint.id")
    received_at: datetime = Field(sa_type=UtcTimestamp)
    csat: int | None = None
    nps: int | None = None
    comment: str | None = Field(default=None, sa_type=Text)
    followup_owner_id: int | None = Field(default=None, foreign_key="staff.id")
    followed_up_at: datetime | None = Field(default=None, sa_type=UtcTimestamp)
    followup_outcome: str | None = Field(default=None, sa_type=Text)


class CompensationKind(StrEnum):
    REFUND = "refund"
    CREDIT = "credit"
    REPLACEMENT = "replacement"
    FREE_DELIVERY = "free_delivery"


class CompensationState(StrEnum):
    GRANTED = "granted"
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class Compensation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    complaint_id: int | None = Field(default=None, foreign_key="complaint.id")
    call_id: int | None = Field(default=None, foreign_key="call.id")
    kind: str = Field(sa_type=String(16))
    amount_cents: int
    requested_by_id: int = Field(foreign_key="staff.id")
    requested_at: datetime = Field(sa_type=UtcTimestamp)
    state: str = Field(sa_type=String(16), default=CompensationState.GRANTED)
    decided_by_id: int | None = Field(default=None, foreign_key="staff.id")
    decided_at: datetime | None = Field(default=None, sa_type=UtcTimestamp)
    note: str | None = Field(default=None, sa_type=Text)

"""Quality monitoring: evaluation forms (versioned data), the weekly sample, evaluations."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from svcdesk_tui.models.types import UtcTimestamp


class ItemKind(StrEnum):
    YES_NO = "yes_no"
    YES_NO_PARTLY = "yes_no_partly"
    SCALE = "scale"


class EvaluationState(StrEnum):
    DONE = "done"  # scored, waiting for the agent's word
    ACCEPTED = "accepted"
    DISPUTED = "disputed"  # with a manager
    UPHELD = "upheld"  # the manager kept the score
    OVERTURNED = "overturned"  # the manager voided it: it counts nowhere


class MonitoringForm(SQLModel, table=True):
    """One version of an evaluation form; a changed form is a new version, never an edit."""

    __tablename__ = "monitoring_form"
    __table_args__ = (UniqueConstraint("name", "version", name="uq_monitoring_form_version"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(80))
    version: int = 1
    created_at: datetime = Field(sa_type=UtcTimestamp)
    created_by_id: int | None = Field(default=None, foreign_key="staff.id")


class MonitoringItem(SQLModel, table=True):
    """A question of a form: how it is answered, its weight, and whether it fails the call."""

    __tablename__ = "monitoring_item"
    __table_args__ = (UniqueConstraint("form_id", "code", name="uq_monitoring_item_code"),)

    id: int | None = Field(default=None, primary_key=True)
    form_id: int = Field(foreign_key="monitoring_form.id", index=True)
    position: int = 0
    section: str = Field(sa_type=String(80))
    code: str = Field(sa_type=String(40))
    text: str = Field(sa_type=String(200))
    kind: str = Field(sa_type=String(16), default=ItemKind.YES_NO)
    scale_max: int | None = None
    weight: int = 1
    critical: bool = False


class MonitoringSample(SQLModel, table=True):
    """A call drawn for evaluation in a week, and why it was drawn."""

    __tablename__ = "monitoring_sample"
    __table_args__ = (
        UniqueConstraint("call_id", name="uq_monitoring_sample_call"),
        Index("ix_monitoring_sample_week", "week", "agent_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="call.id")
    agent_id: int = Field(foreign_key="staff.id")
    week: date
    reason: str = Field(sa_type=String(16))
    drawn_at: datetime = Field(sa_type=UtcTimestamp)


class Evaluation(SQLModel, table=True):
    """One evaluator's scoring of one call with one form version."""

    __table_args__ = (
        UniqueConstraint("call_id", "evaluator_id", name="uq_evaluation_call_evaluator"),
        Index("ix_evaluation_at", "evaluated_at"),
        Index("ix_evaluation_agent", "agent_id", "evaluated_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="call.id")
    agent_id: int = Field(foreign_key="staff.id")
    evaluator_id: int = Field(foreign_key="staff.id")
    form_id: int = Field(foreign_key="monitoring_form.id")
    calibration: bool = False  # a second look at a call already evaluated
    score: float = 0.0  # 0–1; 0 when a critical item failed
    raw_score: float = 0.0  # 0–1 before the critical items
    critical_failed: bool = False
    comment: str = Field(sa_type=Text, default="")
    coaching: str = Field(sa_type=Text, default="")
    state: str = Field(sa_type=String(16), default=EvaluationState.DONE)
    evaluated_at: datetime = Field(sa_type=UtcTimestamp)
    answered_at: datetime | None = Field(default=None, sa_type=UtcTimestamp)
    dispute_reason: str | None = Field(default=None, sa_type=Text)
    dispute_owner_id: int | None = Field(default=None, foreign_key="staff.id")
    dispute_note: str | None = Field(default=None, sa_type=Text)
    dispute_closed_at: datetime | None = Field(default=None, sa_type=UtcTimestamp)


class EvaluationAnswer(SQLModel, table=True):
    """The answer to one item: what was said and the share of the item's weight it earns."""

    __tablename__ = "evaluation_answer"

    evaluation_id: int = Field(foreign_key="evaluation.id", primary_key=True)
    item_id: int = Field(foreign_key="monitoring_item.id", primary_key=True)
    answer: str = Field(sa_type=String(8))
    earned: float | None = None  # 0–1; None for "n/a"

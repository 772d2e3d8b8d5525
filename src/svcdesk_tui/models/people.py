"""Staff, their presence, shifts and absences."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index, String
from sqlmodel import Field, SQLModel

from svcdesk_tui.models.types import UtcTimestamp


class Role(StrEnum):
    AGENT = "agent"
    LEAD = "lead"
    MANAGER = "manager"
    EXECUTIVE = "executive"
    ADMIN = "admin"
    TECHNICIAN = "technician"  # field service: visits customers, takes no calls
    WALLBOARD = "wallboard"  # the floor's TV: sees the wallboard, nothing else


FIELD_ROLES = (Role.TECHNICIAN,)
"""Roles whose shifts are field work: never call-center staffing (agents board, load, agents)."""


class AgentStateKind(StrEnum):
    OFFLINE = "offline"
    AVAILABLE = "available"
    ON_CALL = "on_call"
    WRAP_UP = "wrap_up"
    PAUSED = "paused"


class AbsenceKind(StrEnum):
    VACATION = "vacation"
    SICK = "sick"
    TRAINING = "training"
    LEAVING = "leaving"
    OTHER = "other"


class Staff(SQLModel, table=True):
    """A person of the center; `login` is their OS login."""

    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(sa_type=String(64), unique=True, index=True)
    name: str = Field(sa_type=String(120))
    role: str = Field(sa_type=String(16), default=Role.AGENT)
    team_lead_id: int | None = Field(default=None, foreign_key="staff.id")
    hired_on: date
    left_on: date | None = None
    compensation_limit_cents: int = 0
    email: str | None = Field(default=None, sa_type=String(200))


class Absence(SQLModel, table=True):
    """A planned or recorded absence; both dates inclusive."""

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    kind: str = Field(sa_type=String(16), default=AbsenceKind.VACATION)
    starts_on: date
    ends_on: date
    note: str | None = None


class Shift(SQLModel, table=True):
    """A scheduled working shift (the plan; presence is what happened)."""

    __table_args__ = (Index("ix_shift_starts_at", "starts_at"),)

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    queue_id: int | None = Field(default=None, foreign_key="queue.id")
    starts_at: datetime = Field(sa_type=UtcTimestamp)
    ends_at: datetime = Field(sa_type=UtcTimestamp)


class AgentStatus(SQLModel, table=True):
    """An agent's state right now: one row per agent who ever logged in."""

    __tablename__ = "agent_status"

    staff_id: int = Field(foreign_key="staff.id", primary_key=True)
    state: str = Field(sa_type=String(16), default=AgentStateKind.OFFLINE)
    reason: str | None = Field(default=None, sa_type=String(60))
    since: datetime = Field(sa_type=UtcTimestamp)
    call_id: int | None = Field(default=None, foreign_key="call.id")
    client: str | None = Field(default=None, sa_type=String(80))
    heartbeat_at: datetime | None = Field(default=None, sa_type=UtcTimestamp)


class PresenceKind(StrEnum):
    SESSION = "session"
    PAUSE = "pause"


class PresenceLog(SQLModel, table=True):
    """Logged-in sessions and pauses as intervals; an open one has no end."""

    __tablename__ = "presence_log"
    __table_args__ = (
        Index("ix_presence_staff_started", "staff_id", "started_at"),
        Index("ix_presence_started", "started_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id")
    kind: str = Field(sa_type=String(16), default=PresenceKind.SESSION)
    reason: str | None = Field(default=None, sa_type=String(60))
    started_at: datetime = Field(sa_type=UtcTimestamp)
    ended_at: datetime | None = Field(default=None, sa_type=UtcTimestamp)

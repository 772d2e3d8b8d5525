"""Procedures, who can do them (I/L/U/O) and who can approve what."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class Criticality(StrEnum):
    CRITICAL = "critical"
    IMPORTANT = "important"
    ROUTINE = "routine"


class SkillLevel(StrEnum):
    """I: in training; L: under supervision; U: alone; O: alone and teaches."""

    I = "I"  # noqa: E741
    L = "L"
    U = "U"
    O = "O"  # noqa: E741


class Procedure(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(120), unique=True)
    description: str | None = Field(default=None, sa_type=Text)
    criticality: str = Field(sa_type=String(16), default=Criticality.ROUTINE)
    area: str | None = Field(default=None, sa_type=String(60))
    queue_id: int | None = Field(default=None, foreign_key="queue.id")
    documented: bool = False
    doc_location: str | None = Field(default=None, sa_type=String(300))
    frequency: str | None = Field(default=None, sa_type=String(16))


class Skill(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("staff_id", "procedure_id", name="uq_skill_person"),)

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    procedure_id: int = Field(foreign_key="procedure.id", index=True)
    level: str = Field(sa_type=String(1))


class ApprovalAuthority(SQLModel, table=True):
    """A right to approve something (e.g. compensation above a limit)."""

    __tablename__ = "approval_authority"
    __table_args__ = (UniqueConstraint("staff_id", "kind", name="uq_authority_person"),)

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    kind: str = Field(sa_type=String(40))
    limit_cents: int | None = None

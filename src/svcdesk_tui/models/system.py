"""Settings, the schema marker and the append-only audit trail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlmodel import Field, SQLModel

from svcdesk_tui.models.types import UtcTimestamp


class Setting(SQLModel, table=True):
    """A center-wide threshold or preference; the value is JSON text."""

    key: str = Field(sa_type=String(60), primary_key=True)
    value: str = Field(sa_type=Text)


class SchemaInfo(SQLModel, table=True):
    """One row: which schema version this database has and whether it is a demo."""

    __tablename__ = "schema_info"

    id: int = Field(default=1, primary_key=True)
    version: int
    demo: bool = False
    center_name: str = Field(sa_type=String(120), default="Service center")
    created_at: datetime = Field(sa_type=UtcTimestamp)


class AuditEntry(SQLModel, table=True):
    """Who did what, when, and the value before and after (JSON).

    Never updated or deleted: the schema (migration 0001) makes the database refuse both.
    """

    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_at", "at"),
        Index("ix_audit_entity", "entity", "entity_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UtcTimestamp)
    actor_id: int | None = Field(default=None, foreign_key="staff.id")
    actor_login: str = Field(sa_type=String(64))
    action: str = Field(sa_type=String(60))
    entity: str = Field(sa_type=String(40))
    entity_id: str | None = Field(default=None, sa_type=String(40))
    before: str | None = Field(default=None, sa_type=Text)
    after: str | None = Field(default=None, sa_type=Text)

"""Calls: one row per call that entered a queue, from waiting to its end."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, String, Text, UniqueConstraint, literal_column, text
from sqlmodel import Field, SQLModel, col

from svcdesk_tui.models.types import UtcTimestamp


class CallState(StrEnum):
    WAITING = "waiting"
    ON_CALL = "on_call"
    WRAP_UP = "wrap_up"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


class CallOutcome(StrEnum):
    RESOLVED = "resolved"
    UNRESOLVED = "unresolved"


# A literal (not a bound parameter) so SQLite can prove a query fits the
# partial index below: use `is_waiting()` in every query for waiting calls.
WAITING_SQL = "state = 'waiting'"


class Call(SQLModel, table=True):
    """A call. Durations are whole seconds, filled in as the call moves on.

    ``ix_call_customer_history`` (customer, time, reason, state) serves a customer's
    recent calls and, without reading the table, the FCR and repeat-call look-ups
    of ``services/resolution.py`` (one per handled call in a report's period).
    """

    __table_args__ = (
        Index("ix_call_entered_at", "entered_at"),
        Index("ix_call_customer_history", "customer_id", "entered_at", "reason_id", "state"),
        Index("ix_call_agent_entered", "agent_id", "entered_at"),
        UniqueConstraint("source", "external_id", name="uq_call_source_external"),
    )

    id: int | None = Field(default=None, primary_key=True)
    queue_id: int = Field(foreign_key="queue.id")
    customer_id: int | None = Field(default=None, foreign_key="customer.id")
    caller_number: str | None = Field(default=None, sa_type=String(40))
    priority: int = 0
    state: str = Field(sa_type=String(16), default=CallState.WAITING)
    agent_id: int | None = Field(default=None, foreign_key="staff.id")
    entered_at: datetime = Field(sa_type=UtcTimestamp)
    answered_at: datetime | None = Field(default=None, sa_type=UtcTimestamp)
    talk_ended_at: datetime | None = Field(default=None, sa_type=UtcTimestamp)
    ended_at: datetime | None = Field(default=None, sa_type=UtcTimestamp)
    wait_seconds: int | None = None
    talk_seconds: int | None = None
    wrap_seconds: int | None = None
    end_reason: str | None = Field(default=None, sa_type=String(24))
    reason_id: int | None = Field(default=None, foreign_key="contact_reason.id")
    product_id: int | None = Field(default=None, foreign_key="product.id")
    outcome: str | None = Field(default=None, sa_type=String(24))
    note: str | None = Field(default=None, sa_type=Text)
    source: str = Field(sa_type=String(16), default="manual")
    external_id: str | None = Field(default=None, sa_type=String(64))
    recording_path: str | None = Field(default=None, sa_type=String(500))
    """Where the call's recording lies (a file path); the audio is never in the store."""
    # Facts for FCR and repeat calls, kept as later calls arrive (core/intervals.py): when the
    # same customer next called about the same reason, and when they last had a handled call
    # before this one. Window-free, so a changed window needs no rewrite.
    next_same_reason_at: datetime | None = Field(default=None, sa_type=UtcTimestamp)
    prev_handled_at: datetime | None = Field(default=None, sa_type=UtcTimestamp)


def is_waiting():  # type: ignore[no-untyped-def]
    """``call.state = 'waiting'`` written so the partial index ``ix_call_waiting`` applies."""
    return Call.state == literal_column("'waiting'")


# The live queue's index: only waiting calls, already in the order they are
# answered (priority, then longest wait), holding all the columns the queue
# scan reads so it never touches the table. Migration 0001 gives it the same
# predicate on PostgreSQL; saying so here too would load SQLAlchemy's whole
# PostgreSQL dialect at every start of the desk, on SQLite as well (~30 ms).
Index(
    "ix_call_waiting",
    col(Call.priority).desc(),
    col(Call.entered_at),
    col(Call.queue_id),
    col(Call.customer_id),
    sqlite_where=text(WAITING_SQL),
)

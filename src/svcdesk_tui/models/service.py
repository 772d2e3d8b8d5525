"""The technical service desk: where a call went, service tickets, visits and sales leads."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, String, Text
from sqlmodel import Field, SQLModel

from svcdesk_tui.models.types import UtcTimestamp


class CallRoute(StrEnum):
    """Where a completed call went next."""

    SOLVED = "solved"  # solved on the call
    EXPERT = "expert"  # an application problem, routed to a system expert
    DISPATCH = "dispatch"  # a technician goes out
    SALES = "sales"  # information or a need passed to sales


class ExpertMode(StrEnum):
    ON_LINE = "on_line"  # worked remotely while the customer stays on the line
    CALL_BACK = "call_back"  # the expert calls the customer back


class CallRouting(SQLModel, table=True):
    """How the agent routed one completed call."""

    __tablename__ = "call_routing"

    call_id: int = Field(foreign_key="call.id", primary_key=True)
    route: str = Field(sa_type=String(16))
    expert_mode: str | None = Field(default=None, sa_type=String(16))
    agent_id: int | None = Field(default=None, foreign_key="staff.id")
    routed_at: datetime = Field(sa_type=UtcTimestamp)


class FaultType(SQLModel, table=True):
    """A kind of fault; fixing it is a procedure, so technicians' skills say who can."""

    __tablename__ = "fault_type"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_type=String(40), unique=True)
    label: str = Field(sa_type=String(120))
    procedure_id: int = Field(foreign_key="procedure.id", index=True)


class TicketState(StrEnum):
    OPEN = "open"
    FIXED = "fixed"
    CANCELLED = "cancelled"


class ServiceTicket(SQLModel, table=True):
    """A fault at a customer's site and what their agreement promised when it was opened."""

    __tablename__ = "service_ticket"
    __table_args__ = (
        Index("ix_ticket_opened_at", "opened_at"),
        Index("ix_ticket_customer_fault", "customer_id", "fault_type_id", "opened_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id")
    call_id: int | None = Field(default=None, foreign_key="call.id")
    fault_type_id: int = Field(foreign_key="fault_type.id")
    fault: str = Field(sa_type=Text)
    estimated_fix_hours: float
    senior_required: bool = False
    equipment: str | None = Field(default=None, sa_type=Text)
    agreement_id: int | None = Field(default=None, foreign_key="agreement.id")
    promised_response_hours: float | None = None
    promised_fix_hours: float | None = None
    opened_at: datetime = Field(sa_type=UtcTimestamp)
    opened_by_id: int | None = Field(default=None, foreign_key="staff.id")
    state: str = Field(sa_type=String(16), default=TicketState.OPEN)
    fixed_at: datetime | None = Field(default=None, sa_type=UtcTimestamp)
    internal_note: str | None = Field(default=None, sa_type=Text)


class VisitOutcome(StrEnum):
    FIXED = "fixed"
    NOT_FIXED = "not_fixed"
    PARTS_NEEDED = "parts_needed"
    NO_ACCESS = "no_access"


class Visit(SQLModel, table=True):
    """A technician's visit: planned, then done with an outcome."""

    __table_args__ = (Index("ix_visit_technician_planned", "technician_id", "planned_at"),)

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="service_ticket.id", index=True)
    technician_id: int = Field(foreign_key="staff.id")
    planned_at: datetime = Field(sa_type=UtcTimestamp)
    planned_until: datetime = Field(sa_type=UtcTimestamp)
    arrived_at: datetime | None = Field(default=None, sa_type=UtcTimestamp)
    ended_at: datetime | None = Field(default=None, sa_type=UtcTimestamp)
    outcome: str | None = Field(default=None, sa_type=String(16))
    internal_note: str | None = Field(default=None, sa_type=Text)


class LeadKind(StrEnum):
    NEED = "need"
    OPPORTUNITY = "opportunity"
    INFORMATION = "information"


class Lead(SQLModel, table=True):
    """A customer's need or an opportunity an agent heard, for sales to follow."""

    __table_args__ = (Index("ix_lead_created_at", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    agent_id: int = Field(foreign_key="staff.id")
    call_id: int | None = Field(default=None, foreign_key="call.id")
    kind: str = Field(sa_type=String(16), default=LeadKind.NEED)
    text: str = Field(sa_type=Text)
    created_at: datetime = Field(sa_type=UtcTimestamp)

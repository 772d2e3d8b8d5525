"""The visits still waiting for their outcome: a technician's day, or everyone's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from svcdesk_tui.models import Customer, FaultType, ServiceTicket, Staff, Visit


@dataclass(frozen=True)
class PlannedVisit:
    visit_id: int
    ticket_id: int
    planned_at: datetime
    planned_until: datetime
    technician: str
    customer: str
    phone: str | None
    fault_type: str
    fault: str
    equipment: str | None


def planned_visits(session: Session, *, technician_id: int | None = None) -> list[PlannedVisit]:
    """Visits without an outcome, earliest first (one technician's when given)."""
    query = (
        select(
            Visit.id,
            Visit.ticket_id,
            Visit.planned_at,
            Visit.planned_until,
            Staff.name,
            Customer.name,
            Customer.phone,
            FaultType.label,
            ServiceTicket.fault,
            ServiceTicket.equipment,
        )
        .join(ServiceTicket, ServiceTicket.id == Visit.ticket_id)
        .join(Staff, Staff.id == Visit.technician_id)
        .join(Customer, Customer.id == ServiceTicket.customer_id)
        .join(FaultType, FaultType.id == ServiceTicket.fault_type_id)
        .where(Visit.outcome.is_(None))  # type: ignore[union-attr]
        .order_by(Visit.planned_at, Visit.id)
    )
    if technician_id is not None:
        query = query.where(Visit.technician_id == technician_id)
    return [PlannedVisit(*row) for row in session.execute(query)]

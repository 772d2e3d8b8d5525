"""The visits still waiting for their outcome: a technician's day, or everyone's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from svcdesk_tui.core.names import name_of
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
            col(Visit.id),
            col(Visit.ticket_id),
            col(Visit.planned_at),
            col(Visit.planned_until),
            name_of(Staff, Visit.technician_id),
            col(Customer.name),
            col(Customer.phone),
            col(FaultType.label),
            col(ServiceTicket.fault),
            col(ServiceTicket.equipment),
        )
        .join(ServiceTicket, col(ServiceTicket.id) == Visit.ticket_id)
        .join(Customer, col(Customer.id) == ServiceTicket.customer_id)
        .join(FaultType, col(FaultType.id) == ServiceTicket.fault_type_id)
        .where(col(Visit.outcome).is_(None))
        .order_by(col(Visit.planned_at), col(Visit.id))
    )
    if technician_id is not None:
        query = query.where(col(Visit.technician_id) == technician_id)
    return [PlannedVisit(*row) for row in session.execute(query)]

"""First-time fix: one technician, one visit, and the fault stays fixed.

A service ticket is judged once its first visit is over (the visit with the
earliest end among those with an outcome); the ticket belongs to the period in
which that visit ended and to that visit's technician. It is a **first-time
fix** when that first visit fixed the fault and the same customer opened no new
ticket of the same fault type within the window after it (setting
``first_time_fix_window_days``, default 14). Cancelled tickets are not judged.
A fix of the last days counts as lasting until a new fault arrives.
Definition: docs/measures.md, First-time fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, exists, func, literal, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.expression import Subquery
from sqlmodel import Session, col

from svcdesk_tui.core.periods import Period
from svcdesk_tui.core.sqltime import DAY, epoch, within
from svcdesk_tui.models import (
    Agreement,
    FaultType,
    ServiceTicket,
    Staff,
    TicketState,
    Visit,
    VisitOutcome,
)

DEFAULT_WINDOW_DAYS = 14
NO_AGREEMENT = "No agreement"
DIMENSIONS = ("technician", "fault_type", "tier")


@dataclass(frozen=True)
class FirstTimeFix:
    label: str
    judged: int
    fixed_first_time: int

    @property
    def rate(self) -> float | None:
        return self.fixed_first_time / self.judged if self.judged else None


def first_visits() -> Subquery:
    """Each ticket's first finished visit: ticket, technician, outcome and end (epoch)."""
    ranked = (
        select(
            col(Visit.ticket_id),
            col(Visit.technician_id),
            col(Visit.outcome),
            epoch(col(Visit.ended_at)).label("ended_s"),
            func.row_number()
            .over(partition_by=col(Visit.ticket_id), order_by=(col(Visit.ended_at), col(Visit.id)))
            .label("n"),
        )
        .where(col(Visit.outcome).is_not(None))
        .subquery()
    )
    return select(ranked).where(ranked.c.n == 1).subquery("first_visit")


def first_time_fix(
    session: Session,
    period: Period,
    *,
    window_days: int = DEFAULT_WINDOW_DAYS,
    by: str | None = None,
    customer_id: int | None = None,
) -> list[FirstTimeFix]:
    """First-time fix in the period: one row for the whole (``by=None``) or one per
    technician, fault type or agreement tier, largest first."""
    first = first_visits()
    later = aliased(ServiceTicket)
    came_back = exists().where(
        col(later.customer_id) == ServiceTicket.customer_id,
        col(later.fault_type_id) == ServiceTicket.fault_type_id,
        col(later.id) != ServiceTicket.id,
        epoch(col(later.opened_at)) > first.c.ended_s,
        epoch(col(later.opened_at)) <= first.c.ended_s + window_days * DAY,
    )
    lasting = case(
        (and_(first.c.outcome == VisitOutcome.FIXED, ~came_back), 1),
        else_=0,
    )
    label = _label(by)
    query = (
        select(label.label("label"), func.count(), func.coalesce(func.sum(lasting), 0))
        .select_from(ServiceTicket)
        .join(first, first.c.ticket_id == col(ServiceTicket.id))
        .where(
            col(ServiceTicket.state) != TicketState.CANCELLED,
            within(first.c.ended_s, period),
        )
        .group_by(label)
    )
    if by == "technician":
        query = query.join(Staff, col(Staff.id) == first.c.technician_id)
    elif by == "fault_type":
        query = query.join(FaultType, col(FaultType.id) == ServiceTicket.fault_type_id)
    elif by == "tier":
        query = query.outerjoin(Agreement, col(Agreement.id) == ServiceTicket.agreement_id)
    if customer_id is not None:
        query = query.where(col(ServiceTicket.customer_id) == customer_id)
    rows = [
        FirstTimeFix(str(name), judged, fixed) for name, judged, fixed in session.execute(query)
    ]
    if by is None and not rows:
        return [FirstTimeFix("All", 0, 0)]
    return sorted(rows, key=lambda row: (-row.judged, row.label))


def _label(by: str | None) -> Any:
    if by is None:
        return literal("All")
    if by == "technician":
        return col(Staff.name)
    if by == "fault_type":
        return col(FaultType.label)
    if by == "tier":
        return func.coalesce(col(Agreement.name), NO_AGREEMENT)
    raise ValueError(f"first-time fix is measured by one of {', '.join(DIMENSIONS)}")

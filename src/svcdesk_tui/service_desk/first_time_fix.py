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

from sqlalchemy import and_, case, exists, func, select
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
    if by is not None and by not in DIMENSIONS:
        raise ValueError(f"first-time fix is measured by one of {', '.join(DIMENSIONS)}")
    return first_time_fix_cuts(session, period, window_days=window_days, customer_id=customer_id)[
        by
    ]


def first_time_fix_cuts(
    session: Session,
    period: Period,
    *,
    window_days: int = DEFAULT_WINDOW_DAYS,
    customer_id: int | None = None,
) -> dict[str | None, list[FirstTimeFix]]:
    """:func:`first_time_fix` for the whole (key None) and by each of :data:`DIMENSIONS`,
    counted in one pass over the first visits and added up per cut."""
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
    labels = (
        col(Staff.name),
        col(FaultType.label),
        func.coalesce(col(Agreement.name), NO_AGREEMENT),
    )
    query = (
        select(*labels, func.count(), func.coalesce(func.sum(lasting), 0))
        .select_from(ServiceTicket)
        .join(first, first.c.ticket_id == col(ServiceTicket.id))
        .outerjoin(Staff, col(Staff.id) == first.c.technician_id)
        .outerjoin(FaultType, col(FaultType.id) == ServiceTicket.fault_type_id)
        .outerjoin(Agreement, col(Agreement.id) == ServiceTicket.agreement_id)
        .where(
            col(ServiceTicket.state) != TicketState.CANCELLED,
            within(first.c.ended_s, period),
        )
        .group_by(*labels)
    )
    if customer_id is not None:
        query = query.where(col(ServiceTicket.customer_id) == customer_id)
    sums: dict[str | None, dict[str, list[int]]] = {by: {} for by in (None, *DIMENSIONS)}
    for *names, judged, fixed in session.execute(query):
        # a ticket without a technician or fault type has no row in that cut
        for by, name in zip((None, *DIMENSIONS), ("All", *names), strict=True):
            if name is not None:
                cell = sums[by].setdefault(str(name), [0, 0])
                cell[0] += int(judged)
                cell[1] += int(fixed)
    cuts = {
        by: sorted(
            (FirstTimeFix(label, judged, fixed) for label, (judged, fixed) in cells.items()),
            key=lambda row: (-row.judged, row.label),
        )
        for by, cells in sums.items()
    }
    if not cuts[None]:
        cuts[None] = [FirstTimeFix("All", 0, 0)]
    return cuts

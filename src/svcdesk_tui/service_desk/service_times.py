"""Promised against actual: each agreement tier's response and fix times as customers felt them.

For service tickets opened in the period (cancelled ones aside):
- **response time**: from opening to the first technician's arrival;
- **fix time**: from opening to the end of the visit that fixed the fault.
Each ticket keeps the promise its agreement made when it was opened. Per tier:
the mean promise, the mean actual time, the gap (actual − promised, seconds;
positive means later than promised) and the share of tickets within their
promise. Tickets not yet reached or not yet fixed are counted as open, not timed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import SupportsFloat

from sqlalchemy import case, func, select
from sqlmodel import Session, col

from svcdesk_tui.core.periods import Period
from svcdesk_tui.core.sqltime import HOUR, epoch, within
from svcdesk_tui.models import Agreement, ServiceTicket, TicketState, Visit

NO_AGREEMENT = "No agreement"


@dataclass(frozen=True)
class PromiseKept:
    """One tier's promised and actual times, in seconds."""

    tier: str
    tickets: int
    promised_response_seconds: float | None
    responded: int
    mean_response_seconds: float | None
    responded_in_time: int
    promised_fix_seconds: float | None
    fixed: int
    mean_fix_seconds: float | None
    fixed_in_time: int

    @property
    def response_gap_seconds(self) -> float | None:
        return _gap(self.mean_response_seconds, self.promised_response_seconds)

    @property
    def fix_gap_seconds(self) -> float | None:
        return _gap(self.mean_fix_seconds, self.promised_fix_seconds)

    @property
    def response_in_time_rate(self) -> float | None:
        promised = self.promised_response_seconds is not None
        return self.responded_in_time / self.responded if self.responded and promised else None

    @property
    def fix_in_time_rate(self) -> float | None:
        promised = self.promised_fix_seconds is not None
        return self.fixed_in_time / self.fixed if self.fixed and promised else None


def _gap(actual: float | None, promised: float | None) -> float | None:
    return None if actual is None or promised is None else actual - promised


def promises_kept(
    session: Session, period: Period, *, customer_id: int | None = None
) -> list[PromiseKept]:
    """One row per agreement tier with tickets opened in the period, best tier first."""
    arrival = (
        select(col(Visit.ticket_id), func.min(epoch(col(Visit.arrived_at))).label("arrived_s"))
        .where(col(Visit.arrived_at).is_not(None))
        .group_by(col(Visit.ticket_id))
        .subquery()
    )
    opened = epoch(col(ServiceTicket.opened_at))
    response = arrival.c.arrived_s - opened
    fix = epoch(col(ServiceTicket.fixed_at)) - opened
    promised_response = col(ServiceTicket.promised_response_hours) * HOUR
    promised_fix = col(ServiceTicket.promised_fix_hours) * HOUR
    tier = func.coalesce(col(Agreement.name), NO_AGREEMENT)
    query = (
        select(
            tier,
            func.count(),
            func.avg(promised_response),
            func.count(arrival.c.arrived_s),
            func.avg(response),
            func.sum(case((response <= promised_response, 1), else_=0)),
            func.avg(promised_fix),
            func.count(col(ServiceTicket.fixed_at)),
            func.avg(fix),
            func.sum(case((fix <= promised_fix, 1), else_=0)),
        )
        .select_from(ServiceTicket)
        .outerjoin(arrival, arrival.c.ticket_id == col(ServiceTicket.id))
        .outerjoin(Agreement, col(Agreement.id) == ServiceTicket.agreement_id)
        .where(
            col(ServiceTicket.state) != TicketState.CANCELLED,
            within(opened, period),
        )
        .group_by(tier, col(Agreement.rank))
        .order_by(func.coalesce(col(Agreement.rank), -1).desc(), tier)
    )
    if customer_id is not None:
        query = query.where(col(ServiceTicket.customer_id) == customer_id)
    return [
        PromiseKept(
            tier=row[0],
            tickets=row[1],
            promised_response_seconds=_float(row[2]),
            responded=row[3],
            mean_response_seconds=_float(row[4]),
            responded_in_time=row[5] or 0,
            promised_fix_seconds=_float(row[6]),
            fixed=row[7],
            mean_fix_seconds=_float(row[8]),
            fixed_in_time=row[9] or 0,
        )
        for row in session.execute(query)
    ]


def _float(value: SupportsFloat | None) -> float | None:
    return None if value is None else float(value)

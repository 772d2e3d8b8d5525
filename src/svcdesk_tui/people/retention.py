"""Staff retention (docs/measures.md, Tenure and attrition) for the agents of the center.

- Headcount on a day: agents hired on or before it who had not left by it
  (someone whose ``left_on`` is that day has left, as in identity.py).
- Joiners / leavers: hired / left within the period (both days inclusive).
- Attrition: leavers ÷ mean headcount (mean of first and last day).
- Tenure: days from hire to leaving, or to the last day for those still here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from statistics import median

from sqlalchemy import and_, or_, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from svcdesk_tui.core import rates
from svcdesk_tui.core.sql import count
from svcdesk_tui.models import Role, Staff


@dataclass(frozen=True)
class Retention:
    headcount_start: int
    headcount_end: int
    joiners: int
    leavers: int
    median_tenure_days: float | None
    median_tenure_leavers_days: float | None

    @property
    def attrition(self) -> float | None:
        return rates.share(self.leavers, (self.headcount_start + self.headcount_end) / 2)


def _active_on(day: date) -> ColumnElement[bool]:
    left_on = col(Staff.left_on)
    return and_(col(Staff.hired_on) <= day, or_(left_on.is_(None), left_on > day))


def retention(session: Session, first: date, last: date, role: str = Role.AGENT) -> Retention:
    """Retention figures for the days ``first`` .. ``last`` (inclusive)."""
    start, end, joiners, leavers = session.execute(
        select(
            count(_active_on(first)),
            count(_active_on(last)),
            count(and_(col(Staff.hired_on) >= first, col(Staff.hired_on) <= last)),
            count(and_(col(Staff.left_on) >= first, col(Staff.left_on) <= last)),
        ).where(col(Staff.role) == role)
    ).one()
    here = session.execute(
        select(col(Staff.hired_on)).where(col(Staff.role) == role, _active_on(last))
    ).scalars()
    gone = session.execute(
        select(col(Staff.hired_on), col(Staff.left_on)).where(
            col(Staff.role) == role,
            col(Staff.left_on) >= first,
            col(Staff.left_on) <= last,
        )
    ).all()
    tenure_here = [(last - hired).days for hired in here]
    tenure_gone = [(left - hired).days for hired, left in gone]
    return Retention(
        start,
        end,
        joiners,
        leavers,
        median_tenure_days=median(tenure_here) if tenure_here else None,
        median_tenure_leavers_days=median(tenure_gone) if tenure_gone else None,
    )

"""Staff retention (DOMAIN.md, indicator 4) for the agents of the center.

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

from sqlalchemy import and_, case, func, or_, select
from sqlmodel import Session

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
        mean = (self.headcount_start + self.headcount_end) / 2
        return self.leavers / mean if mean else None


def _active_on(day: date):  # type: ignore[no-untyped-def]
    return and_(Staff.hired_on <= day, or_(Staff.left_on.is_(None), Staff.left_on > day))  # type: ignore[union-attr,operator]


def _count(condition):  # type: ignore[no-untyped-def]
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def retention(session: Session, first: date, last: date, role: str = Role.AGENT) -> Retention:
    """Retention figures for the days ``first`` .. ``last`` (inclusive)."""
    counts = session.execute(
        select(
            _count(_active_on(first)),
            _count(_active_on(last)),
            _count(and_(Staff.hired_on >= first, Staff.hired_on <= last)),
            _count(and_(Staff.left_on >= first, Staff.left_on <= last)),  # type: ignore[operator]
        ).where(Staff.role == role)
    ).one()
    here = session.execute(
        select(Staff.hired_on).where(Staff.role == role, _active_on(last))
    ).scalars()
    gone = session.execute(
        select(Staff.hired_on, Staff.left_on).where(
            Staff.role == role,
            Staff.left_on >= first,  # type: ignore[operator]
            Staff.left_on <= last,  # type: ignore[operator]
        )
    ).all()
    tenure_here = [(last - hired).days for hired in here]
    tenure_gone = [(left - hired).days for hired, left in gone]
    return Retention(
        *counts,
        median_tenure_days=median(tenure_here) if tenure_here else None,
        median_tenure_leavers_days=median(tenure_gone) if tenure_gone else None,
    )

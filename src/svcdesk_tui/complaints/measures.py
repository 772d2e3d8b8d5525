"""Quality measures (docs/measures.md: Close-the-loop, Repeat complaints, CSAT/NPS), in SQL.

Cohorts, so every figure reads the same everywhere:
- the *resolved cohort* of a period: complaints whose (latest) resolution falls in it;
  close-the-loop, unconfirmed-close and reopen rates are shares of that cohort, and a
  complaint counts as closed at most once (a reopen voids the earlier close);
- the *closed cohort*: complaints whose (still valid) close falls in the period; the
  repeat-complaint rate is the share of them followed by a new complaint of the same
  customer and category within ``repeat_complaint_window_days``;
- feedback belongs to the period in which it was received; compensation to the
  period in which it was granted or approved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, and_, exists, func, select, type_coerce
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from svcdesk_tui.complaints.feedback import NPS_DETRACTOR_MAX, NPS_PROMOTER_MIN, detractor_condition
from svcdesk_tui.core import rates
from svcdesk_tui.core.periods import Period
from svcdesk_tui.core.settings import CenterSettings
from svcdesk_tui.core.sql import count
from svcdesk_tui.models import (
    Compensation,
    CompensationState,
    Complaint,
    ComplaintState,
    Feedback,
    Staff,
)

CLOSED = (ComplaintState.CLOSED, ComplaintState.CLOSED_UNCONFIRMED)


@dataclass(frozen=True)
class ComplaintQuality:
    resolved: int = 0
    confirmed: int = 0
    unconfirmed: int = 0
    reopened: int = 0

    @property
    def close_the_loop_rate(self) -> float | None:
        """Resolved complaints confirmed by the customer ÷ resolved complaints."""
        return rates.share(self.confirmed, self.resolved)

    @property
    def unconfirmed_close_rate(self) -> float | None:
        """Resolved complaints closed without the customer's word ÷ resolved complaints."""
        return rates.share(self.unconfirmed, self.resolved)

    @property
    def reopen_rate(self) -> float | None:
        """Resolved complaints reopened at least once ÷ resolved complaints."""
        return rates.share(self.reopened, self.resolved)


def complaint_quality(session: Session, period: Period) -> ComplaintQuality:
    """The resolved cohort of ``period`` and how its loops were closed."""
    row = session.execute(
        select(
            func.count(col(Complaint.id)),
            count(col(Complaint.state) == ComplaintState.CLOSED),
            count(col(Complaint.state) == ComplaintState.CLOSED_UNCONFIRMED),
            count(col(Complaint.reopen_count) > 0),
        ).where(
            col(Complaint.resolved_at) >= period.since, col(Complaint.resolved_at) < period.until
        )
    ).one()
    return ComplaintQuality(*row)


def followups_overdue(session: Session, *, now: datetime) -> int:
    """Resolved complaints whose call-back is past its due time and not yet done."""
    return session.execute(
        select(func.count())
        .select_from(Complaint)
        .where(
            col(Complaint.state) == ComplaintState.AWAITING_CONFIRMATION,
            col(Complaint.followup_due_at) < now,
        )
    ).scalar_one()


@dataclass(frozen=True)
class RepeatRate:
    owner: str  # "(nobody)" when the complaint had no owner
    category: str
    closed: int
    repeated: int

    @property
    def rate(self) -> float | None:
        """Closed complaints followed by a repeat within the window ÷ closed complaints."""
        return rates.share(self.repeated, self.closed)


def repeat_rates(session: Session, period: Period, settings: CenterSettings) -> list[RepeatRate]:
    """The repeat-complaint rate per owner and category, worst first, then the total."""
    later = aliased(Complaint)
    window_s = settings.repeat_complaint_window_days * 86400
    closed_s = type_coerce(Complaint.closed_at, Integer)
    opened_s = type_coerce(later.opened_at, Integer)
    followed = exists().where(
        col(later.customer_id) == Complaint.customer_id,
        col(later.category) == Complaint.category,
        col(later.id) != Complaint.id,
        opened_s > closed_s,
        opened_s <= closed_s + window_s,
    )
    rows = session.execute(
        select(
            func.coalesce(col(Staff.name), "(nobody)"),
            col(Complaint.category),
            func.count(col(Complaint.id)),
            count(followed),
        )
        .outerjoin(Staff, col(Staff.id) == Complaint.owner_id)
        .where(
            col(Complaint.state).in_(CLOSED),
            col(Complaint.closed_at) >= period.since,
            col(Complaint.closed_at) < period.until,
        )
        .group_by(col(Complaint.owner_id), col(Staff.name), col(Complaint.category))
    ).all()
    result = sorted(
        (RepeatRate(*row) for row in rows),
        key=lambda r: (-(r.rate or 0), -r.closed, r.owner, r.category),
    )
    total = RepeatRate(
        "All owners", "all", sum(r.closed for r in result), sum(r.repeated for r in result)
    )
    return [*result, total]


def repeat_flags_by_owner(session: Session, period: Period) -> list[tuple[str, int]]:
    """Repeat complaints opened in the period, counted against the earlier complaint's owner."""
    earlier = aliased(Complaint)
    rows = session.execute(
        select(func.coalesce(col(Staff.name), "(nobody)"), func.count(col(Complaint.id)))
        .join(earlier, col(earlier.id) == Complaint.repeat_of_id)
        .outerjoin(Staff, col(Staff.id) == earlier.owner_id)
        .where(col(Complaint.opened_at) >= period.since, col(Complaint.opened_at) < period.until)
        .group_by(col(earlier.owner_id), col(Staff.name))
        .order_by(func.count(col(Complaint.id)).desc(), col(Staff.name))
    ).all()
    return [(name, count) for name, count in rows]


@dataclass(frozen=True)
class FeedbackScores(rates.CsatCounts):
    nps_responses: int = 0
    promoters: int = 0
    nps_detractors: int = 0
    detractors: int = 0  # by the follow-up rule: NPS 0–6 or a low CSAT
    followed_up_in_time: int = 0

    @property
    def nps(self) -> float | None:
        return rates.nps(self.promoters, self.nps_detractors, self.nps_responses)

    @property
    def detractor_followup_rate(self) -> float | None:
        """Detractors a manager followed up within the deadline ÷ detractors."""
        return rates.share(self.followed_up_in_time, self.detractors)


def csat_counts() -> tuple[ColumnElement[int], ColumnElement[int]]:
    """SQL aggregates over ``feedback``: CSAT answers, and those of 4 or 5 (satisfied)."""
    return count(col(Feedback.csat).is_not(None)), count(col(Feedback.csat) >= 4)


def feedback_scores(session: Session, period: Period, settings: CenterSettings) -> FeedbackScores:
    """CSAT, NPS and detractor follow-up of the feedback received in ``period``."""
    deadline_s = settings.detractor_followup_hours * 3600
    received_s = type_coerce(Feedback.received_at, Integer)
    followed_s = type_coerce(Feedback.followed_up_at, Integer)
    detractor = detractor_condition(settings)
    row = session.execute(
        select(
            *csat_counts(),
            count(col(Feedback.nps).is_not(None)),
            count(col(Feedback.nps) >= NPS_PROMOTER_MIN),
            count(col(Feedback.nps) <= NPS_DETRACTOR_MAX),
            count(detractor),
            count(
                and_(
                    detractor,
                    col(Feedback.followed_up_at).is_not(None),
                    followed_s - received_s <= deadline_s,
                )
            ),
        ).where(col(Feedback.received_at) >= period.since, col(Feedback.received_at) < period.until)
    ).one()
    responses, satisfied, *nps_and_followup = row
    return FeedbackScores(*nps_and_followup, csat_responses=responses, csat_satisfied=satisfied)


@dataclass(frozen=True)
class CompensationGranted:
    person: str  # who granted it within their limit, or who approved it
    kind: str
    count: int
    amount_cents: int


def compensation_granted(session: Session, period: Period) -> list[CompensationGranted]:
    """Compensation granted or approved in the period, per deciding person and kind."""
    rows = session.execute(
        select(
            col(Staff.name),
            col(Compensation.kind),
            func.count(col(Compensation.id)),
            func.sum(col(Compensation.amount_cents)),
        )
        .join(Staff, col(Staff.id) == Compensation.decided_by_id)
        .where(
            col(Compensation.state).in_((CompensationState.GRANTED, CompensationState.APPROVED)),
            col(Compensation.decided_at) >= period.since,
            col(Compensation.decided_at) < period.until,
        )
        .group_by(col(Compensation.decided_by_id), col(Staff.name), col(Compensation.kind))
        .order_by(col(Staff.name), col(Compensation.kind))
    ).all()
    return [CompensationGranted(*row) for row in rows]

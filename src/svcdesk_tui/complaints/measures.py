"""Quality measures of DOMAIN.md (complaints, feedback, compensation), each defined once, in SQL.

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

from sqlalchemy import Integer, and_, case, exists, func, select, type_coerce
from sqlalchemy.orm import aliased
from sqlmodel import Session

from svcdesk_tui.complaints.feedback import NPS_DETRACTOR_MAX, NPS_PROMOTER_MIN, detractor_condition
from svcdesk_tui.core.periods import Period
from svcdesk_tui.core.settings import CenterSettings
from svcdesk_tui.models import (
    Compensation,
    CompensationState,
    Complaint,
    ComplaintState,
    Feedback,
    Staff,
)

CLOSED = (ComplaintState.CLOSED, ComplaintState.CLOSED_UNCONFIRMED)


def _count(condition):  # type: ignore[no-untyped-def]
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class ComplaintQuality:
    resolved: int = 0
    confirmed: int = 0
    unconfirmed: int = 0
    reopened: int = 0

    @property
    def close_the_loop_rate(self) -> float | None:
        """Resolved complaints confirmed by the customer ÷ resolved complaints."""
        return _rate(self.confirmed, self.resolved)

    @property
    def unconfirmed_close_rate(self) -> float | None:
        """Resolved complaints closed without the customer's word ÷ resolved complaints."""
        return _rate(self.unconfirmed, self.resolved)

    @property
    def reopen_rate(self) -> float | None:
        """Resolved complaints reopened at least once ÷ resolved complaints."""
        return _rate(self.reopened, self.resolved)


def complaint_quality(session: Session, period: Period) -> ComplaintQuality:
    """The resolved cohort of ``period`` and how its loops were closed."""
    row = session.execute(
        select(
            func.count(Complaint.id),
            _count(Complaint.state == ComplaintState.CLOSED),
            _count(Complaint.state == ComplaintState.CLOSED_UNCONFIRMED),
            _count(Complaint.reopen_count > 0),
        ).where(Complaint.resolved_at >= period.since, Complaint.resolved_at < period.until)  # type: ignore[operator]
    ).one()
    return ComplaintQuality(*row)


def followups_overdue(session: Session, now: datetime) -> int:
    """Resolved complaints whose call-back is past its due time and not yet done."""
    return session.execute(
        select(func.count())
        .select_from(Complaint)
        .where(
            Complaint.state == ComplaintState.AWAITING_CONFIRMATION,
            Complaint.followup_due_at < now,  # type: ignore[operator]
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
        return _rate(self.repeated, self.closed)


def repeat_rates(session: Session, period: Period, settings: CenterSettings) -> list[RepeatRate]:
    """The repeat-complaint rate per owner and category, worst first, then the total."""
    later = aliased(Complaint)
    window_s = settings.repeat_complaint_window_days * 86400
    closed_s = type_coerce(Complaint.closed_at, Integer)
    opened_s = type_coerce(later.opened_at, Integer)
    followed = exists().where(
        later.customer_id == Complaint.customer_id,
        later.category == Complaint.category,
        later.id != Complaint.id,
        opened_s > closed_s,
        opened_s <= closed_s + window_s,
    )
    rows = session.execute(
        select(
            func.coalesce(Staff.name, "(nobody)"),
            Complaint.category,
            func.count(Complaint.id),
            _count(followed),
        )
        .outerjoin(Staff, Staff.id == Complaint.owner_id)
        .where(
            Complaint.state.in_(CLOSED),  # type: ignore[attr-defined]
            Complaint.closed_at >= period.since,  # type: ignore[operator]
            Complaint.closed_at < period.until,  # type: ignore[operator]
        )
        .group_by(Complaint.owner_id, Staff.name, Complaint.category)
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
        select(func.coalesce(Staff.name, "(nobody)"), func.count(Complaint.id))
        .join(earlier, earlier.id == Complaint.repeat_of_id)
        .outerjoin(Staff, Staff.id == earlier.owner_id)
        .where(Complaint.opened_at >= period.since, Complaint.opened_at < period.until)  # type: ignore[operator]
        .group_by(earlier.owner_id, Staff.name)
        .order_by(func.count(Complaint.id).desc(), Staff.name)
    ).all()
    return [(name, count) for name, count in rows]


@dataclass(frozen=True)
class FeedbackScores:
    csat_responses: int = 0
    csat_satisfied: int = 0
    nps_responses: int = 0
    promoters: int = 0
    nps_detractors: int = 0
    detractors: int = 0  # by the follow-up rule: NPS 0–6 or a low CSAT
    followed_up_in_time: int = 0

    @property
    def csat(self) -> float | None:
        """Responses of 4 or 5 ÷ all CSAT responses."""
        return _rate(self.csat_satisfied, self.csat_responses)

    @property
    def nps(self) -> float | None:
        """% promoters − % detractors, from −100 to 100."""
        if not self.nps_responses:
            return None
        return 100 * (self.promoters - self.nps_detractors) / self.nps_responses

    @property
    def detractor_followup_rate(self) -> float | None:
        """Detractors a manager followed up within the deadline ÷ detractors."""
        return _rate(self.followed_up_in_time, self.detractors)


def csat_counts():  # type: ignore[no-untyped-def]
    """SQL aggregates over ``feedback``: CSAT answers, and those of 4 or 5 (satisfied)."""
    return (
        _count(Feedback.csat.is_not(None)),  # type: ignore[union-attr]
        _count(Feedback.csat >= 4),  # type: ignore[operator]
    )


def feedback_scores(session: Session, period: Period, settings: CenterSettings) -> FeedbackScores:
    """CSAT, NPS and detractor follow-up of the feedback received in ``period``."""
    deadline_s = settings.detractor_followup_hours * 3600
    received_s = type_coerce(Feedback.received_at, Integer)
    followed_s = type_coerce(Feedback.followed_up_at, Integer)
    detractor = detractor_condition(settings)
    row = session.execute(
        select(
            *csat_counts(),
            _count(Feedback.nps.is_not(None)),  # type: ignore[union-attr]
            _count(Feedback.nps >= NPS_PROMOTER_MIN),  # type: ignore[operator]
            _count(Feedback.nps <= NPS_DETRACTOR_MAX),  # type: ignore[operator]
            _count(detractor),
            _count(
                and_(
                    detractor,
                    Feedback.followed_up_at.is_not(None),  # type: ignore[union-attr]
                    followed_s - received_s <= deadline_s,
                )
            ),
        ).where(Feedback.received_at >= period.since, Feedback.received_at < period.until)  # type: ignore[operator]
    ).one()
    return FeedbackScores(*row)


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
            Staff.name,
            Compensation.kind,
            func.count(Compensation.id),
            func.sum(Compensation.amount_cents),
        )
        .join(Staff, Staff.id == Compensation.decided_by_id)
        .where(
            Compensation.state.in_((CompensationState.GRANTED, CompensationState.APPROVED)),  # type: ignore[attr-defined]
            Compensation.decided_at >= period.since,  # type: ignore[operator]
            Compensation.decided_at < period.until,  # type: ignore[operator]
        )
        .group_by(Compensation.decided_by_id, Staff.name, Compensation.kind)
        .order_by(Staff.name, Compensation.kind)
    ).all()
    return [CompensationGranted(*row) for row in rows]

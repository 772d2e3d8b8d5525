"""What the Complaints screen shows, read in one transaction.

Sections, in this order: follow-ups overdue, follow-ups due today, other complaints
awaiting confirmation, open and in-progress complaints, then closed repeat
complaints opened within the repeat window. Detractor follow-ups and pending
compensation approvals are separate lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum

from sqlalchemy import Integer, and_, func, or_, select, type_coerce
from sqlmodel import Session, col

from svcdesk_tui.complaints.compensation import PendingApproval, pending_approvals
from svcdesk_tui.complaints.feedback import DetractorTask, open_detractor_tasks
from svcdesk_tui.complaints.lifecycle import CLOSED_STATES, FAILED_RESULTS
from svcdesk_tui.complaints.measures import (
    ComplaintQuality,
    FeedbackScores,
    complaint_quality,
    feedback_scores,
)
from svcdesk_tui.core.names import name_of
from svcdesk_tui.core.periods import Period, today_period
from svcdesk_tui.core.settings import CenterSettings
from svcdesk_tui.models import Complaint, ComplaintState, Customer, FollowUpAttempt, Staff
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import complaints_visible_to

DESK_LIMIT = 500


class Section(IntEnum):
    OVERDUE = 0
    DUE_TODAY = 1
    AWAITING = 2
    OPEN = 3
    RECENT_REPEAT = 4


@dataclass(frozen=True)
class DeskComplaint:
    complaint_id: int
    section: Section
    customer_id: int
    customer: str
    category: str
    state: str
    owner: str | None
    followup_owner: str | None
    followup_due_at: datetime | None
    failed_attempts: int
    reopen_count: int
    repeat_of_id: int | None
    opened_at: datetime


@dataclass(frozen=True)
class ComplaintsDesk:
    at: datetime
    complaints: tuple[DeskComplaint, ...]
    detractors: tuple[DetractorTask, ...]
    approvals: tuple[PendingApproval, ...]
    max_attempts: int
    window_days: int  # the quality line covers the last ``window_days`` days
    quality: ComplaintQuality
    scores: FeedbackScores


def _section(state: str, due: datetime | None, end_of_day: datetime, *, now: datetime) -> Section:
    if state == ComplaintState.AWAITING_CONFIRMATION:
        if due is not None and due < now:
            return Section.OVERDUE
        if due is not None and due < end_of_day:
            return Section.DUE_TODAY
        return Section.AWAITING
    if state in CLOSED_STATES:
        return Section.RECENT_REPEAT
    return Section.OPEN


def read_desk(
    session: Session, viewer: Actor, settings: CenterSettings, *, now: datetime
) -> ComplaintsDesk:
    """Every complaint that needs someone, plus recent repeats, detractors and approvals."""
    failed = (
        select(func.count())
        .select_from(FollowUpAttempt)
        .where(
            col(FollowUpAttempt.complaint_id) == Complaint.id,
            col(FollowUpAttempt.result).in_(FAILED_RESULTS),
            type_coerce(col(FollowUpAttempt.at), Integer)
            >= type_coerce(col(Complaint.resolved_at), Integer),
        )
        .scalar_subquery()
    )
    repeat_since = now - timedelta(days=settings.repeat_complaint_window_days)
    rows = session.execute(
        select(
            col(Complaint.id),
            col(Complaint.customer_id),
            name_of(Customer, Complaint.customer_id),
            col(Complaint.category),
            col(Complaint.state),
            name_of(Staff, Complaint.owner_id),
            name_of(Staff, Complaint.followup_owner_id),
            col(Complaint.followup_due_at),
            failed,
            col(Complaint.reopen_count),
            col(Complaint.repeat_of_id),
            col(Complaint.opened_at),
        )
        .where(
            or_(
                col(Complaint.state).not_in(CLOSED_STATES),
                and_(
                    col(Complaint.repeat_of_id).is_not(None),
                    col(Complaint.opened_at) >= repeat_since,
                ),
            )
        )
        .where(complaints_visible_to(viewer))
        .order_by(col(Complaint.opened_at))
        .limit(DESK_LIMIT)
    ).all()
    end_of_day = today_period(settings.timezone, now=now).until
    recent = Period(now - timedelta(days=settings.history_window_days), now)
    complaints = [
        DeskComplaint(
            complaint_id=row[0],
            section=_section(row[4], row[7], end_of_day, now=now),
            customer_id=row[1],
            customer=row[2],
            category=row[3],
            state=row[4],
            owner=row[5],
            followup_owner=row[6],
            followup_due_at=row[7],
            failed_attempts=row[8] or 0,
            reopen_count=row[9],
            repeat_of_id=row[10],
            opened_at=row[11],
        )
        for row in rows
    ]
    far = datetime.max.replace(tzinfo=now.tzinfo)
    complaints.sort(
        key=lambda c: (c.section, c.followup_due_at or far, c.opened_at, c.complaint_id)
    )
    return ComplaintsDesk(
        at=now,
        complaints=tuple(complaints),
        detractors=tuple(open_detractor_tasks(session, settings)),
        approvals=tuple(pending_approvals(session, viewer)),
        max_attempts=settings.followup_max_attempts,
        window_days=settings.history_window_days,
        quality=complaint_quality(session, recent),
        scores=feedback_scores(session, recent, settings),
    )

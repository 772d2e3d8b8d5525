"""What the Monitoring screen and `svcdesk monitoring list` show, to whom.

Leads see their team's evaluation queue (managers and admins: everyone's),
never their own calls; agents see their own evaluations (not calibrations);
a manager sees the disputes given to them first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, exists, or_, select, true
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from svcdesk_tui.core.names import name_of
from svcdesk_tui.core.periods import Period
from svcdesk_tui.models import Call, Customer, Evaluation, EvaluationState, MonitoringSample, Role
from svcdesk_tui.models import Staff as StaffRow
from svcdesk_tui.monitoring.evaluations import COUNTED
from svcdesk_tui.monitoring.measures import Quality, center_quality, quality_by_agent
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, allowed

QUEUE_WEEKS = 5
SHOWN_DAYS = 90


@dataclass(frozen=True)
class QueuedCall:
    sample_id: int
    call_id: int
    agent: str
    week: str
    reason: str
    entered_at: datetime
    handle_seconds: int
    customer: str | None
    recording_path: str | None


@dataclass(frozen=True)
class EvaluationRow:
    evaluation_id: int
    call_id: int
    agent_id: int
    agent: str
    evaluator: str
    score: float
    critical_failed: bool
    state: str
    calibration: bool
    evaluated_at: datetime
    comment: str
    coaching: str
    dispute_reason: str | None
    dispute_owner_id: int | None
    recording_path: str | None


@dataclass(frozen=True)
class MonitoringDesk:
    at: datetime
    may_evaluate: bool
    queue: list[QueuedCall]
    evaluations: list[EvaluationRow]
    quality: Quality | None  # the viewer's own (agents) or the center's, last 30 days


def _team(viewer: Actor, agent: type[StaffRow]) -> ColumnElement[bool]:
    if viewer.role == Role.LEAD:
        return col(agent.team_lead_id) == viewer.id
    return true()


def evaluation_queue(session: Session, viewer: Actor, *, now: datetime) -> list[QueuedCall]:
    """Drawn calls of the viewer's team with no evaluation yet, oldest week first."""
    if not allowed(viewer, Action.EVALUATE_CALLS):
        return []
    agent = aliased(StaffRow)
    done = exists().where(
        col(Evaluation.call_id) == MonitoringSample.call_id, col(Evaluation.state).in_(COUNTED)
    )
    since = (now - timedelta(weeks=QUEUE_WEEKS)).date()
    rows = session.execute(
        select(
            col(MonitoringSample.id),
            col(MonitoringSample.call_id),
            col(agent.name),
            col(MonitoringSample.week),
            col(MonitoringSample.reason),
            col(Call.entered_at),
            col(Call.talk_seconds),
            col(Call.wrap_seconds),
            name_of(Customer, Call.customer_id),
            col(Call.recording_path),
        )
        .join(Call, col(Call.id) == MonitoringSample.call_id)
        .join(agent, col(agent.id) == MonitoringSample.agent_id)
        .where(
            col(MonitoringSample.week) >= since,
            ~done,
            col(MonitoringSample.agent_id) != viewer.id,
            _team(viewer, agent),
        )
        .order_by(col(MonitoringSample.week), col(agent.name), col(MonitoringSample.call_id))
    ).all()
    return [
        QueuedCall(s, c, a, w.isoformat(), r, e, (t or 0) + (wr or 0), cu, rec)
        for s, c, a, w, r, e, t, wr, cu, rec in rows
    ]


def evaluations_seen(session: Session, viewer: Actor, *, now: datetime) -> list[EvaluationRow]:
    """Evaluations of the last days the viewer may see, theirs to act on first."""
    agent = aliased(StaffRow)
    if allowed(viewer, Action.EVALUATE_CALLS):
        mine = or_(_team(viewer, agent), col(Evaluation.evaluator_id) == viewer.id)
        seen = and_(mine, col(Evaluation.agent_id) != viewer.id)
    else:
        seen = and_(col(Evaluation.agent_id) == viewer.id, ~col(Evaluation.calibration))
    disputes = and_(
        col(Evaluation.state) == EvaluationState.DISPUTED,
        col(Evaluation.dispute_owner_id) == viewer.id,
    )
    own_open = and_(
        col(Evaluation.agent_id) == viewer.id, col(Evaluation.state) == EvaluationState.DONE
    )
    rows = session.execute(
        select(
            col(Evaluation.id),
            col(Evaluation.call_id),
            col(Evaluation.agent_id),
            col(agent.name),
            name_of(StaffRow, Evaluation.evaluator_id),
            col(Evaluation.score),
            col(Evaluation.critical_failed),
            col(Evaluation.state),
            col(Evaluation.calibration),
            col(Evaluation.evaluated_at),
            col(Evaluation.comment),
            col(Evaluation.coaching),
            col(Evaluation.dispute_reason),
            col(Evaluation.dispute_owner_id),
            col(Call.recording_path),
        )
        .join(agent, col(agent.id) == Evaluation.agent_id)
        .join(Call, col(Call.id) == Evaluation.call_id)
        .where(
            or_(disputes, and_(seen, col(Evaluation.evaluated_at) >= now - timedelta(SHOWN_DAYS)))
        )
        .order_by(~or_(disputes, own_open), col(Evaluation.evaluated_at).desc(), col(Evaluation.id))
        .limit(500)
    ).all()
    return [EvaluationRow(*row) for row in rows]


def read_desk(session: Session, viewer: Actor, *, now: datetime) -> MonitoringDesk:
    """Everything the Monitoring screen shows, in one read."""
    last_30 = Period(now - timedelta(days=30), now)
    agents = quality_by_agent(session, last_30)
    if allowed(viewer, Action.EVALUATE_CALLS):
        quality: Quality | None = center_quality(agents)
    else:
        quality = next((a for a in agents if a.key == viewer.id), None)
    return MonitoringDesk(
        at=now,
        may_evaluate=allowed(viewer, Action.EVALUATE_CALLS),
        queue=evaluation_queue(session, viewer, now=now),
        evaluations=evaluations_seen(session, viewer, now=now),
        quality=quality,
    )

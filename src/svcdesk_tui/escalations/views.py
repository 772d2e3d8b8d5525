"""What the Escalations screen and the CLI read: the inbox and one escalation's full story."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from svcdesk_tui.core.clock import to_epoch
from svcdesk_tui.core.periods import Period
from svcdesk_tui.escalations.ladder import (
    CLIMB_KINDS,
    OPEN_STATES,
    EventKind,
    Ladder,
    Level,
    ladder,
    load_visible,
    may_act_at,
    visible_to,
)
from svcdesk_tui.escalations.measures import EscalationMeasures, escalation_measures
from svcdesk_tui.models import (
    Call,
    Compensation,
    Complaint,
    ContactReason,
    Customer,
    Escalation,
    EscalationEvent,
    EscalationState,
    Queue,
    Staff,
)
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, require


@dataclass(frozen=True)
class InboxRow:
    escalation_id: int
    level: Level
    state: str
    customer_id: int
    customer: str
    anger: int
    reason: str
    raised_by: str
    raised_at: datetime
    owner: str | None
    waiting_seconds: int  # since it reached its current rung
    auto_climbed: bool  # the last move up was the clock, not a person
    mine: bool  # in the actor's own inbox (their rung, or accepted by them)
    may_act: bool
    next_level: Level | None  # where "escalate further" would take it

    @property
    def limit_seconds(self) -> int:
        return self.level.response_minutes * 60

    @property
    def overdue(self) -> bool:
        return self.state == EscalationState.RAISED and self.waiting_seconds >= self.limit_seconds


@dataclass(frozen=True)
class Inbox:
    at: datetime
    rows: tuple[InboxRow, ...]
    levels: tuple[Level, ...]


def inbox(
    session: Session, actor: Actor, *, now: datetime, resolved_since: datetime | None = None
) -> Inbox:
    """The open escalations ``actor`` may see (and those resolved since ``resolved_since``).

    Their own inbox first, then the highest rung, then the longest waiting; resolved
    ones last, newest first.
    """
    rungs = ladder(session)
    state: ColumnElement[bool] = col(Escalation.state).in_(OPEN_STATES)
    if resolved_since is not None:
        state = or_(state, col(Escalation.resolved_at) >= resolved_since)
    rows = _rows(session, actor, rungs, [visible_to(actor), state], now=now)
    rows.sort(
        key=lambda r: (
            (True, True, 0, -to_epoch(r.raised_at))
            if r.state == EscalationState.RESOLVED
            else (False, not r.mine, -r.level.rank, -r.waiting_seconds)
        )
    )
    return Inbox(at=now, rows=tuple(rows), levels=tuple(rungs.levels))


def _rows(
    session: Session, actor: Actor, rungs: Ladder, where: list, *, now: datetime
) -> list[InboxRow]:
    raiser, owner = aliased(Staff), aliased(Staff)
    last_climb = (
        select(col(EscalationEvent.kind))
        .where(
            col(EscalationEvent.escalation_id) == Escalation.id,
            col(EscalationEvent.kind).in_(CLIMB_KINDS),
        )
        .order_by(col(EscalationEvent.id).desc())
        .limit(1)
        .scalar_subquery()
    )
    stmt = (
        select(Escalation, col(Customer.name), col(raiser.name), col(owner.name), last_climb)
        .join(Customer, col(Customer.id) == Escalation.customer_id)
        .join(raiser, col(raiser.id) == Escalation.raised_by_id)
        .outerjoin(
            owner,
            col(owner.id)
            == func.coalesce(col(Escalation.resolved_by_id), col(Escalation.accepted_by_id)),
        )
        .where(*where)
    )
    now_s = to_epoch(now)
    return [
        _row(actor, rungs, now_s, esc, customer, raised_by, owner_name, climb)
        for esc, customer, raised_by, owner_name, climb in session.execute(stmt)
    ]


def _row(
    actor: Actor,
    rungs: Ladder,
    now_s: int,
    esc: Escalation,
    customer: str,
    raised_by: str,
    owner: str | None,
    climb: str | None,
) -> InboxRow:
    level = rungs.get(esc.level_rank)
    open_ = esc.state != EscalationState.RESOLVED
    if actor.role == "agent":
        mine = open_
    else:
        mine = open_ and (
            esc.accepted_by_id == actor.id
            or (esc.state == EscalationState.RAISED and level.role == actor.role)
        )
    return InboxRow(
        escalation_id=esc.id,  # type: ignore[arg-type]
        level=level,
        state=esc.state,
        customer_id=esc.customer_id,
        customer=customer,
        anger=esc.anger,
        reason=esc.reason,
        raised_by=raised_by,
        raised_at=esc.raised_at,
        owner=owner,
        waiting_seconds=max(0, now_s - to_epoch(esc.level_entered_at)),
        auto_climbed=climb == EventKind.AUTO_ESCALATED,
        mine=mine,
        may_act=may_act_at(actor, level),
        next_level=rungs.above(level.rank),
    )


# --- the full story ---------------------------------------------------------------


@dataclass(frozen=True)
class StoryEvent:
    at: datetime
    kind: str
    actor: str | None
    from_level: str | None
    to_level: str | None
    to_executive: bool
    note: str | None


@dataclass(frozen=True)
class Story:
    """One escalation and everything about its customer, for the detail screen."""

    row: InboxRow
    origin: str
    resolution_note: str | None
    promise: str | None
    events: tuple[StoryEvent, ...]
    calls: tuple[tuple[datetime, str, str, str, str], ...]  # when, queue, reason, outcome, agent
    complaints: tuple[tuple[int, datetime, str, str], ...]  # id, opened, state, category
    escalations: tuple[tuple[int, datetime, str, str, str], ...]  # id, raised, level, state, reason
    compensations: tuple[tuple[datetime, str, int, str], ...]  # when, kind, cents, state


def story(
    session: Session, actor: Actor, escalation_id: int, *, now: datetime, last_calls: int = 20
) -> Story:
    """The escalation, its event history, and the customer's calls, complaints,
    earlier escalations and compensations (raises if ``actor`` may not see it)."""
    esc = load_visible(session, actor, escalation_id)
    rungs = ladder(session)
    (row,) = _rows(session, actor, rungs, [col(Escalation.id) == escalation_id], now=now)
    who = aliased(Staff)
    events = [
        StoryEvent(
            at,
            kind,
            name,
            rungs.by_rank[f].name if f in rungs.by_rank else None,
            rungs.by_rank[t].name if t in rungs.by_rank else None,
            t in rungs.by_rank and rungs.by_rank[t].is_executive,
            note,
        )
        for at, kind, name, f, t, note in session.execute(
            select(
                col(EscalationEvent.at),
                col(EscalationEvent.kind),
                col(who.name),
                col(EscalationEvent.from_rank),
                col(EscalationEvent.to_rank),
                col(EscalationEvent.note),
            )
            .outerjoin(who, col(who.id) == EscalationEvent.actor_id)
            .where(col(EscalationEvent.escalation_id) == escalation_id)
            .order_by(col(EscalationEvent.at), col(EscalationEvent.id))
        )
    ]
    agent = aliased(Staff)
    calls = session.execute(
        select(
            col(Call.entered_at),
            col(Queue.name),
            func.coalesce(col(ContactReason.label), col(Call.state)),
            func.coalesce(col(Call.outcome), "—"),
            func.coalesce(col(agent.name), "—"),
        )
        .join(Queue, col(Queue.id) == Call.queue_id)
        .outerjoin(ContactReason, col(ContactReason.id) == Call.reason_id)
        .outerjoin(agent, col(agent.id) == Call.agent_id)
        .where(col(Call.customer_id) == esc.customer_id)
        .order_by(col(Call.entered_at).desc(), col(Call.id).desc())
        .limit(last_calls)
    ).all()
    complaints = _newest_first(
        session,
        Complaint,
        esc.customer_id,
        Complaint.opened_at,
        [Complaint.id, Complaint.opened_at, Complaint.state, Complaint.category],
    )
    others = [
        (oid, raised, rungs.get(rank).label, state, reason)
        for oid, raised, rank, state, reason in _newest_first(
            session,
            Escalation,
            esc.customer_id,
            Escalation.raised_at,
            [
                Escalation.id,
                Escalation.raised_at,
                Escalation.level_rank,
                Escalation.state,
                Escalation.reason,
            ],
        )
        if oid != escalation_id
    ]
    compensations = _newest_first(
        session,
        Compensation,
        esc.customer_id,
        Compensation.requested_at,
        [
            Compensation.requested_at,
            Compensation.kind,
            Compensation.amount_cents,
            Compensation.state,
        ],
    )
    if esc.call_id is not None:
        origin = f"call {esc.call_id}"
    elif esc.complaint_id is not None:
        origin = f"complaint {esc.complaint_id}"
    else:
        origin = "customer card"
    if esc.complaint_id is not None and esc.call_id is not None:
        origin = f"complaint {esc.complaint_id} (call {esc.call_id})"
    return Story(
        row=row,
        origin=origin,
        resolution_note=esc.resolution_note,
        promise=esc.promise,
        events=tuple(events),
        calls=tuple(tuple(c) for c in calls),
        complaints=tuple(complaints),
        escalations=tuple(others),
        compensations=tuple(compensations),
    )


def _newest_first(
    session: Session,
    model: type[Complaint] | type[Escalation] | type[Compensation],
    customer_id: int,
    at: datetime,
    columns: list[Any],
) -> list[Any]:
    """One customer's rows of ``model`` (the given columns), newest first."""
    query = (
        select(*(col(c) for c in columns))
        .where(col(model.customer_id) == customer_id)
        .order_by(col(at).desc())
    )
    return [tuple(row) for row in session.execute(query)]


def center_measures(session: Session, viewer: Actor, period: Period) -> EscalationMeasures:
    """The center's escalation measures, for those whose role may see them."""
    require(viewer, Action.VIEW_ESCALATION_MEASURES)
    return escalation_measures(session, period)

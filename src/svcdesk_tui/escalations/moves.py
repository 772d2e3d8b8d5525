"""The escalation ladder: raise, accept, resolve, pass on, call back, reopen, and the clock.

The ladder is data (`escalation_level`: rank, role, response minutes). Rules:

- Raising puts the escalation one rung above the raiser's own rung: an agent's
  lands with the shift lead, a lead's with the service manager, a manager's with
  the executive (allowed, but a counted failure).
- Only someone whose role is the rung's role or higher may act on it (accept,
  resolve, pass on, call back, reopen), and only on escalations they may see.
- Agents see only the escalations they raised; a lead sees those raised by their
  team (staff whose ``team_lead_id`` is the lead), by agents without a lead, by
  themselves, and any they accepted or resolved; managers and above see all.
- An escalation nobody accepted within its rung's response time climbs one rung
  by itself (:func:`climb_overdue`, called by every open desk and by cron). Its
  new rung's clock starts when it arrives there, so one tick climbs one rung.
- Every change writes an `escalation_event` (the append-only story) and an audit
  row; a reopen adds to the story and never rewrites it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from svcdesk_tui.core import audit
from svcdesk_tui.core.clock import to_epoch
from svcdesk_tui.core.db import Database
from svcdesk_tui.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from svcdesk_tui.escalations.ladder import (
    EXECUTIVE_WARNING,
    OPEN_STATES,
    EventKind,
    Ladder,
    Level,
    ladder,
    load_visible,
    may_act_at,
)
from svcdesk_tui.models import (
    Call,
    Complaint,
    Customer,
    Escalation,
    EscalationEvent,
    EscalationLevel,
    EscalationState,
    Role,
)
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, ActionRefused, allowed, require

__all__ = [  # the ladder's names are re-exported: callers need only this module
    "EXECUTIVE_WARNING",
    "OPEN_STATES",
    "Climbed",
    "EventKind",
    "Ladder",
    "Level",
    "accept",
    "any_overdue",
    "call_back",
    "climb_overdue",
    "escalate_further",
    "ladder",
    "load_visible",
    "may_act_at",
    "raise_escalation",
    "reopen",
    "resolve",
]


def _require_at(actor: Actor, level: Level, what: str) -> None:
    if not may_act_at(actor, level):
        reason = (
            f"{actor.login} ({actor.role}) may not {what} an escalation at the "
            f"{level.name} level (needs {level.role} or higher)"
        )
        if not allowed(actor, Action.HANDLE_ESCALATION):
            raise ActionRefused(actor, Action.HANDLE_ESCALATION, reason)  # audited
        raise PermissionDenied(reason)


def _event(
    session: Session,
    escalation: Escalation,
    kind: str,
    now: datetime,
    actor: Actor | None,
    *,
    from_rank: int | None = None,
    to_rank: int | None = None,
    note: str | None = None,
) -> None:
    session.add(
        EscalationEvent(
            escalation_id=escalation.id,  # type: ignore[arg-type]
            at=now,
            actor_id=actor.id if actor else None,
            kind=kind,
            from_rank=from_rank,
            to_rank=to_rank,
            note=note,
        )
    )


def _snapshot(escalation: Escalation) -> dict[str, object]:
    return {
        "state": escalation.state,
        "level_rank": escalation.level_rank,
        "accepted_by_id": escalation.accepted_by_id,
        "resolved_by_id": escalation.resolved_by_id,
    }


def _move(
    session: Session, escalation: Escalation, states: tuple[str, ...], **values: object
) -> None:
    """A conditional UPDATE: only if nobody changed the state or rung meanwhile."""
    result = session.execute(
        update(Escalation)
        .where(
            col(Escalation.id) == escalation.id,
            col(Escalation.state).in_(states),
            col(Escalation.level_rank) == escalation.level_rank,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if not cast(CursorResult[Any], result).rowcount:
        raise Conflict(f"escalation {escalation.id} changed meanwhile; look again")
    session.refresh(escalation)


def _required(text: str | None, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(f"{what} is required")
    return text


# --- moves ------------------------------------------------------------------------


def raise_escalation(
    session: Session,
    actor: Actor,
    now: datetime,
    *,
    reason: str,
    anger: int,
    call_id: int | None = None,
    complaint_id: int | None = None,
    customer_id: int | None = None,
) -> Escalation:
    """Raise an escalation from a live call, a complaint or a customer card.

    It lands one rung above the raiser's own. Agents may escalate only their own
    calls and the complaints they opened or own.
    """
    require(actor, Action.RAISE_ESCALATION)
    reason = _required(reason, "the reason for escalating")
    if not 1 <= anger <= 5:
        raise InvalidInput("anger must be 1 (calm) to 5 (furious)")
    if sum(x is not None for x in (call_id, complaint_id, customer_id)) != 1:
        raise InvalidInput("raise an escalation from exactly one call, complaint or customer")
    is_agent = actor.role == Role.AGENT
    origin: dict[str, int | None]
    if call_id is not None:
        call = session.get(Call, call_id)
        if call is None:
            raise NotFound(f"no call {call_id}")
        if is_agent and call.agent_id != actor.id:
            raise PermissionDenied("agents may escalate only their own calls")
        if call.customer_id is None:
            raise InvalidInput("the caller is not a known customer; link a customer card first")
        customer_id, origin = call.customer_id, {"call_id": call_id}
    elif complaint_id is not None:
        complaint = session.get(Complaint, complaint_id)
        if complaint is None:
            raise NotFound(f"no complaint {complaint_id}")
        if is_agent and actor.id not in (complaint.opened_by_id, complaint.owner_id):
            raise PermissionDenied("agents may escalate only complaints they opened or own")
        customer_id, origin = complaint.customer_id, {"complaint_id": complaint_id}
        call_id = complaint.call_id
    else:
        origin = {"customer_id": customer_id}
    if session.get(Customer, customer_id) is None:
        raise NotFound(f"no customer {customer_id}")
    duplicate = _open_duplicate(session, call_id=origin.get("call_id"), complaint_id=complaint_id)
    if duplicate is not None:
        raise Conflict(f"this is already escalated (escalation {duplicate}, still open)")
    rungs = ladder(session)
    mine = rungs.rung_of(actor.role)
    start = rungs.above(mine.rank if mine else 0)
    if start is None:
        raise Conflict("there is no level above yours on the escalation ladder")
    escalation = Escalation(
        customer_id=customer_id,  # type: ignore[arg-type]
        call_id=call_id,
        complaint_id=complaint_id,
        raised_by_id=actor.id,
        raised_at=now,
        level_rank=start.rank,
        level_entered_at=now,
        state=EscalationState.RAISED,
        anger=anger,
        reason=reason,
    )
    session.add(escalation)
    session.flush()
    _event(
        session,
        escalation,
        EventKind.RAISED,
        now,
        actor,
        from_rank=mine.rank if mine else None,
        to_rank=start.rank,
        note=reason,
    )
    audit.record(
        session,
        actor,
        "escalation.raise",
        "escalation",
        escalation.id,
        at=now,
        after={**origin, "level": start.code, "anger": anger},
    )
    return escalation


def _open_duplicate(
    session: Session, *, call_id: int | None, complaint_id: int | None
) -> int | None:
    conditions = []
    if call_id is not None:
        conditions.append(col(Escalation.call_id) == call_id)
    if complaint_id is not None:
        conditions.append(col(Escalation.complaint_id) == complaint_id)
    if not conditions:
        return None
    return session.execute(
        select(col(Escalation.id)).where(or_(*conditions), col(Escalation.state).in_(OPEN_STATES))
    ).scalar()


def accept(session: Session, actor: Actor, escalation_id: int, now: datetime) -> Escalation:
    """A named person takes the escalation at its current rung; its clock stops."""
    escalation = load_visible(session, actor, escalation_id)
    level = ladder(session).get(escalation.level_rank)
    _require_at(actor, level, "accept")
    if escalation.state != EscalationState.RAISED:
        raise Conflict(f"escalation {escalation_id} is {escalation.state}, not waiting")
    before = _snapshot(escalation)
    _move(
        session,
        escalation,
        (EscalationState.RAISED,),
        state=EscalationState.ACCEPTED,
        accepted_by_id=actor.id,
        accepted_at=now,
    )
    _event(
        session,
        escalation,
        EventKind.ACCEPTED,
        now,
        actor,
        from_rank=level.rank,
        to_rank=level.rank,
    )
    audit.record(
        session,
        actor,
        "escalation.accept",
        "escalation",
        escalation_id,
        at=now,
        before=before,
        after=_snapshot(escalation),
    )
    return escalation


def resolve(
    session: Session,
    actor: Actor,
    escalation_id: int,
    now: datetime,
    *,
    note: str,
    promise: str,
) -> Escalation:
    """Resolve at the current rung, saying how and what the customer was promised.

    Resolving one nobody accepted yet accepts it in the same move (both recorded).
    """
    note = _required(note, "a resolution note")
    promise = _required(promise, "what was promised to the customer")
    escalation = load_visible(session, actor, escalation_id)
    level = ladder(session).get(escalation.level_rank)
    _require_at(actor, level, "resolve")
    if escalation.state == EscalationState.RESOLVED:
        raise Conflict(f"escalation {escalation_id} is already resolved")
    before = _snapshot(escalation)
    if escalation.state == EscalationState.RAISED:
        _event(
            session,
            escalation,
            EventKind.ACCEPTED,
            now,
            actor,
            from_rank=level.rank,
            to_rank=level.rank,
        )
    _move(
        session,
        escalation,
        OPEN_STATES,
        state=EscalationState.RESOLVED,
        accepted_by_id=escalation.accepted_by_id or actor.id,
        accepted_at=escalation.accepted_at or now,
        resolved_by_id=actor.id,
        resolved_at=now,
        resolution_note=note,
        promise=promise,
    )
    _event(
        session,
        escalation,
        EventKind.RESOLVED,
        now,
        actor,
        from_rank=level.rank,
        to_rank=level.rank,
        note=f"{note} — promised: {promise}",
    )
    audit.record(
        session,
        actor,
        "escalation.resolve",
        "escalation",
        escalation_id,
        at=now,
        before=before,
        after={**_snapshot(escalation), "note": note, "promise": promise},
    )
    return escalation


def escalate_further(
    session: Session, actor: Actor, escalation_id: int, now: datetime, *, justification: str
) -> Escalation:
    """Pass it one rung up, with a required justification; the executive rung is a failure."""
    justification = _required(justification, "a justification for escalating further")
    escalation = load_visible(session, actor, escalation_id)
    rungs = ladder(session)
    level = rungs.get(escalation.level_rank)
    _require_at(actor, level, "escalate further")
    if escalation.state == EscalationState.RESOLVED:
        raise Conflict(f"escalation {escalation_id} is resolved; reopen it first")
    target = rungs.above(level.rank)
    if target is None:
        raise Conflict(f"{level.name} is the top of the ladder; resolve it there")
    _climb(session, escalation, level, target, now, actor, EventKind.ESCALATED, justification)
    return escalation


def _climb(
    session: Session,
    escalation: Escalation,
    level: Level,
    target: Level,
    now: datetime,
    actor: Actor | None,
    kind: str,
    note: str,
) -> None:
    before = _snapshot(escalation)
    _move(
        session,
        escalation,
        OPEN_STATES,
        level_rank=target.rank,
        level_entered_at=now,
        state=EscalationState.RAISED,
        accepted_by_id=None,
        accepted_at=None,
    )
    if target.is_executive:
        note = f"{note} [{EXECUTIVE_WARNING}]"
    _event(
        session, escalation, kind, now, actor, from_rank=level.rank, to_rank=target.rank, note=note
    )
    audit.record(
        session,
        actor,
        f"escalation.{kind}",
        "escalation",
        escalation.id,
        at=now,
        before=before,
        after={**_snapshot(escalation), "note": note},
    )


def call_back(
    session: Session, actor: Actor, escalation_id: int, now: datetime, *, note: str = ""
) -> Escalation:
    """Record that the handler called the customer back (the state does not change)."""
    escalation = load_visible(session, actor, escalation_id)
    level = ladder(session).get(escalation.level_rank)
    _require_at(actor, level, "call back on")
    note = note.strip() or "called the customer back"
    _event(
        session,
        escalation,
        EventKind.CALLED_BACK,
        now,
        actor,
        from_rank=level.rank,
        to_rank=level.rank,
        note=note,
    )
    audit.record(
        session, actor, "escalation.call_back", "escalation", escalation_id, at=now, after=note
    )
    return escalation


def reopen(
    session: Session, actor: Actor, escalation_id: int, now: datetime, *, note: str
) -> Escalation:
    """A resolved escalation is not solved after all: it waits again at the same rung.

    The earlier acceptance and resolution stay in the story (events and audit).
    """
    note = _required(note, "why it is reopened")
    escalation = load_visible(session, actor, escalation_id)
    level = ladder(session).get(escalation.level_rank)
    _require_at(actor, level, "reopen")
    if escalation.state != EscalationState.RESOLVED:
        raise Conflict(f"escalation {escalation_id} is still open")
    before = {
        **_snapshot(escalation),
        "note": escalation.resolution_note,
        "promise": escalation.promise,
    }
    _move(
        session,
        escalation,
        (EscalationState.RESOLVED,),
        state=EscalationState.RAISED,
        level_entered_at=now,
        accepted_by_id=None,
        accepted_at=None,
        resolved_by_id=None,
        resolved_at=None,
        resolution_note=None,
        promise=None,
    )
    _event(
        session,
        escalation,
        EventKind.REOPENED,
        now,
        actor,
        from_rank=level.rank,
        to_rank=level.rank,
        note=note,
    )
    audit.record(
        session,
        actor,
        "escalation.reopen",
        "escalation",
        escalation_id,
        at=now,
        before=before,
        after=_snapshot(escalation),
    )
    return escalation


# --- the clock ---------------------------------------------------------------------


@dataclass(frozen=True)
class Climbed:
    """One escalation that climbed by itself because nobody accepted it in time."""

    escalation_id: int
    customer: str
    from_level: str
    to_level: str
    to_executive: bool
    waited_minutes: int

    def __str__(self) -> str:
        text = (
            f"escalation {self.escalation_id} ({self.customer}) climbed by itself from "
            f"{self.from_level} to {self.to_level}: not accepted in {self.waited_minutes} min"
        )
        return f"{text} — {EXECUTIVE_WARNING}" if self.to_executive else text


def _overdue(now: datetime) -> ColumnElement[bool]:
    """Waiting (not accepted) for at least the response time of its rung, below the top."""
    limit_s = col(EscalationLevel.response_minutes) * 60
    rung = aliased(EscalationLevel)
    top = select(func.max(col(rung.rank))).scalar_subquery()
    return and_(
        col(Escalation.state) == EscalationState.RAISED,
        col(Escalation.level_entered_at) <= to_epoch(now) - limit_s,
        col(Escalation.level_rank) < top,
    )


def any_overdue(session: Session, now: datetime) -> bool:
    """A cheap read: is anything due to climb? (so desks open a write only when needed)"""
    return (
        session.execute(
            select(col(Escalation.id))
            .join(EscalationLevel, col(EscalationLevel.rank) == Escalation.level_rank)
            .where(_overdue(now))
            .limit(1)
        ).first()
        is not None
    )


def climb_overdue(session: Session, now: datetime) -> list[Climbed]:
    """Climb every escalation not accepted within its rung's response time by one rung.

    Safe to call from any process at any moment (a desk's refresh, cron): each
    climb is a conditional UPDATE, so two callers never climb the same one twice.
    """
    now_s = to_epoch(now)
    rungs = ladder(session)
    due = session.execute(
        select(Escalation, col(Customer.name))
        .join(EscalationLevel, col(EscalationLevel.rank) == Escalation.level_rank)
        .join(Customer, col(Customer.id) == Escalation.customer_id)
        .where(_overdue(now))
        .order_by(col(Escalation.level_entered_at), col(Escalation.id))
    ).all()
    climbed = []
    for escalation, customer in due:
        level = rungs.get(escalation.level_rank)
        target = rungs.above(level.rank)
        if target is None:
            continue  # the top rung has nowhere to go: it shows as overdue
        waited = (now_s - to_epoch(escalation.level_entered_at)) // 60
        note = f"not accepted within {level.response_minutes} min at {level.name}"
        try:
            _climb(session, escalation, level, target, now, None, EventKind.AUTO_ESCALATED, note)
        except Conflict:
            continue  # accepted or climbed by someone else a moment ago
        climbed.append(
            Climbed(
                escalation.id,
                customer,
                level.name,
                target.name,
                target.is_executive,
                waited,
            )
        )
    return climbed


def climb_if_due(database: Database, now: datetime) -> list[Climbed]:
    """The ladder's clock for any process: climb what is overdue at ``now``.

    One short read, and a write transaction only when something is due, so every
    open desk and cron can call it often.
    """
    with database.read() as session:
        if not any_overdue(session, now):
            return []
    with database.write() as session:
        return climb_overdue(session, now)

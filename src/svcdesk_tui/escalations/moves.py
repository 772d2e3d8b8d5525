"""The escalation ladder's moves: raise, accept, resolve, pass on, call back, reopen.

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
  by itself (``clock``, re-exported here: every open desk and cron call it).
- Every change writes an `escalation_event` (the append-only story) and an audit
  row; a reopen adds to the story and never rewrites it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlmodel import Session, col

from svcdesk_tui.core import audit
from svcdesk_tui.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from svcdesk_tui.core.rows import existing
from svcdesk_tui.escalations.clock import Climbed, any_overdue, climb_if_due, climb_overdue
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
from svcdesk_tui.escalations.transitions import (
    audit_move,
    move,
    record_at,
    record_climb,
    record_event,
    require_at,
    required,
    snapshot,
)
from svcdesk_tui.models import (
    Call,
    Complaint,
    Customer,
    Escalation,
    EscalationState,
    Role,
)
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, require

__all__ = [  # the ladder's and the clock's names are re-exported: callers need only this module
    "EXECUTIVE_WARNING",
    "OPEN_STATES",
    "Climbed",
    "EventKind",
    "Ladder",
    "Level",
    "accept",
    "any_overdue",
    "call_back",
    "climb_if_due",
    "climb_overdue",
    "escalate_further",
    "ladder",
    "load_visible",
    "may_act_at",
    "raise_escalation",
    "reopen",
    "resolve",
]


def raise_escalation(
    session: Session,
    actor: Actor,
    *,
    now: datetime,
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
    reason = required(reason, "the reason for escalating")
    if not 1 <= anger <= 5:
        raise InvalidInput("anger must be 1 (calm) to 5 (furious)")
    if sum(x is not None for x in (call_id, complaint_id, customer_id)) != 1:
        raise InvalidInput("raise an escalation from exactly one call, complaint or customer")
    is_agent = actor.role == Role.AGENT
    origin: dict[str, int | None]
    if call_id is not None:
        call = existing(session, Call, call_id, f"no call {call_id}")
        if is_agent and call.agent_id != actor.id:
            raise PermissionDenied("agents may escalate only their own calls")
        if call.customer_id is None:
            raise InvalidInput("the caller is not a known customer; link a customer card first")
        customer_id, origin = call.customer_id, {"call_id": call_id}
    elif complaint_id is not None:
        complaint = existing(session, Complaint, complaint_id, f"no complaint {complaint_id}")
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
    record_event(
        session,
        escalation,
        EventKind.RAISED,
        actor,
        now=now,
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


def accept(session: Session, actor: Actor, escalation_id: int, *, now: datetime) -> Escalation:
    """A named person takes the escalation at its current rung; its clock stops."""
    escalation = load_visible(session, actor, escalation_id)
    level = ladder(session).get(escalation.level_rank)
    require_at(actor, level, "accept")
    if escalation.state != EscalationState.RAISED:
        raise Conflict(f"escalation {escalation_id} is {escalation.state}, not waiting")
    before = snapshot(escalation)
    move(
        session,
        escalation,
        (EscalationState.RAISED,),
        state=EscalationState.ACCEPTED,
        accepted_by_id=actor.id,
        accepted_at=now,
    )
    record_at(session, escalation, EventKind.ACCEPTED, actor, level, now=now)
    audit_move(session, actor, escalation, "accept", before, now=now)
    return escalation


def resolve(
    session: Session,
    actor: Actor,
    escalation_id: int,
    *,
    now: datetime,
    note: str,
    promise: str,
) -> Escalation:
    """Resolve at the current rung, saying how and what the customer was promised.

    Resolving one nobody accepted yet accepts it in the same move (both recorded).
    """
    note = required(note, "a resolution note")
    promise = required(promise, "what was promised to the customer")
    escalation = load_visible(session, actor, escalation_id)
    level = ladder(session).get(escalation.level_rank)
    require_at(actor, level, "resolve")
    if escalation.state == EscalationState.RESOLVED:
        raise Conflict(f"escalation {escalation_id} is already resolved")
    before = snapshot(escalation)
    if escalation.state == EscalationState.RAISED:
        record_at(session, escalation, EventKind.ACCEPTED, actor, level, now=now)
    move(
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
    record_at(
        session,
        escalation,
        EventKind.RESOLVED,
        actor,
        level,
        now=now,
        note=f"{note} — promised: {promise}",
    )
    audit_move(
        session, actor, escalation, "resolve", before, {"note": note, "promise": promise}, now=now
    )
    return escalation


def escalate_further(
    session: Session, actor: Actor, escalation_id: int, *, now: datetime, justification: str
) -> Escalation:
    """Pass it one rung up, with a required justification; the executive rung is a failure."""
    justification = required(justification, "a justification for escalating further")
    escalation = load_visible(session, actor, escalation_id)
    rungs = ladder(session)
    level = rungs.get(escalation.level_rank)
    require_at(actor, level, "escalate further")
    if escalation.state == EscalationState.RESOLVED:
        raise Conflict(f"escalation {escalation_id} is resolved; reopen it first")
    target = rungs.above(level.rank)
    if target is None:
        raise Conflict(f"{level.name} is the top of the ladder; resolve it there")
    before = snapshot(escalation)
    move(
        session,
        escalation,
        OPEN_STATES,
        level_rank=target.rank,
        level_entered_at=now,
        state=EscalationState.RAISED,
        accepted_by_id=None,
        accepted_at=None,
    )
    record_climb(
        session,
        escalation,
        level,
        target,
        actor,
        EventKind.ESCALATED,
        justification,
        before,
        now=now,
    )
    return escalation


def call_back(
    session: Session, actor: Actor, escalation_id: int, *, now: datetime, note: str = ""
) -> Escalation:
    """Record that the handler called the customer back (the state does not change)."""
    escalation = load_visible(session, actor, escalation_id)
    level = ladder(session).get(escalation.level_rank)
    require_at(actor, level, "call back on")
    note = note.strip() or "called the customer back"
    record_at(session, escalation, EventKind.CALLED_BACK, actor, level, now=now, note=note)
    audit.record(
        session, actor, "escalation.call_back", "escalation", escalation_id, at=now, after=note
    )
    return escalation


def reopen(
    session: Session, actor: Actor, escalation_id: int, *, now: datetime, note: str
) -> Escalation:
    """A resolved escalation is not solved after all: it waits again at the same rung.

    The earlier acceptance and resolution stay in the story (events and audit).
    """
    note = required(note, "why it is reopened")
    escalation = load_visible(session, actor, escalation_id)
    level = ladder(session).get(escalation.level_rank)
    require_at(actor, level, "reopen")
    if escalation.state != EscalationState.RESOLVED:
        raise Conflict(f"escalation {escalation_id} is still open")
    before = {
        **snapshot(escalation),
        "note": escalation.resolution_note,
        "promise": escalation.promise,
    }
    move(
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
    record_at(session, escalation, EventKind.REOPENED, actor, level, now=now, note=note)
    audit_move(session, actor, escalation, "reopen", before, now=now)
    return escalation

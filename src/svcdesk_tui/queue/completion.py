"""Completing a call: its contact reason and outcome, and where it goes next
(solved, a system expert, a technician, sales).

:func:`complete_call` is the one way to finish a call. One transaction writes the
completed call, its routing, the service ticket with its first visit (dispatch)
and the lead (sales), so a refusal leaves nothing half written. A route sets the
outcome: solved on the call counts as resolved; the other routes leave the call
unresolved, except passing information to sales, which ends it. Without a route
(the PBX desk, the simulator) the outcome is given as such and no routing is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from svcdesk_tui.core import audit
from svcdesk_tui.core.clock import to_epoch
from svcdesk_tui.core.errors import InvalidInput
from svcdesk_tui.models import (
    AgentStateKind,
    Call,
    CallOutcome,
    CallRoute,
    CallRouting,
    CallState,
    ContactReason,
    ExpertMode,
    LeadKind,
)
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, require
from svcdesk_tui.queue.moves import current_call, end_talk
from svcdesk_tui.service_desk.dispatch import DispatchRequest, open_ticket
from svcdesk_tui.service_desk.leads import record_lead

OUTCOME_OF_ROUTE = {
    CallRoute.SOLVED: CallOutcome.RESOLVED,
    CallRoute.SALES: CallOutcome.RESOLVED,
    CallRoute.EXPERT: CallOutcome.UNRESOLVED,
    CallRoute.DISPATCH: CallOutcome.UNRESOLVED,
}


@dataclass(frozen=True)
class Completion:
    """What the agent chose in the wrap-up form: a route, or (no route) an outcome."""

    reason_code: str
    route: str | None = None
    note: str = ""
    expert_mode: str | None = None
    dispatch: DispatchRequest | None = None
    lead_text: str = ""
    lead_kind: str = LeadKind.NEED
    outcome: str | None = None

    @property
    def final_outcome(self) -> str:
        """The outcome the route implies, else the one given."""
        if self.route is not None:
            return OUTCOME_OF_ROUTE[CallRoute(self.route)]
        assert self.outcome is not None
        return self.outcome


def check(completion: Completion) -> None:
    """Refuse an incomplete choice before anything is written."""
    if completion.route is None:
        if completion.outcome not in set(CallOutcome):
            raise InvalidInput(f"outcome must be one of {', '.join(CallOutcome)}")
        return
    if completion.route not in set(CallRoute):
        raise InvalidInput(f"the call's route must be one of {', '.join(CallRoute)}")
    if completion.route == CallRoute.EXPERT and completion.expert_mode not in set(ExpertMode):
        raise InvalidInput("say whether the expert works on the line or calls back")
    if completion.route == CallRoute.DISPATCH and completion.dispatch is None:
        raise InvalidInput("a dispatch needs the fault, the technician and the visit time")
    if completion.route == CallRoute.SALES and not completion.lead_text.strip():
        raise InvalidInput("say what sales should know")


def complete_call(
    session: Session,
    actor: Actor,
    completion: Completion,
    *,
    now: datetime,
    timezone: str | None = None,
) -> Call:
    """Finish the agent's call with its contact reason and outcome, and record where it went,
    all in the caller's transaction; the agent is free again. ``timezone`` (the center's)
    is needed for a dispatch."""
    require(actor, Action.COMPLETE_CALL)
    check(completion)
    call = _finish(session, actor, completion, now=now)
    assert call.id is not None
    if completion.route is None:
        return call
    session.add(
        CallRouting(
            call_id=call.id,
            route=completion.route,
            expert_mode=completion.expert_mode if completion.route == CallRoute.EXPERT else None,
            agent_id=actor.id,
            routed_at=now,
        )
    )
    if completion.dispatch is not None and completion.route == CallRoute.DISPATCH:
        if call.customer_id is None:
            raise InvalidInput("a dispatch needs a known customer; this caller is not identified")
        if timezone is None:
            raise TypeError("a dispatch needs the center's timezone")
        open_ticket(
            session,
            actor,
            now=now,
            customer_id=call.customer_id,
            call_id=call.id,
            request=completion.dispatch,
            timezone=timezone,
        )
    if completion.lead_text.strip():
        record_lead(
            session,
            actor,
            now=now,
            customer_id=call.customer_id,
            text=completion.lead_text,
            kind=completion.lead_kind,
            call_id=call.id,
        )
    return call


def _finish(session: Session, actor: Actor, completion: Completion, *, now: datetime) -> Call:
    """Write the completed call and free its agent (``completion`` already checked)."""
    reason = session.execute(
        select(ContactReason).where(col(ContactReason.code) == completion.reason_code)
    ).scalar_one_or_none()
    if reason is None:
        raise InvalidInput(f"unknown contact reason {completion.reason_code!r}")
    status, call = current_call(session, actor, CallState.ON_CALL, CallState.WRAP_UP)
    if call.state == CallState.ON_CALL:
        end_talk(session, actor, now=now)
    assert call.talk_ended_at is not None
    outcome = completion.final_outcome
    call.state, call.ended_at = CallState.COMPLETED, now
    call.wrap_seconds = max(0, to_epoch(now) - to_epoch(call.talk_ended_at))
    call.reason_id, call.outcome, call.note = reason.id, outcome, completion.note or None
    call.end_reason = call.end_reason or "completed"
    status.state, status.since, status.call_id = AgentStateKind.AVAILABLE, now, None
    audit.record(
        session,
        actor,
        "call.complete",
        "call",
        call.id,
        at=now,
        before={"state": "on_call"},
        after={"state": "completed", "reason": completion.reason_code, "outcome": outcome},
    )
    return call

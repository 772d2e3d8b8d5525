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

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, bindparam, case, func, select, update
from sqlmodel import Session, col

from svcdesk_tui.core import audit
from svcdesk_tui.core.clock import to_epoch
from svcdesk_tui.core.errors import Conflict, InvalidInput
from svcdesk_tui.core.intervals import CallKeys, count_call
from svcdesk_tui.core.sqltime import seconds_since
from svcdesk_tui.models import (
    AgentStateKind,
    AgentStatus,
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
    """Write the completed call and free its agent (``completion`` already checked), in a few
    statements built once: the call's UPDATE (ending the talk if it still ran) returns it,
    and its figures are added to the kept statistics at once (no ORM flush of the call)."""
    reason_id = session.execute(_REASON, {"code": completion.reason_code}).scalar_one_or_none()
    if reason_id is None:
        raise InvalidInput(f"unknown contact reason {completion.reason_code!r}")
    call_id = session.execute(_HELD, {"agent": actor.id}).scalar_one_or_none()
    outcome = completion.final_outcome
    values = {
        "call": call_id,
        "now": now,
        "now_s": to_epoch(now),
        "reason": reason_id,
        "outcome": outcome,
        "note": completion.note or None,
    }
    options = {"synchronize_session": False, "populate_existing": True}
    call = None
    if call_id is not None:
        call = session.execute(_COMPLETE, values, execution_options=options).scalar_one_or_none()
    if call is None:
        raise Conflict("you have no call in progress")
    session.execute(
        _FREE, {"agent": actor.id, "now": now}, execution_options={"synchronize_session": False}
    )
    loaded = session.identity_map.get(session.identity_key(AgentStatus, actor.id))
    if loaded is not None:  # a status row this session holds reads the new state next
        session.expire(loaded)
    keys = CallKeys(
        call.queue_id, to_epoch(call.entered_at), call.customer_id, call.agent_id, reason_id
    )
    count_call(session.connection(), replace(keys, settled=True, completed=call.id))
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


_ON_CALL = col(Call.state) == CallState.ON_CALL
_NOW_S: Any = bindparam("now_s", type_=Integer)  # epoch seconds
_REASON = select(col(ContactReason.id)).where(col(ContactReason.code) == bindparam("code"))
_HELD = select(col(AgentStatus.call_id)).where(col(AgentStatus.staff_id) == bindparam("agent"))
_COMPLETE = (
    update(Call)
    .where(
        col(Call.id) == bindparam("call"),
        col(Call.state).in_([CallState.ON_CALL, CallState.WRAP_UP]),
    )
    .values(  # as end_talk and then the wrap-up's end: each SET reads the row as it was
        state=CallState.COMPLETED,
        talk_ended_at=case((_ON_CALL, bindparam("now")), else_=col(Call.talk_ended_at)),
        talk_seconds=case(
            (_ON_CALL, seconds_since(func.coalesce(Call.answered_at, _NOW_S), _NOW_S)),
            else_=col(Call.talk_seconds),
        ),
        wrap_seconds=case((_ON_CALL, 0), else_=seconds_since(Call.talk_ended_at, _NOW_S)),
        ended_at=bindparam("now"),
        reason_id=bindparam("reason"),
        outcome=bindparam("outcome"),
        note=bindparam("note"),
        end_reason=func.coalesce(func.nullif(Call.end_reason, ""), "completed"),
    )
    .returning(Call)
)
_FREE = (
    update(AgentStatus)
    .where(col(AgentStatus.staff_id) == bindparam("agent"))
    .values(state=AgentStateKind.AVAILABLE, since=bindparam("now"), call_id=None)
)

"""Completing a call into where it goes next: solved, a system expert, a technician, sales.

One transaction writes the completed call, its routing, the service ticket with
its first visit (dispatch) and the lead (sales), so a refusal leaves nothing
half written. Solved on the call counts as resolved; the other routes leave
the call unresolved, except passing information to sales, which ends it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from svcdesk_tui.core.errors import InvalidInput
from svcdesk_tui.models import Call, CallOutcome, CallRoute, CallRouting, ExpertMode, LeadKind
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.queue import live as queue_service
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
    """What the agent chose in the wrap-up form."""

    reason_code: str
    route: str
    note: str = ""
    expert_mode: str | None = None
    dispatch: DispatchRequest | None = None
    lead_text: str = ""
    lead_kind: str = LeadKind.NEED


def check(completion: Completion) -> None:
    """Refuse an incomplete choice before anything is written."""
    if completion.route not in set(CallRoute):
        raise InvalidInput(f"the call's route must be one of {', '.join(CallRoute)}")
    if completion.route == CallRoute.EXPERT and completion.expert_mode not in set(ExpertMode):
        raise InvalidInput("say whether the expert works on the line or calls back")
    if completion.route == CallRoute.DISPATCH and completion.dispatch is None:
        raise InvalidInput("a dispatch needs the fault, the technician and the visit time")
    if completion.route == CallRoute.SALES and not completion.lead_text.strip():
        raise InvalidInput("say what sales should know")


def complete_call(
    session: Session, actor: Actor, now: datetime, completion: Completion, *, timezone: str
) -> Call:
    """Complete the agent's call and record where it went, all in the caller's transaction."""
    check(completion)
    call = queue_service.complete_call(
        session,
        actor,
        now,
        reason_code=completion.reason_code,
        outcome=OUTCOME_OF_ROUTE[CallRoute(completion.route)],
        note=completion.note,
    )
    assert call.id is not None
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
        open_ticket(
            session,
            actor,
            now,
            customer_id=call.customer_id,
            call_id=call.id,
            request=completion.dispatch,
            timezone=timezone,
        )
    if completion.lead_text.strip():
        record_lead(
            session,
            actor,
            now,
            customer_id=call.customer_id,
            text=completion.lead_text,
            kind=completion.lead_kind,
            call_id=call.id,
        )
    return call

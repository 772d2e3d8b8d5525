"""The moves on the live queue: a call enters, an agent takes it (or a lead assigns it),
the talk ends, the caller hangs up while waiting. Completing a call is
:func:`svcdesk_tui.queue.completion.complete_call`.

A claim is a single conditional UPDATE (``... WHERE state = 'waiting'``) inside
a short write transaction, so two agents can never hold the same call, on
SQLite and on a server database alike.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, bindparam, select, update
from sqlmodel import Session, col

from svcdesk_tui.core import audit
from svcdesk_tui.core.clock import to_epoch
from svcdesk_tui.core.errors import Conflict, NotFound
from svcdesk_tui.core.intervals import count_abandon, count_claim
from svcdesk_tui.core.sqltime import epoch, seconds_since
from svcdesk_tui.models import (
    AgentStateKind,
    AgentStatus,
    Agreement,
    Call,
    CallState,
    Customer,
    PresenceKind,
    PresenceLog,
    Staff,
    is_waiting,
)
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, require
from svcdesk_tui.people.presence import BUSY_STATES, agent_status, close_presence

CLAIM_RETRIES = 5


def enqueue_call(
    session: Session,
    *,
    queue_id: int,
    now: datetime,
    customer_id: int | None = None,
    caller_number: str | None = None,
    source: str = "manual",
    external_id: str | None = None,
) -> Call:
    """A call enters a queue; its priority follows the customer's agreement."""
    priority = 0
    if customer_id is not None:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise NotFound(f"no customer {customer_id}")
        if customer.agreement_id is not None:
            agreement = session.get(Agreement, customer.agreement_id)
            priority = agreement.queue_priority if agreement else 0
        caller_number = caller_number or customer.phone
    call = Call(
        queue_id=queue_id,
        customer_id=customer_id,
        caller_number=caller_number,
        priority=priority,
        state=CallState.WAITING,
        entered_at=now,
        source=source,
        external_id=external_id,
    )
    session.add(call)
    session.flush()
    return call


def take_call(
    session: Session, actor: Actor, call_id: int | None = None, *, now: datetime
) -> Call | None:
    """Claim a waiting call: the chosen one, or the next (priority, then longest wait).

    Returns None when nobody is waiting; raises :class:`Conflict` when the chosen
    call was taken by someone else first or the agent already holds a call.
    """
    require(actor, Action.TAKE_CALL)
    return _claim(session, actor, actor.id, call_id, now=now)


def assign_call(
    session: Session, actor: Actor, call_id: int, agent_id: int, *, now: datetime
) -> Call:
    """A lead or manager puts a waiting call on an available agent."""
    require(actor, Action.ASSIGN_CALL)
    status = session.get(AgentStatus, agent_id)
    if status is None or status.state != AgentStateKind.AVAILABLE:
        agent = session.get(Staff, agent_id)
        name = agent.name if agent else f"agent {agent_id}"
        state = status.state if status else AgentStateKind.OFFLINE
        raise Conflict(f"{name} is {state.replace('_', ' ')}, not available")
    call = _claim(session, actor, agent_id, call_id, now=now)
    assert call is not None
    return call


def _claim(
    session: Session, actor: Actor, agent_id: int, call_id: int | None, *, now: datetime
) -> Call | None:
    """The claim in as few statements as the store needs: the agent's state (its row locked
    on PostgreSQL, so one agent's two desks claim one after the other), the conditional
    UPDATE of the call, the agent's new state, the audit row."""
    state = session.execute(_STATE, {"agent": agent_id}).scalar_one_or_none()
    if state is None:  # never logged in: an offline status row first
        state = agent_status(session, agent_id, now=now).state
    if state in BUSY_STATES:
        raise Conflict(
            "that agent already has a call in progress"
            if agent_id != actor.id
            else "you already have a call: finish it first"
        )
    call = _claim_update(session, agent_id, call_id, now=now)
    if call is None:
        return None
    count_claim(session, call)
    if state == AgentStateKind.OFFLINE:
        session.add(PresenceLog(staff_id=agent_id, kind=PresenceKind.SESSION, started_at=now))
    elif state == AgentStateKind.PAUSED:
        close_presence(session, agent_id, PresenceKind.PAUSE, now=now)
    session.execute(
        _ON_CALL,
        {"agent": agent_id, "now": now, "call": call.id},
        execution_options={"synchronize_session": False},
    )
    # A status row this session already holds reads the new state on its next use (the
    # "evaluate" synchronisation left it as it was: the values are bound parameters).
    loaded = session.identity_map.get(session.identity_key(AgentStatus, agent_id))
    if loaded is not None:
        session.expire(loaded)
    audit.record(
        session,
        actor,
        "call.take" if agent_id == actor.id else "call.assign",
        "call",
        call.id,
        at=now,
        before={"state": "waiting"},
        after={"state": "on_call", "agent_id": agent_id},
    )
    return call


def _claim_update(
    session: Session, agent_id: int, call_id: int | None, *, now: datetime
) -> Call | None:
    """The conditional UPDATE that puts a waiting call on ``agent_id``: the call, or None
    when nobody waits; :class:`Conflict` when the chosen call is gone or the queue churns."""
    values = {"agent": agent_id, "now": now, "now_s": to_epoch(now), "call": call_id}
    statement = _CLAIM_NEXT if call_id is None else _CLAIM_CHOSEN
    for _attempt in range(CLAIM_RETRIES):
        claimed = session.execute(
            statement,
            values,
            execution_options={"synchronize_session": False, "populate_existing": True},
        ).scalar_one_or_none()
        if claimed is not None:
            return claimed
        if call_id is not None:
            if session.get(Call, call_id) is None:
                raise NotFound(f"no call {call_id}")
            raise Conflict(f"call {call_id} is no longer waiting: someone else took it")
        if session.execute(_ANY_WAITING).first() is None:
            return None
    raise Conflict("the queue is very busy: try again")


def _claim_statement(chosen: Any) -> Any:
    """UPDATE the ``chosen`` call if it still waits, RETURNING it as it now is."""
    now_s: Any = bindparam("now_s", type_=Integer)  # epoch seconds, given at each claim
    return (
        update(Call)
        .where(chosen, is_waiting())
        .values(
            state=CallState.ON_CALL,
            agent_id=bindparam("agent"),
            answered_at=bindparam("now"),
            wait_seconds=seconds_since(Call.entered_at, now_s),
        )
        .returning(Call)
    )


# The claim's statements are built once: building them costs more than running them.
_STATE = (
    select(col(AgentStatus.state))
    .where(col(AgentStatus.staff_id) == bindparam("agent"))
    .with_for_update()  # SQLite: the write transaction already keeps other writers out
)
_ANY_WAITING = select(col(Call.id)).where(is_waiting()).limit(1)
_NEXT_WAITING = (
    select(col(Call.id))
    .where(is_waiting())
    .order_by(col(Call.priority).desc(), col(Call.entered_at), col(Call.id))
    .limit(1)
    .with_for_update(skip_locked=True)  # PostgreSQL: pass calls others are taking
    .scalar_subquery()
)
_CLAIM_NEXT = _claim_statement(col(Call.id) == _NEXT_WAITING)
_CLAIM_CHOSEN = _claim_statement(col(Call.id) == bindparam("call"))
_ON_CALL = (
    update(AgentStatus)
    .where(col(AgentStatus.staff_id) == bindparam("agent"))
    .values(
        state=AgentStateKind.ON_CALL,
        since=bindparam("now"),
        reason=None,
        call_id=bindparam("call"),
    )
)


def current_call(session: Session, actor: Actor, *states: str) -> tuple[AgentStatus, Call]:
    """The actor's status and the call they hold, if it is in one of ``states``."""
    status = session.get(AgentStatus, actor.id)
    call = session.get(Call, status.call_id) if status and status.call_id else None
    if status is None or call is None or call.state not in states:
        raise Conflict("you have no call in progress")
    return status, call


def end_talk(session: Session, actor: Actor, *, now: datetime) -> Call:
    """The conversation is over: the agent's own call moves to wrap-up."""
    require(actor, Action.COMPLETE_CALL)
    status, call = current_call(session, actor, CallState.ON_CALL)
    call.state, call.talk_ended_at = CallState.WRAP_UP, now
    call.talk_seconds = max(0, to_epoch(now) - to_epoch(call.answered_at or now))
    status.state, status.since = AgentStateKind.WRAP_UP, now
    return call


def abandon_call(
    session: Session, call_id: int, end_reason: str = "abandoned", *, now: datetime
) -> bool:
    """The caller hung up while waiting. False if the call was no longer waiting."""
    now_s = to_epoch(now)
    ended = session.execute(
        update(Call)
        .where(col(Call.id) == call_id, is_waiting())
        .values(
            state=CallState.ABANDONED,
            ended_at=now,
            end_reason=end_reason,
            wait_seconds=seconds_since(Call.entered_at, now_s),
        )
        .returning(col(Call.queue_id), epoch(Call.entered_at), col(Call.wait_seconds))
        .execution_options(synchronize_session=False)
    ).first()
    if ended is None:
        return False
    queue_id, entered_s, wait = ended
    count_abandon(session.connection(), queue_id, entered_s, wait, end_reason)
    return True

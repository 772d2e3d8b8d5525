"""The live queue: who waits, who works, and the moves agents and leads make.

A claim is a single conditional UPDATE (``... WHERE state = 'waiting'``) inside
a short write transaction, so two agents can never hold the same call, on
SQLite and on a server database alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.orm import aliased
from sqlmodel import Session

from svcdesk_tui.core import audit
from svcdesk_tui.core.clock import to_epoch
from svcdesk_tui.core.errors import Conflict, InvalidInput, NotFound
from svcdesk_tui.core.periods import today_period
from svcdesk_tui.core.settings import CenterSettings
from svcdesk_tui.core.sqltime import epoch
from svcdesk_tui.models import (
    FIELD_ROLES,
    AgentStateKind,
    AgentStatus,
    Agreement,
    Call,
    CallOutcome,
    CallState,
    ContactReason,
    Customer,
    PresenceKind,
    PresenceLog,
    Queue,
    Shift,
    Staff,
    is_waiting,
)
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, allowed, require
from svcdesk_tui.queue.measures import QueueKpi, queue_kpis

BUSY_STATES = (AgentStateKind.ON_CALL, AgentStateKind.WRAP_UP)
LONGEST_SHIFT = timedelta(hours=24)  # no scheduled shift is longer than a day
CLAIM_RETRIES = 5


class WaitingCall(NamedTuple):
    """A call in the queue; a tuple so thousands of them load in a few milliseconds."""

    call_id: int
    queue: str
    sl_threshold_seconds: int
    priority: int
    wait_seconds: int
    caller_number: str | None
    customer_id: int | None
    customer_name: str | None
    tier: str | None
    answer_seconds: int | None
    fix_hours: float | None
    calls_recent: int
    special_requests: str | None
    nuisance: bool
    nuisance_note: str | None

    @property
    def promise(self) -> str | None:
        """What the caller's agreement promises, in a few words."""
        return promise_text(self.answer_seconds, self.fix_hours)


@dataclass(frozen=True)
class AgentRow:
    staff_id: int
    login: str
    name: str
    state: str
    reason: str | None
    in_state_seconds: int
    call_id: int | None
    caller: str | None
    queue: str | None


@dataclass(frozen=True)
class QueueSnapshot:
    """Everything the Queue screen shows, read in one consistent transaction."""

    at: datetime
    waiting: tuple[WaitingCall, ...]
    agents: tuple[AgentRow, ...]
    kpis: tuple[QueueKpi, ...]
    longest_wait_by_queue: dict[str, int]


def promise_text(answer_seconds: int | None, fix_hours: float | None) -> str | None:
    """What an agreement promises, in a few words ("answer ≤30 s, fix ≤8 h")."""
    parts = []
    if answer_seconds is not None:
        parts.append(f"answer ≤{answer_seconds} s")
    if fix_hours is not None:
        parts.append(f"fix ≤{fix_hours:g} h")
    return ", ".join(parts) or None


class QueueReader:
    """Reads snapshots of the live queue, remembering who each waiting caller is.

    The queue itself (ids, order, waits) is re-read every time from a covering
    partial index; the caller's details (customer, agreement, calls in the last
    days) are read once per call and refreshed after ``details_ttl_s``, so a
    screen that re-reads every second stays fast with thousands waiting.
    """

    def __init__(
        self, settings: CenterSettings, details_ttl_s: float = 30.0, viewer: Actor | None = None
    ) -> None:
        self.settings = settings
        self.details_ttl_s = details_ttl_s
        self.viewer = viewer  # someone without VIEW_ALL_AGENTS sees only their own row
        self._details: dict[int, tuple[int, tuple[object, ...]]] = {}

    def read(self, session: Session, now: datetime) -> QueueSnapshot:
        """The live queue at ``now``: waiting calls, the agents board and today's KPIs."""
        now_s = to_epoch(now)
        waiting = self._waiting_calls(session, now_s)
        longest: dict[str, int] = {}
        for call in waiting:
            longest[call.queue] = max(longest.get(call.queue, 0), call.wait_seconds)
        agents = _agents_board(session, now, now_s)
        if self.viewer is not None and not allowed(self.viewer, Action.VIEW_ALL_AGENTS):
            agents = tuple(agent for agent in agents if agent.staff_id == self.viewer.id)
        return QueueSnapshot(
            at=now,
            waiting=waiting,
            agents=agents,
            kpis=tuple(queue_kpis(session, today_period(now, self.settings.timezone))),
            longest_wait_by_queue=longest,
        )

    def _waiting_calls(self, session: Session, now_s: int) -> tuple[WaitingCall, ...]:
        connection = session.connection()  # Core rows: no ORM bookkeeping per row
        queues = {
            queue_id: (name, threshold)
            for queue_id, name, threshold in connection.execute(
                select(Queue.id, Queue.name, Queue.sl_threshold_seconds)
            )
        }
        order = connection.execute(
            select(
                Call.id,
                Call.queue_id,
                Call.priority,
                _seconds_since(epoch(Call.entered_at), now_s),
            )
            .where(is_waiting())
            .order_by(Call.priority.desc(), Call.entered_at, Call.id)  # type: ignore[attr-defined]
        ).all()
        stale = [
            call_id
            for call_id, *_ in order
            if now_s - self._details.get(call_id, (-(10**12), ()))[0] > self.details_ttl_s
        ]
        for start in range(0, len(stale), 500):  # stay under any bound-parameter limit
            self._load_details(connection, stale[start : start + 500], now_s)
        self._details = {row[0]: self._details[row[0]] for row in order}  # forget the gone
        return tuple(
            WaitingCall(call_id, *queues[queue_id], priority, wait, *self._details[call_id][1])
            for call_id, queue_id, priority, wait in order
        )

    def _load_details(self, connection, call_ids: list[int], now_s: int) -> None:  # type: ignore[no-untyped-def]
        recent = aliased(Call)
        since_s = now_s - self.settings.history_window_days * 86400
        calls_recent = (
            select(func.count())
            .where(recent.customer_id == Call.customer_id, recent.entered_at >= since_s)
            .scalar_subquery()
        )
        rows = connection.execute(
            select(
                Call.id,
                Call.caller_number,
                Call.customer_id,
                Customer.name,
                Agreement.name,
                Agreement.answer_seconds,
                Agreement.fix_hours,
                func.coalesce(calls_recent, 0),
                Customer.special_requests,
                func.coalesce(Customer.nuisance, False),
                Customer.nuisance_note,
            )
            .outerjoin(Customer, Customer.id == Call.customer_id)
            .outerjoin(Agreement, Agreement.id == Customer.agreement_id)
            .where(Call.id.in_(call_ids))  # type: ignore[union-attr]
        )
        for call_id, *details in rows:
            self._details[call_id] = (now_s, tuple(details))


def read_snapshot(session: Session, now: datetime, settings: CenterSettings) -> QueueSnapshot:
    """One snapshot of the live queue, read from scratch."""
    return QueueReader(settings).read(session, now)


def _seconds_since(column, now_s: int):  # type: ignore[no-untyped-def]
    """``now - column`` in whole seconds, never negative (clocks of processes may differ)."""
    return case((column > now_s, 0), else_=now_s - column)


def _agents_board(session: Session, now: datetime, now_s: int) -> tuple[AgentRow, ...]:
    """Logged-in agents, plus those scheduled now who have not logged in (offline)."""
    on_shift_now = (
        select(Shift.staff_id)
        .where(
            Shift.starts_at > now - LONGEST_SHIFT,  # bounds the index range to one day
            Shift.starts_at <= now,
            Shift.ends_at > now,
            Shift.staff_id.not_in(select(Staff.id).where(Staff.role.in_(FIELD_ROLES))),  # type: ignore[attr-defined]
        )
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            Staff.id,
            Staff.login,
            Staff.name,
            func.coalesce(AgentStatus.state, AgentStateKind.OFFLINE),
            AgentStatus.reason,
            epoch(AgentStatus.since),
            AgentStatus.call_id,
            func.coalesce(Customer.name, Call.caller_number),
            Queue.name,
        )
        .select_from(Staff)
        .outerjoin(AgentStatus, AgentStatus.staff_id == Staff.id)
        .outerjoin(Call, Call.id == AgentStatus.call_id)
        .outerjoin(Customer, Customer.id == Call.customer_id)
        .outerjoin(Queue, Queue.id == Call.queue_id)
        .where(
            or_(
                and_(AgentStatus.state.is_not(None), AgentStatus.state != AgentStateKind.OFFLINE),  # type: ignore[union-attr]
                Staff.id.in_(on_shift_now),  # type: ignore[union-attr]
            )
        )
        .order_by(Staff.name)
    ).all()
    return tuple(
        AgentRow(
            staff_id=row[0],
            login=row[1],
            name=row[2],
            state=row[3],
            reason=row[4],
            in_state_seconds=max(0, now_s - row[5]) if row[5] is not None else 0,
            call_id=row[6],
            caller=row[7],
            queue=row[8],
        )
        for row in rows
    )


# --- moves -----------------------------------------------------------------


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


def _status(session: Session, staff_id: int, now: datetime) -> AgentStatus:
    status = session.get(AgentStatus, staff_id)
    if status is None:
        status = AgentStatus(staff_id=staff_id, state=AgentStateKind.OFFLINE, since=now)
        session.add(status)
        session.flush()
    return status


def log_in(session: Session, actor: Actor, now: datetime, client: str | None = None) -> None:
    """Start a presence session; a no-op for someone already logged in."""
    status = _status(session, actor.id, now)
    status.client = client
    status.heartbeat_at = now
    if status.state != AgentStateKind.OFFLINE:
        return
    status.state, status.since, status.reason = AgentStateKind.AVAILABLE, now, None
    session.add(PresenceLog(staff_id=actor.id, kind=PresenceKind.SESSION, started_at=now))
    audit.record(session, actor, "presence.login", "staff", actor.id, at=now)


def log_out(session: Session, actor: Actor, now: datetime) -> None:
    status = _status(session, actor.id, now)
    if status.state in BUSY_STATES:
        raise Conflict("finish your current call before logging out")
    if status.state == AgentStateKind.OFFLINE:
        return
    close_presence(session, actor.id, now)
    status.state, status.since, status.reason, status.client = (
        AgentStateKind.OFFLINE,
        now,
        None,
        None,
    )
    audit.record(session, actor, "presence.logout", "staff", actor.id, at=now)


def close_presence(session: Session, staff_id: int, now: datetime, kind: str | None = None) -> None:
    """End the person's open presence sessions (of ``kind``, or all) at ``now``."""
    stmt = update(PresenceLog).where(
        PresenceLog.staff_id == staff_id,
        PresenceLog.ended_at.is_(None),  # type: ignore[union-attr]
    )
    if kind is not None:
        stmt = stmt.where(PresenceLog.kind == kind)
    session.execute(stmt.values(ended_at=now))


def pause(session: Session, actor: Actor, reason: str, now: datetime) -> None:
    require(actor, Action.PAUSE)
    reason = reason.strip()
    if not reason:
        raise InvalidInput("a pause needs a reason (break, training, coaching …)")
    status = _status(session, actor.id, now)
    if status.state in BUSY_STATES:
        raise Conflict("you are on a call: finish it before pausing")
    if status.state == AgentStateKind.OFFLINE:
        log_in(session, actor, now)
    close_presence(session, actor.id, now, PresenceKind.PAUSE)
    before = status.state
    status.state, status.since, status.reason = AgentStateKind.PAUSED, now, reason
    session.add(
        PresenceLog(staff_id=actor.id, kind=PresenceKind.PAUSE, reason=reason, started_at=now)
    )
    audit.record(
        session,
        actor,
        "presence.pause",
        "staff",
        actor.id,
        at=now,
        before=before,
        after={"state": "paused", "reason": reason},
    )


def resume(session: Session, actor: Actor, now: datetime) -> None:
    require(actor, Action.PAUSE)
    status = _status(session, actor.id, now)
    if status.state != AgentStateKind.PAUSED:
        raise Conflict("you are not paused")
    close_presence(session, actor.id, now, PresenceKind.PAUSE)
    status.state, status.since, status.reason = AgentStateKind.AVAILABLE, now, None
    audit.record(session, actor, "presence.resume", "staff", actor.id, at=now)


def take_call(
    session: Session, actor: Actor, now: datetime, call_id: int | None = None
) -> Call | None:
    """Claim a waiting call: the chosen one, or the next (priority, then longest wait).

    Returns None when nobody is waiting; raises :class:`Conflict` when the chosen
    call was taken by someone else first or the agent already holds a call.
    """
    require(actor, Action.TAKE_CALL)
    return _claim(session, actor, actor.id, now, call_id)


def assign_call(session: Session, actor: Actor, call_id: int, agent_id: int, now: datetime) -> Call:
    """A lead or manager puts a waiting call on an available agent."""
    require(actor, Action.ASSIGN_CALL)
    status = session.get(AgentStatus, agent_id)
    if status is None or status.state != AgentStateKind.AVAILABLE:
        agent = session.get(Staff, agent_id)
        name = agent.name if agent else f"agent {agent_id}"
        state = status.state if status else AgentStateKind.OFFLINE
        raise Conflict(f"{name} is {state.replace('_', ' ')}, not available")
    call = _claim(session, actor, agent_id, now, call_id)
    assert call is not None
    return call


def _claim(
    session: Session, actor: Actor, agent_id: int, now: datetime, call_id: int | None
) -> Call | None:
    status = _status(session, agent_id, now)
    if status.state in BUSY_STATES:
        raise Conflict(
            "that agent already has a call in progress"
            if agent_id != actor.id
            else "you already have a call: finish it first"
        )
    now_s = to_epoch(now)
    for _attempt in range(CLAIM_RETRIES):
        if call_id is None:
            target = (
                select(Call.id)
                .where(is_waiting())
                .order_by(Call.priority.desc(), Call.entered_at, Call.id)  # type: ignore[attr-defined]
                .limit(1)
                .with_for_update(skip_locked=True)  # PostgreSQL: pass calls others are taking
                .scalar_subquery()
            )
        else:
            target = call_id
        claimed = session.execute(
            update(Call)
            .where(Call.id == target, is_waiting())
            .values(
                state=CallState.ON_CALL,
                agent_id=agent_id,
                answered_at=now,
                wait_seconds=_seconds_since(Call.entered_at, now_s),
            )
            .returning(Call.id)
            .execution_options(synchronize_session=False)
        ).scalar_one_or_none()
        if claimed is not None:
            break
        if call_id is not None:
            if session.get(Call, call_id) is None:
                raise NotFound(f"no call {call_id}")
            raise Conflict(f"call {call_id} is no longer waiting: someone else took it")
        if not session.execute(select(Call.id).where(is_waiting()).limit(1)).first():
            return None
    else:
        raise Conflict("the queue is very busy: try again")
    if status.state == AgentStateKind.OFFLINE:
        session.add(PresenceLog(staff_id=agent_id, kind=PresenceKind.SESSION, started_at=now))
    elif status.state == AgentStateKind.PAUSED:
        close_presence(session, agent_id, now, PresenceKind.PAUSE)
    status.state, status.since, status.reason, status.call_id = (
        AgentStateKind.ON_CALL,
        now,
        None,
        claimed,
    )
    call = session.get(Call, claimed, populate_existing=True)
    assert call is not None
    action = "call.take" if agent_id == actor.id else "call.assign"
    audit.record(
        session,
        actor,
        action,
        "call",
        claimed,
        at=now,
        before={"state": "waiting"},
        after={"state": "on_call", "agent_id": agent_id},
    )
    return call


def _current_call(session: Session, actor: Actor, *states: str) -> tuple[AgentStatus, Call]:
    status = session.get(AgentStatus, actor.id)
    call = session.get(Call, status.call_id) if status and status.call_id else None
    if status is None or call is None or call.state not in states:
        raise Conflict("you have no call in progress")
    return status, call


def end_talk(session: Session, actor: Actor, now: datetime) -> Call:
    """The conversation is over: the agent's own call moves to wrap-up."""
    require(actor, Action.COMPLETE_CALL)
    status, call = _current_call(session, actor, CallState.ON_CALL)
    call.state, call.talk_ended_at = CallState.WRAP_UP, now
    call.talk_seconds = max(0, to_epoch(now) - to_epoch(call.answered_at or now))
    status.state, status.since = AgentStateKind.WRAP_UP, now
    return call


def complete_call(
    session: Session,
    actor: Actor,
    now: datetime,
    *,
    reason_code: str,
    outcome: str,
    note: str | None = None,
) -> Call:
    """Finish the agent's call with its contact reason and outcome; the agent is free again."""
    require(actor, Action.COMPLETE_CALL)
    if outcome not in set(CallOutcome):
        raise InvalidInput(f"outcome must be one of {', '.join(CallOutcome)}")
    reason = session.execute(
        select(ContactReason).where(ContactReason.code == reason_code)
    ).scalar_one_or_none()
    if reason is None:
        raise InvalidInput(f"unknown contact reason {reason_code!r}")
    status, call = _current_call(session, actor, CallState.ON_CALL, CallState.WRAP_UP)
    if call.state == CallState.ON_CALL:
        end_talk(session, actor, now)
    assert call.talk_ended_at is not None
    call.state, call.ended_at = CallState.COMPLETED, now
    call.wrap_seconds = max(0, to_epoch(now) - to_epoch(call.talk_ended_at))
    call.reason_id, call.outcome, call.note = reason.id, outcome, note or None
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
        after={"state": "completed", "reason": reason_code, "outcome": outcome},
    )
    return call


def abandon_call(
    session: Session, call_id: int, now: datetime, end_reason: str = "abandoned"
) -> bool:
    """The caller hung up while waiting. False if the call was no longer waiting."""
    now_s = to_epoch(now)
    changed = session.execute(
        update(Call)
        .where(Call.id == call_id, is_waiting())
        .values(
            state=CallState.ABANDONED,
            ended_at=now,
            end_reason=end_reason,
            wait_seconds=_seconds_since(Call.entered_at, now_s),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    return bool(changed)


def current_call_id(session: Session, staff_id: int) -> int | None:
    status = session.get(AgentStatus, staff_id)
    return status.call_id if status else None


def reasons(session: Session) -> list[tuple[str, str]]:
    """(code, label) of every contact reason, for pickers."""
    return [
        tuple(row)
        for row in session.execute(  # type: ignore[misc]
            select(ContactReason.code, ContactReason.label).order_by(ContactReason.label)
        )
    ]


def available_agents(session: Session) -> list[tuple[int, str]]:
    return [
        tuple(row)
        for row in session.execute(  # type: ignore[misc]
            select(Staff.id, Staff.name)
            .join(AgentStatus, AgentStatus.staff_id == Staff.id)
            .where(AgentStatus.state == AgentStateKind.AVAILABLE)
            .order_by(Staff.name)
        )
    ]


@dataclass(frozen=True)
class CallSummary:
    call_id: int
    customer_id: int | None
    caller: str
    queue: str


def call_summary(session: Session, call_id: int) -> CallSummary:
    """Who is on a call and in which queue, in a few words."""
    row = session.execute(
        select(Call.customer_id, Customer.name, Call.caller_number, Queue.name)
        .join(Queue, Queue.id == Call.queue_id)
        .outerjoin(Customer, Customer.id == Call.customer_id)
        .where(Call.id == call_id)
    ).first()
    if row is None:
        raise NotFound(f"no call {call_id}")
    return CallSummary(call_id, row[0], row[1] or row[2] or "unknown caller", row[3])

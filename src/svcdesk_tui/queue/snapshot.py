"""Reading the live queue: who waits, who works, today's figures, and the pickers.

One :class:`QueueReader` per screen re-reads the queue each tick; the waiting
callers' details are cached for a while, so thousands waiting stay cheap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Connection, and_, func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from svcdesk_tui.core.clock import to_epoch
from svcdesk_tui.core.errors import NotFound
from svcdesk_tui.core.periods import today_period
from svcdesk_tui.core.settings import CenterSettings
from svcdesk_tui.core.sqltime import epoch, seconds_since
from svcdesk_tui.models import (
    FIELD_ROLES,
    AgentStateKind,
    AgentStatus,
    Agreement,
    Call,
    ContactReason,
    Customer,
    Queue,
    Shift,
    Staff,
    is_waiting,
)
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, allowed
from svcdesk_tui.queue.measures import QueueKpi, queue_kpis

LONGEST_SHIFT = timedelta(hours=24)  # no scheduled shift is longer than a day


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
        self._details: dict[int, tuple[int, tuple[Any, ...]]] = {}

    def read(self, session: Session, *, now: datetime) -> QueueSnapshot:
        """The live queue at ``now``: waiting calls, the agents board and today's KPIs."""
        now_s = to_epoch(now)
        waiting = self._waiting_calls(session, now_s)
        longest: dict[str, int] = {}
        for call in waiting:
            longest[call.queue] = max(longest.get(call.queue, 0), call.wait_seconds)
        agents = _agents_board(session, now_s, now=now)
        if self.viewer is not None and not allowed(self.viewer, Action.VIEW_ALL_AGENTS):
            agents = tuple(agent for agent in agents if agent.staff_id == self.viewer.id)
        return QueueSnapshot(
            at=now,
            waiting=waiting,
            agents=agents,
            kpis=tuple(queue_kpis(session, today_period(self.settings.timezone, now=now))),
            longest_wait_by_queue=longest,
        )

    def _waiting_calls(self, session: Session, now_s: int) -> tuple[WaitingCall, ...]:
        connection = session.connection()  # Core rows: no ORM bookkeeping per row
        queues = {
            queue_id: (name, threshold)
            for queue_id, name, threshold in connection.execute(
                select(col(Queue.id), col(Queue.name), col(Queue.sl_threshold_seconds))
            )
        }
        order = connection.execute(
            select(
                col(Call.id),
                col(Call.queue_id),
                col(Call.priority),
                seconds_since(epoch(col(Call.entered_at)), now_s),
            )
            .where(is_waiting())
            .order_by(col(Call.priority).desc(), col(Call.entered_at), col(Call.id))
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

    def _load_details(self, connection: Connection, call_ids: list[int], now_s: int) -> None:
        recent = aliased(Call)
        since_s = now_s - self.settings.history_window_days * 86400
        calls_recent = (
            select(func.count())
            .where(
                col(recent.customer_id) == col(Call.customer_id), col(recent.entered_at) >= since_s
            )
            .scalar_subquery()
        )
        rows = connection.execute(
            select(
                col(Call.id),
                col(Call.caller_number),
                col(Call.customer_id),
                col(Customer.name),
                col(Agreement.name),
                col(Agreement.answer_seconds),
                col(Agreement.fix_hours),
                func.coalesce(calls_recent, 0),
                col(Customer.special_requests),
                func.coalesce(col(Customer.nuisance), False),
                col(Customer.nuisance_note),
            )
            .outerjoin(Customer, col(Customer.id) == col(Call.customer_id))
            .outerjoin(Agreement, col(Agreement.id) == col(Customer.agreement_id))
            .where(col(Call.id).in_(call_ids))
        )
        for call_id, *details in rows:
            self._details[call_id] = (now_s, tuple(details))


def read_snapshot(session: Session, settings: CenterSettings, *, now: datetime) -> QueueSnapshot:
    """One snapshot of the live queue, read from scratch."""
    return QueueReader(settings).read(session, now=now)


def _agents_board(session: Session, now_s: int, *, now: datetime) -> tuple[AgentRow, ...]:
    """Logged-in agents, plus those scheduled now who have not logged in (offline)."""
    on_shift_now = (
        select(col(Shift.staff_id))
        .where(
            col(Shift.starts_at) > now - LONGEST_SHIFT,  # bounds the index range to one day
            col(Shift.starts_at) <= now,
            col(Shift.ends_at) > now,
            col(Shift.staff_id).not_in(
                select(col(Staff.id)).where(col(Staff.role).in_(FIELD_ROLES))
            ),
        )
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            col(Staff.id),
            col(Staff.login),
            col(Staff.name),
            func.coalesce(col(AgentStatus.state), AgentStateKind.OFFLINE),
            col(AgentStatus.reason),
            epoch(col(AgentStatus.since)),
            col(AgentStatus.call_id),
            func.coalesce(col(Customer.name), col(Call.caller_number)),
            col(Queue.name),
        )
        .select_from(Staff)
        .outerjoin(AgentStatus, col(AgentStatus.staff_id) == col(Staff.id))
        .outerjoin(Call, col(Call.id) == col(AgentStatus.call_id))
        .outerjoin(Customer, col(Customer.id) == col(Call.customer_id))
        .outerjoin(Queue, col(Queue.id) == col(Call.queue_id))
        .where(
            or_(
                and_(
                    col(AgentStatus.state).is_not(None),
                    col(AgentStatus.state) != AgentStateKind.OFFLINE,
                ),
                col(Staff.id).in_(on_shift_now),
            )
        )
        .order_by(col(Staff.name))
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


def current_call_id(session: Session, staff_id: int) -> int | None:
    status = session.get(AgentStatus, staff_id)
    return status.call_id if status else None


def reasons(session: Session) -> list[tuple[str, str]]:
    """(code, label) of every contact reason, for pickers."""
    return [
        tuple(row)
        for row in session.execute(
            select(col(ContactReason.code), col(ContactReason.label)).order_by(
                col(ContactReason.label)
            )
        )
    ]


def available_agents(session: Session) -> list[tuple[int, str]]:
    return [
        tuple(row)
        for row in session.execute(
            select(col(Staff.id), col(Staff.name))
            .join(AgentStatus, col(AgentStatus.staff_id) == col(Staff.id))
            .where(col(AgentStatus.state) == AgentStateKind.AVAILABLE)
            .order_by(col(Staff.name))
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
        select(col(Call.customer_id), col(Customer.name), col(Call.caller_number), col(Queue.name))
        .join(Queue, col(Queue.id) == col(Call.queue_id))
        .outerjoin(Customer, col(Customer.id) == col(Call.customer_id))
        .where(col(Call.id) == call_id)
    ).first()
    if row is None:
        raise NotFound(f"no call {call_id}")
    return CallSummary(call_id, row[0], row[1] or row[2] or "unknown caller", row[3])

"""Presence: logging in and out, pauses, and heartbeats that clear desks which went away.

Logged-in time is kept as intervals in ``presence_log`` (sessions and pauses), so
occupancy (docs/measures.md, Occupancy) can be measured over any period.

A desk that is open writes a heartbeat on its agent's status row. When an SSH
connection drops without a clean log-out (a laptop lid, a dead network), the
heartbeat stops; any process that runs :func:`clear_stale` (every open desk,
``svcdesk presence tick`` from cron) then logs that agent out, so nobody stays
"on call" for ever. Rows without a heartbeat (agents driven by the PBX's
queue_log) are left to their own source.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import CursorResult, select, text, update
from sqlmodel import Session, col

from svcdesk_tui.core import audit
from svcdesk_tui.core.change_count import QUIET
from svcdesk_tui.core.clock import to_epoch
from svcdesk_tui.core.errors import Conflict, stripped
from svcdesk_tui.core.interval_staffing import count_staffing
from svcdesk_tui.core.sqltime import epoch
from svcdesk_tui.models import (
    AgentStateKind,
    AgentStatus,
    Call,
    CallState,
    PresenceKind,
    PresenceLog,
    Staff,
)
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, require

DISCONNECTED = "disconnected"  # end_reason of a call whose agent's terminal went away
BUSY_STATES = (AgentStateKind.ON_CALL, AgentStateKind.WRAP_UP)


# Two desks may log one person in at the same moment: whichever writes her first status row
# first, the other finds it instead of failing on its key (PostgreSQL makes the second wait
# for the first's commit, then does nothing).
_FIRST_STATUS = text(
    "INSERT INTO agent_status (staff_id, state, since) VALUES (:staff, :offline, :now) "
    "ON CONFLICT (staff_id) DO NOTHING"
)


def agent_status(session: Session, staff_id: int, *, now: datetime) -> AgentStatus:
    """The person's status row, created offline if they never had one."""
    status = session.get(AgentStatus, staff_id)
    if status is None:
        params = {"staff": staff_id, "offline": AgentStateKind.OFFLINE, "now": to_epoch(now)}
        session.execute(_FIRST_STATUS, params)
        status = session.get_one(AgentStatus, staff_id)
    return status


def log_in(session: Session, actor: Actor, client: str | None = None, *, now: datetime) -> None:
    """Start a presence session; a no-op for someone already logged in."""
    status = agent_status(session, actor.id, now=now)
    status.client = client
    status.heartbeat_at = now
    if status.state != AgentStateKind.OFFLINE:
        return
    status.state, status.since, status.reason = AgentStateKind.AVAILABLE, now, None
    session.add(PresenceLog(staff_id=actor.id, kind=PresenceKind.SESSION, started_at=now))
    audit.record(session, actor, "presence.login", "staff", actor.id, at=now)


def log_out(session: Session, actor: Actor, *, now: datetime) -> None:
    status = agent_status(session, actor.id, now=now)
    if status.state in BUSY_STATES:
        raise Conflict("finish your current call before logging out")
    if status.state == AgentStateKind.OFFLINE:
        return
    close_presence(session, actor.id, now=now)
    status.state, status.since, status.reason, status.client = (
        AgentStateKind.OFFLINE,
        now,
        None,
        None,
    )
    audit.record(session, actor, "presence.logout", "staff", actor.id, at=now)


def close_presence(
    session: Session, staff_id: int, kind: str | None = None, *, now: datetime
) -> None:
    """End the person's open presence sessions (of ``kind``, or all) at ``now``."""
    stmt = update(PresenceLog).where(
        col(PresenceLog.staff_id) == staff_id,
        col(PresenceLog.ended_at).is_(None),
    )
    if kind is not None:
        stmt = stmt.where(col(PresenceLog.kind) == kind)
    started = session.execute(
        stmt.values(ended_at=now).returning(epoch(PresenceLog.started_at))
    ).scalars()
    first = min(started, default=None)
    if first is not None:
        count_staffing(session.connection(), first, to_epoch(now))


def pause(session: Session, actor: Actor, reason: str, *, now: datetime) -> None:
    require(actor, Action.PAUSE)
    reason = stripped(reason, "a pause needs a reason (break, training, coaching …)")
    status = agent_status(session, actor.id, now=now)
    if status.state in BUSY_STATES:
        raise Conflict("you are on a call: finish it before pausing")
    if status.state == AgentStateKind.OFFLINE:
        log_in(session, actor, now=now)
    close_presence(session, actor.id, PresenceKind.PAUSE, now=now)
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


def resume(session: Session, actor: Actor, *, now: datetime) -> None:
    require(actor, Action.PAUSE)
    status = agent_status(session, actor.id, now=now)
    if status.state != AgentStateKind.PAUSED:
        raise Conflict("you are not paused")
    close_presence(session, actor.id, PresenceKind.PAUSE, now=now)
    status.state, status.since, status.reason = AgentStateKind.AVAILABLE, now, None
    audit.record(session, actor, "presence.resume", "staff", actor.id, at=now)


@dataclass(frozen=True)
class ClearedPresence:
    """An agent logged out because their desk stopped answering."""

    staff_id: int
    login: str
    state: str
    call_id: int | None
    last_seen: datetime

    def __str__(self) -> str:
        call = f", call {self.call_id} ended" if self.call_id else ""
        return (
            f"{self.login}: {self.state.replace('_', ' ')} → offline "
            f"(last seen {self.last_seen:%Y-%m-%d %H:%M:%S} UTC{call})"
        )


def heartbeat_interval(stale_after_seconds: float) -> float:
    """How often a desk beats: four times within the stale limit, at most every 30 s."""
    return max(0.5, min(30.0, stale_after_seconds / 4))


def heartbeat(session: Session, staff_id: int, *, now: datetime) -> bool:
    """Mark a logged-in person as still there. False when they are offline (e.g. cleared)."""
    result = session.execute(
        update(AgentStatus)
        .where(
            col(AgentStatus.staff_id) == staff_id,
            col(AgentStatus.state) != AgentStateKind.OFFLINE,
        )
        .values(heartbeat_at=now)
        # a beat changes nothing a screen shows: desks need not re-read for it
        .execution_options(synchronize_session=False, **{QUIET: True})
    )
    assert isinstance(result, CursorResult)
    return bool(result.rowcount)


def clear_stale(session: Session, after_seconds: float, *, now: datetime) -> list[ClearedPresence]:
    """Log out everyone whose heartbeat is older than ``after_seconds``; end their call.

    The call they held is completed as ``disconnected`` at the later of their last
    heartbeat and the moment they took it; the agent goes offline then.
    """
    cutoff = now - timedelta(seconds=after_seconds)
    rows = session.execute(
        select(AgentStatus, col(Staff.login))
        .join(Staff, col(Staff.id) == AgentStatus.staff_id)
        .where(
            col(AgentStatus.state) != AgentStateKind.OFFLINE,
            col(AgentStatus.heartbeat_at).is_not(None),
            col(AgentStatus.heartbeat_at) < cutoff,
        )
        .order_by(col(AgentStatus.staff_id))
    ).all()
    cleared = []
    for status, login in rows:
        last_seen = max(status.heartbeat_at, status.since)
        before = {"state": status.state, "call_id": status.call_id, "heartbeat_at": last_seen}
        if status.call_id is not None:
            _end_call(session, status.call_id, last_seen)
        close_presence(session, status.staff_id, now=last_seen)
        cleared.append(
            ClearedPresence(status.staff_id, login, status.state, status.call_id, last_seen)
        )
        status.state, status.since, status.reason = AgentStateKind.OFFLINE, last_seen, None
        status.call_id, status.client = None, None
        audit.record(
            session,
            None,
            "presence.stale",
            "staff",
            status.staff_id,
            at=now,
            before=before,
            after={"state": AgentStateKind.OFFLINE},
        )
    return cleared


def _end_call(session: Session, call_id: int, last_seen: datetime) -> None:
    call = session.get(Call, call_id)
    if call is None or call.state not in (CallState.ON_CALL, CallState.WRAP_UP):
        return
    answered = call.answered_at or last_seen
    talk_end = call.talk_ended_at or max(answered, last_seen)
    ended = max(talk_end, last_seen)
    call.talk_ended_at, call.ended_at = talk_end, ended
    call.talk_seconds = max(0, to_epoch(talk_end) - to_epoch(answered))
    call.wrap_seconds = max(0, to_epoch(ended) - to_epoch(talk_end))
    call.state, call.end_reason = CallState.COMPLETED, DISCONNECTED

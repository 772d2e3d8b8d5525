"""Presence that outlives its terminal: heartbeats, and clearing those that stopped.

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

from sqlalchemy import select, update
from sqlmodel import Session

from svcdesk_tui.core import audit
from svcdesk_tui.core.clock import to_epoch
from svcdesk_tui.models import AgentStateKind, AgentStatus, Call, CallState, Staff
from svcdesk_tui.queue.live import close_presence

DISCONNECTED = "disconnected"  # end_reason of a call whose agent's terminal went away


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


def heartbeat(session: Session, staff_id: int, now: datetime) -> bool:
    """Mark a logged-in person as still there. False when they are offline (e.g. cleared)."""
    changed = session.execute(
        update(AgentStatus)
        .where(
            AgentStatus.staff_id == staff_id,  # type: ignore[arg-type]
            AgentStatus.state != AgentStateKind.OFFLINE,  # type: ignore[arg-type]
        )
        .values(heartbeat_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    return bool(changed)


def clear_stale(session: Session, now: datetime, after_seconds: float) -> list[ClearedPresence]:
    """Log out everyone whose heartbeat is older than ``after_seconds``; end their call.

    The call they held is completed as ``disconnected`` at the later of their last
    heartbeat and the moment they took it; the agent goes offline then.
    """
    cutoff = now - timedelta(seconds=after_seconds)
    rows = session.execute(
        select(AgentStatus, Staff.login)
        .join(Staff, Staff.id == AgentStatus.staff_id)
        .where(
            AgentStatus.state != AgentStateKind.OFFLINE,  # type: ignore[arg-type]
            AgentStatus.heartbeat_at.is_not(None),  # type: ignore[union-attr]
            AgentStatus.heartbeat_at < cutoff,  # type: ignore[operator]
        )
        .order_by(AgentStatus.staff_id)
    ).all()
    cleared = []
    for status, login in rows:
        last_seen = max(status.heartbeat_at, status.since)
        before = {"state": status.state, "call_id": status.call_id, "heartbeat_at": last_seen}
        if status.call_id is not None:
            _end_call(session, status.call_id, last_seen)
        close_presence(session, status.staff_id, last_seen)
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

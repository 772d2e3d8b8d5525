"""What a live center left behind long ago, closed as it would have ended.

A demo is opened minutes or days after it was last live. A caller who entered
more than :data:`~.traffic.PATIENCE_LIMIT_S` ago has hung up long since; a talk
answered half an hour ago is over; an agent not heard of for half an hour went
home. Each is closed at the moment it would have ended, with plausible lengths,
so the history stays believable and no screen shows a wait of days.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from svcdesk_tui.core import audit
from svcdesk_tui.core.clock import to_epoch
from svcdesk_tui.demo.sim_agents import DrivenAgent
from svcdesk_tui.demo.sim_center import SimCenter
from svcdesk_tui.demo.traffic import PATIENCE_LIMIT_S, sample_patience, sample_talk, sample_wrap
from svcdesk_tui.models import AgentStateKind, AgentStatus, Call, CallState, is_waiting
from svcdesk_tui.queue import live as queue

STALE_AFTER = timedelta(minutes=30)
"""Talking, or logged in without a sign of life, longer than this: left over."""


def close_leftovers(
    session: Session, center: SimCenter, agents: list[DrivenAgent], *, now: datetime
) -> int:
    """Close old waiting calls, old talks and old sessions of ``agents``; how many were closed.

    One audit row (``simulation.recover``) says how many, if any.
    """
    closed = _hang_up_old_callers(session, center, now=now)
    stale_s = to_epoch(now - STALE_AFTER)
    for agent in agents:
        status = agent.status
        if status is None or status.state == AgentStateKind.OFFLINE:
            continue
        call = session.get(Call, status.call_id) if status.call_id else None
        if call is not None and call.answered_at and to_epoch(call.answered_at) < stale_s:
            _finish_as_it_was(center, call, status)
            closed += 1
        last_seen = status.heartbeat_at or status.since
        if to_epoch(last_seen) < stale_s:
            _log_out_as_it_was(session, status, last_seen)
            closed += 1
    if closed:
        audit.record(
            session, None, "simulation.recover", "call", None, at=now, after={"closed": closed}
        )
    return closed


def _hang_up_old_callers(session: Session, center: SimCenter, *, now: datetime) -> int:
    """Callers on hold longer than anyone holds: they hung up after their own patience."""
    oldest = to_epoch(now) - PATIENCE_LIMIT_S
    old = session.exec(select(Call).where(is_waiting(), col(Call.entered_at) < oldest)).all()
    for call in old:
        patience = sample_patience(center.rng)
        call.state, call.end_reason = CallState.ABANDONED, "abandoned"
        call.wait_seconds = patience
        call.ended_at = call.entered_at + timedelta(seconds=patience)
    return len(old)


def _finish_as_it_was(center: SimCenter, call: Call, status: AgentStatus) -> None:
    """A call left talking long ago: complete it with a plausible length."""
    reason = center.reason_for(call)
    assert call.answered_at is not None
    if call.talk_ended_at is None:
        call.talk_seconds = sample_talk(center.rng, reason)
        call.talk_ended_at = call.answered_at + timedelta(seconds=call.talk_seconds)
    call.wrap_seconds = sample_wrap(center.rng)
    call.ended_at = call.talk_ended_at + timedelta(seconds=call.wrap_seconds)
    call.state, call.end_reason = CallState.COMPLETED, "completed"
    call.reason_id = center.reason_ids.get(reason)
    call.outcome = center.outcome(reason)
    status.state, status.since, status.call_id = AgentStateKind.AVAILABLE, call.ended_at, None
    status.heartbeat_at = call.ended_at
    if call.id is not None:
        center.plans.forget(call.id)


def _log_out_as_it_was(session: Session, status: AgentStatus, last_seen: datetime) -> None:
    """An agent logged in long ago and never heard of again: their session ended then."""
    queue.close_presence(session, status.staff_id, now=last_seen)
    status.state, status.since, status.reason = AgentStateKind.OFFLINE, last_seen, None
    status.client, status.call_id = None, None

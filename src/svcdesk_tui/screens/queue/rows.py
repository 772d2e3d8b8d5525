"""The Queue screen's rows: KPIs, waiting calls and agents, in words and colour."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from rich.text import Text

from svcdesk_tui.core.formatting import clock, duration, percent
from svcdesk_tui.models import AgentStateKind
from svcdesk_tui.queue.live import AgentRow, QueueSnapshot, WaitingCall
from svcdesk_tui.queue.measures import QueueKpi
from svcdesk_tui.widgets.live_table import Row

STATE_STYLE: dict[str, str] = {
    AgentStateKind.AVAILABLE: "green",
    AgentStateKind.ON_CALL: "bold",
    AgentStateKind.WRAP_UP: "cyan",
    AgentStateKind.PAUSED: "yellow",
    AgentStateKind.OFFLINE: "dim",
}


def seconds_between(earlier: datetime, later: datetime) -> int:
    """Whole seconds from ``earlier`` to ``later``; never negative."""
    return max(0, int((later - earlier).total_seconds()))


def clocks_at(snapshot: QueueSnapshot, *, now: datetime) -> QueueSnapshot:
    """The snapshot's time and each queue's longest wait moved on to ``now``, nothing read.

    The rows' own clocks move on as they are painted (``gone`` of :func:`waiting_row`).
    """
    gone = seconds_between(snapshot.at, now)
    if gone == 0:
        return snapshot
    return replace(
        snapshot,
        at=now,
        longest_wait_by_queue={q: s + gone for q, s in snapshot.longest_wait_by_queue.items()},
    )


def kpi_row(kpi: QueueKpi, snapshot: QueueSnapshot) -> Row:
    """One KPI line: a breach is red *and* says BREACH."""
    sl = kpi.service_level
    if kpi.sl_target is None:
        sl_cell = Text(percent(sl))
    elif kpi.breached:
        sl_cell = Text(f"{percent(sl)} <{percent(kpi.sl_target)} BREACH", style="bold red")
    elif sl is None:
        sl_cell = Text(f"— (target {percent(kpi.sl_target)})")
    else:
        sl_cell = Text(f"{percent(sl)} ≥{percent(kpi.sl_target)} ok", style="green")
    if kpi.queue_id is None:
        longest = max(snapshot.longest_wait_by_queue.values(), default=0)
    else:
        longest = snapshot.longest_wait_by_queue.get(kpi.queue_name, 0)
    return (
        f"q{kpi.queue_id or 'all'}",
        (
            Text(kpi.queue_name, style="bold" if kpi.queue_id is None else ""),
            str(kpi.offered),
            str(kpi.answered),
            f"{kpi.abandoned} {percent(kpi.abandon_rate)}",
            sl_cell,
            duration(kpi.asa_seconds),
            duration(kpi.aht_seconds),
            clock(longest) if longest else "—",
        ),
    )


def waiting_row(call: WaitingCall, gone: int = 0) -> Row:
    """The call's row, its wait moved on by ``gone`` seconds."""
    waited = call.wait_seconds + gone
    late = call.sl_threshold_seconds is not None and waited > call.sl_threshold_seconds
    wait = Text(clock(waited) + (" late" if late else ""), style="bold red" if late else "")
    flag = Text("NUISANCE", style="bold red") if call.nuisance else Text("")
    agreement = call.tier or "—"
    if call.promise:
        agreement += f": {call.promise}"
    return (
        str(call.call_id),
        (
            wait,
            call.queue,
            call.customer_name or "unknown caller",
            str(call.calls_recent),
            flag,
            agreement,
            call.special_requests or "",
            call.caller_number or "unknown",
        ),
    )


def describe_state(agent: AgentRow) -> str:
    if agent.state == AgentStateKind.PAUSED:
        return f"paused: {agent.reason or 'no reason'}"
    return agent.state.replace("_", " ")


def agent_row(agent: AgentRow, gone: int = 0) -> Row:
    """The agent's row, their time in state moved on by ``gone`` seconds."""
    in_state = agent.in_state_seconds + gone
    return (
        str(agent.staff_id),
        (
            agent.name,
            Text(describe_state(agent), style=STATE_STYLE.get(agent.state, "")),
            clock(in_state) if agent.state != AgentStateKind.OFFLINE else "—",
            agent.caller or "",
            agent.queue or "",
        ),
    )


def matches(call: WaitingCall, filter_text: str) -> bool:
    """Whether a waiting call fits the filter (queue, caller, customer, tier, requests)."""
    if not filter_text:
        return True
    haystack = " ".join(
        str(part)
        for part in (
            call.queue,
            call.caller_number,
            call.customer_name,
            call.tier,
            call.special_requests,
        )
        if part
    ).lower()
    return filter_text.lower() in haystack

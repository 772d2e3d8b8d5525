"""The live queue in one import: reading it (:mod:`.snapshot`), the moves on calls
(:mod:`.moves`), completing a call (:mod:`.completion`) and presence
(:mod:`svcdesk_tui.people.presence`). Screens, the CLI and the simulator use this.
"""

from __future__ import annotations

from svcdesk_tui.people.presence import BUSY_STATES, close_presence, log_in, log_out, pause, resume
from svcdesk_tui.queue.completion import Completion, complete_call
from svcdesk_tui.queue.moves import abandon_call, assign_call, end_talk, enqueue_call, take_call
from svcdesk_tui.queue.snapshot import (
    AgentRow,
    CallSummary,
    QueueReader,
    QueueSnapshot,
    WaitingCall,
    available_agents,
    call_summary,
    current_call_id,
    promise_text,
    read_snapshot,
    reasons,
)

__all__ = [
    "BUSY_STATES",
    "AgentRow",
    "CallSummary",
    "Completion",
    "QueueReader",
    "QueueSnapshot",
    "WaitingCall",
    "abandon_call",
    "assign_call",
    "available_agents",
    "call_summary",
    "close_presence",
    "complete_call",
    "current_call_id",
    "end_talk",
    "enqueue_call",
    "log_in",
    "log_out",
    "pause",
    "promise_text",
    "read_snapshot",
    "reasons",
    "resume",
    "take_call",
]

"""A generated call as the generator keeps it (:class:`CallRec`), and as its row in ``call``.

One row shape for every state: what a call has by its state (an answer, a talk,
an end) is filled in, the rest stays empty, as the live moves would leave it.
"""

from __future__ import annotations

from dataclasses import dataclass

from svcdesk_tui.models import CallOutcome, CallState

CALL_COLUMNS = (
    "id", "queue_id", "customer_id", "caller_number", "priority", "state", "agent_id",
    "entered_at", "answered_at", "talk_ended_at", "ended_at", "wait_seconds", "talk_seconds",
    "wrap_seconds", "end_reason", "reason_id", "product_id", "outcome", "note", "source",
)  # fmt: skip

CallRow = tuple[object, ...]
Arrival = tuple[int, int, str, int, int]  # (at, customer, reason, tag, product)

_ANSWERED = (CallState.ON_CALL, CallState.WRAP_UP, CallState.COMPLETED)
_TALKED = (CallState.WRAP_UP, CallState.COMPLETED)
_ENDED = (CallState.ABANDONED, CallState.COMPLETED)


@dataclass(slots=True)
class CallRec:
    """One simulated call, in epoch seconds; turned into a row at the end of its day."""

    entered: int
    queue_id: int
    customer: int  # index into the customer book, -1 for an unknown caller
    caller: str
    priority: int
    reason: str
    product: int  # index into the product list
    tag: int  # 1 + index of the complaint this caller comes back about, else 0
    agent: int = -1  # index into the day's slots
    answered: int = 0
    talk_end: int = 0
    ended: int = 0
    wait: int = 0
    talk: int = 0
    wrap: int = 0
    resolved: bool = False
    state: str = CallState.COMPLETED


def call_row(
    call_id: int,
    rec: CallRec,
    *,
    agent_id: int | None,
    customer_id: int | None,
    product_id: int,
    reason_id: int | None = None,
    note: str | None = None,
) -> CallRow:
    """The row of ``rec`` in :data:`CALL_COLUMNS` order, filled in as far as its state goes."""
    state = rec.state
    answered, talked = state in _ANSWERED, state in _TALKED
    done = state == CallState.COMPLETED
    outcome = CallOutcome.RESOLVED if rec.resolved else CallOutcome.UNRESOLVED
    return (
        call_id, rec.queue_id, customer_id, rec.caller, rec.priority, str(state),
        agent_id if answered else None,
        rec.entered,
        rec.answered if answered else None,
        rec.talk_end if talked else None,
        rec.ended if state in _ENDED else None,
        rec.wait if state != CallState.WAITING else None,
        rec.talk if talked else None,
        rec.wrap if done else None,
        str(state) if state in _ENDED else None,
        reason_id if done else None,
        product_id,
        str(outcome) if done else None,
        note if done else None,
        "demo",
    )  # fmt: skip


def state_at(rec: CallRec, cutoff: int) -> str | None:
    """Where a call of today stands at ``end``; None if the caller is still waiting."""
    if rec.state == CallState.ABANDONED:
        return rec.state if rec.ended <= cutoff else None
    if rec.answered > cutoff:
        return None
    if rec.talk_end > cutoff:
        return CallState.ON_CALL
    if rec.ended > cutoff:
        return CallState.WRAP_UP
    return CallState.COMPLETED

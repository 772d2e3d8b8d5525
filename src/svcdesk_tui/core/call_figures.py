"""The SQL conditions and values a call is counted by (docs/measures.md, Short abandon and
AHT), shared by the queue measures and the interval statistics kept beside the calls."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, or_, true
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from svcdesk_tui.core.sql import count, total
from svcdesk_tui.core.sqltime import epoch
from svcdesk_tui.models import Call, CallState, Queue

SYSTEM_EXITS = ("timeout", "exitkey", "exitempty")
"""End reasons of unanswered calls that never count as short abandons (see docs/queue-log.md)."""


def short_abandon() -> ColumnElement[bool]:
    """SQL condition (on ``call`` joined with its ``queue``): a short abandon, if abandoned.

    Only a caller hanging up can be a short abandon; a timeout, an exit on a key
    or on an empty queue is the center not answering, whatever the wait.
    """
    return and_(
        col(Call.wait_seconds) <= Queue.short_abandon_seconds,
        func.coalesce(Call.end_reason, "").not_in(SYSTEM_EXITS),
    )


def counted_abandon() -> ColumnElement[bool]:
    """SQL condition: abandoned and not a short abandon (the abandons every rate counts)."""
    return and_(col(Call.state) == CallState.ABANDONED, ~short_abandon())


def handle_seconds() -> ColumnElement[int]:
    """SQL value: a call's handle time, talk + wrap-up seconds (AHT is its mean)."""
    return func.coalesce(Call.talk_seconds, 0) + func.coalesce(Call.wrap_seconds, 0)


def queue_figures() -> list[ColumnElement[int]]:
    """The aggregates of :class:`svcdesk_tui.queue.measures.QueueKpi` over calls joined with
    their queue, in its field order (offered … longest wait): the queue measures and the
    interval statistics count with these very expressions."""
    answered = col(Call.answered_at).is_not(None)
    abandoned = col(Call.state) == CallState.ABANDONED
    short = short_abandon()
    completed = col(Call.state) == CallState.COMPLETED
    return [
        func.count(col(Call.id)),
        count(answered),
        count(and_(abandoned, ~short)),
        count(and_(abandoned, short)),
        count(and_(answered, col(Call.wait_seconds) <= Queue.sl_threshold_seconds)),
        total(answered, col(Call.wait_seconds)),
        count(completed),
        total(completed, handle_seconds()),
        func.coalesce(func.max(col(Call.wait_seconds)), 0),
    ]


def abandoned_wait() -> ColumnElement[int]:
    """SQL aggregate over calls joined with their queue: seconds waited by the abandons that
    count (short ones apart), kept per interval for the callers' patience."""
    return total(counted_abandon(), func.coalesce(Call.wait_seconds, 0))


def resolution_figures(window_s: Any) -> list[ColumnElement[int]]:
    """The aggregates of :class:`svcdesk_tui.queue.resolution.Resolution` over handled calls
    (docs/measures.md, FCR), read from each call's kept facts for a window of ``window_s``
    seconds: handled, handle seconds, FCR base and resolved, repeat base and repeats."""
    entered = epoch(Call.entered_at)
    customer_known = col(Call.customer_id).is_not(None)
    known = and_(customer_known, col(Call.reason_id).is_not(None))
    next_call = epoch(Call.next_same_reason_at)
    resolved = or_(col(Call.next_same_reason_at).is_(None), next_call > entered + window_s)
    repeat = epoch(Call.prev_handled_at) >= entered - window_s
    return [
        func.count(),
        total(true(), handle_seconds()),
        count(known),
        count(and_(known, resolved)),
        count(customer_known),
        count(and_(customer_known, repeat)),
    ]

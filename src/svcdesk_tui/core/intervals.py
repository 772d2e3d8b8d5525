"""The interval statistics and the calls' FCR facts, kept in the transaction that changes a
call (docs/measures.md, Interval statistics).

This module is the one place that writes them. Every change of a call ends here:

- a call changed through the ORM (entered, talk ended, completed, closed by the demo or a
  dropped line, tests' builders) is caught by the session's flush hook below;
- a call changed by a Core statement (the claim, an abandon) calls :func:`count_call`;
- bulk writers (the queue_log importer's batches, the demo generator) call
  :func:`count_range` with the span of calls they wrote; :func:`rebuild` recounts all.

Each refresh recounts the touched rows from the calls themselves (a 15-minute interval of
one queue, one day of one agent or reason) rather than adding a difference, so a refresh
is idempotent and exact whatever happened before. On PostgreSQL the rows are locked
first, so the recount's snapshot sees every change committed before it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import (
    Connection,
    bindparam,
    event,
    func,
    inspect,
    text,
)
from sqlalchemy import select as core_select
from sqlmodel import Session, col

from svcdesk_tui.core.call_figures import SYSTEM_EXITS
from svcdesk_tui.core.clock import to_epoch
from svcdesk_tui.core.interval_adds import Completed, add_handling, add_to_day, completed_calls
from svcdesk_tui.core.interval_sql import (
    AGENT,
    ENTERED,
    REASON,
    facts_statement,
    handled_statements,
    interval_statements,
)
from svcdesk_tui.core.interval_staffing import rebuild_staffing
from svcdesk_tui.core.sqltime import DAY
from svcdesk_tui.models import (
    INTERVAL_SECONDS,
    Call,
    CallState,
    Customer,
    HandledDayStat,
    IntervalStat,
    Setting,
)


@dataclass(frozen=True)
class CallKeys:
    """What a refresh needs to know of a changed call."""

    queue_id: int
    entered_s: int
    customer_id: int | None = None
    agent_id: int | None = None
    reason_id: int | None = None
    settled: bool = False
    """True when the change can move FCR or repeat facts: the call entered, was completed,
    or its reason, customer or agent changed."""
    completed: int | None = None
    """The call's id when the change completed a call that was on a line: its figures are
    added to its rows (:mod:`.interval_adds`) rather than its rows recounted."""


_WINDOW = core_select(col(Setting.value)).where(col(Setting.key) == "fcr_window_days")
_LOCK_CUSTOMERS = (
    core_select(col(Customer.id))
    .where(col(Customer.id).in_(bindparam("customers", expanding=True)))
    .order_by(col(Customer.id))
    .with_for_update()
)


def _window_days(connection: Connection) -> int:
    """The ``fcr_window_days`` setting; its default when unset or not a fit value (the
    commands refuse such a store; a write must not fail on it)."""
    from svcdesk_tui.core.settings import SPECS

    spec = SPECS["fcr_window_days"]
    stored = connection.execute(_WINDOW).scalar_one_or_none()
    try:
        value = json.loads(stored) if stored is not None else spec.default
    except ValueError:
        value = spec.default
    return int(value if spec.why_not(value) is None else spec.default)


def _run(connection: Connection, statements: tuple[Any, Any], params: Any) -> None:
    lock, write = statements
    if connection.dialect.name == "postgresql":
        connection.execute(lock, params)
    connection.execute(write, params)


# --- the refreshes -----------------------------------------------------------------------


def count_call(connection: Connection, call: CallKeys) -> None:
    """Recount after one call changed: its interval and, when ``settled``, its FCR facts and
    those of the customer's other calls, and the handled-call days they fall on."""
    count_calls(connection, [call])


def count_calls(connection: Connection, calls: Iterable[CallKeys]) -> None:
    """Recount after some calls changed (see :func:`count_call`); a call just completed is
    added to its rows instead, unless another change recounts them anyway."""
    # The calls' facts first, then the interval rows, then the day rows, each in sorted
    # order: every writer takes these locks in one order (a claim holds its call and then
    # its interval row), so two writers on PostgreSQL never wait for each other in a circle.
    dialect = connection.dialect.name
    calls = list(calls)
    settled = [c for c in calls if c.settled]
    days: set[tuple[int, str, int]] = set()
    for c in settled:
        if c.completed is None:
            days |= _day_keys(c.entered_s, c.agent_id, c.reason_id)
    customers = sorted({c.customer_id for c in settled if c.customer_id is not None})
    if customers:
        days |= _count_facts(connection, customers)
    window = _window_days(connection) if settled else 0
    finished = [c.completed for c in calls if c.completed is not None]
    adds = completed_calls(connection, finished, window) if finished else []
    buckets = {
        (c.queue_id, c.entered_s - c.entered_s % INTERVAL_SECONDS)
        for c in calls
        if c.completed is None
    }
    for queue_id, lo in sorted(buckets | {c.bucket for c in adds}):
        if (queue_id, lo) not in buckets and all(
            add_handling(connection, c) for c in adds if c.bucket == (queue_id, lo)
        ):
            continue
        params = {"lo": lo, "hi": lo + INTERVAL_SECONDS, "queue": queue_id}
        _run(connection, interval_statements(dialect, True), params)
    if settled:
        _count_days(connection, days, window, adds)


def _day_keys(
    entered_s: int, agent_id: int | None, reason_id: int | None
) -> set[tuple[int, str, int]]:
    day = entered_s - entered_s % DAY
    return {(day, AGENT, agent_id or 0), (day, REASON, reason_id or 0)}


def _count_facts(connection: Connection, customers: list[int] | None) -> set[tuple[int, str, int]]:
    """Bring the facts of these customers' calls (all calls: None) up to date; the day keys
    of the handled calls whose facts changed."""
    if customers is None:
        connection.execute(facts_statement(True))
        return set()
    if connection.dialect.name == "postgresql":
        connection.execute(_LOCK_CUSTOMERS, {"customers": customers})
    changed = connection.execute(facts_statement(False), {"customers": customers})
    keys: set[tuple[int, str, int]] = set()
    for entered_s, agent_id, reason_id, state in changed:
        if state == CallState.COMPLETED:
            keys |= _day_keys(entered_s, agent_id, reason_id)
    return keys


def count_range(
    connection: Connection, since_s: int, until_s: int, customers: Iterable[int] | None
) -> None:
    """Recount every row of calls entered in [since_s, until_s) after a bulk write, with the
    facts of ``customers``' calls (None: of every call)."""
    dialect = connection.dialect.name
    lo = since_s - since_s % INTERVAL_SECONDS
    _run(connection, interval_statements(dialect, False), {"lo": lo, "hi": until_s})
    days = _count_facts(connection, None if customers is None else sorted(set(customers)))
    window = _window_days(connection)
    first = since_s - since_s % DAY
    params = {"lo": first, "hi": until_s, "window": window}
    for cut in (AGENT, REASON):
        _run(connection, handled_statements(dialect, cut, False), params)
    _count_days(connection, {key for key in days if key[0] < first}, window)


def _count_days(
    connection: Connection,
    days: set[tuple[int, str, int]],
    window: int,
    adds: Iterable[Completed] = (),
) -> None:
    """Recount the ``days`` rows; add each of ``adds`` to its rows that are not among them
    (recounting a row it cannot be added to)."""
    dialect, adds = connection.dialect.name, list(adds)
    for lo, cut, key in sorted(days | {day for c in adds for day in c.days}):
        if (lo, cut, key) not in days and all(
            add_to_day(connection, c, (lo, cut, key), window)
            for c in adds
            if (lo, cut, key) in c.days
        ):
            continue
        params = {"lo": lo, "hi": lo + DAY, "key": key, "window": window}
        _run(connection, handled_statements(dialect, cut, True, key == 0), params)


def rebuild(connection: Connection) -> int:
    """Recount everything from the calls (idempotent); the number of interval rows."""
    connection.execute(IntervalStat.__table__.delete())  # type: ignore[attr-defined]
    connection.execute(HandledDayStat.__table__.delete())  # type: ignore[attr-defined]
    rebuild_staffing(connection)
    span = connection.execute(core_select(func.min(ENTERED), func.max(ENTERED))).one()
    if span[0] is not None:
        count_range(connection, int(span[0]), int(span[1]) + 1, None)
    return int(connection.execute(core_select(func.count()).select_from(IntervalStat)).scalar_one())


# --- the ORM's writes --------------------------------------------------------------------

_SETTLING = ("state", "reason_id", "customer_id", "agent_id", "entered_at", "queue_id")
_PENDING = "svcdesk_interval_counts"  # in a session's info: the calls its flushes changed


@event.listens_for(Session, "after_flush")
def _count_flushed_calls(session: Session, _context: object) -> None:
    changed: list[CallKeys] = []
    for obj in (*session.new, *session.dirty):
        if not isinstance(obj, Call) or obj.entered_at is None:
            continue
        state: Any = inspect(obj)
        if obj in session.dirty and not state.modified:
            continue
        settled = obj in session.new or any(
            state.attrs[name].history.has_changes() for name in _SETTLING
        )
        keys = _keys(obj, settled)
        if obj not in session.new and _completed_from_a_line(obj, state):
            changed.append(replace(keys, completed=obj.id))
            continue
        changed.append(keys)
        for name in ("agent_id", "reason_id"):  # the day rows it left count it no more
            for old in state.attrs[name].history.deleted or ():
                changed.append(replace(keys, **{name: old}))
    if changed:  # counted as the transaction commits: after every call row it changes
        session.info.setdefault(_PENDING, []).extend(changed)


@event.listens_for(Session, "before_commit")
def _count_before_commit(session: Session) -> None:
    session.flush()  # the last changes, which the commit would flush only after this hook
    changed = session.info.pop(_PENDING, None)
    if changed:
        count_calls(session.connection(), changed)


@event.listens_for(Session, "after_rollback")
def _forget_counts(session: Session) -> None:
    session.info.pop(_PENDING, None)


_ON_A_LINE = (CallState.ON_CALL, CallState.WRAP_UP)
_IN_ITS_INTERVAL = ("queue_id", "entered_at", "answered_at", "wait_seconds")
"""What places a call in its interval row and counts it there before it is handled."""


def _completed_from_a_line(call: Call, state: Any) -> bool:
    """True when this flush completed a call that was on call or in wrap-up, leaving where
    its interval row counts it as it was: the change only adds the call to its rows."""
    was = state.attrs["state"].history.deleted
    return (
        call.state == CallState.COMPLETED
        and len(was) == 1
        and was[0] in _ON_A_LINE
        and not any(state.attrs[name].history.has_changes() for name in _IN_ITS_INTERVAL)
    )


def _keys(call: Call, settled: bool) -> CallKeys:
    return CallKeys(
        call.queue_id,
        to_epoch(call.entered_at),
        call.customer_id,
        call.agent_id,
        call.reason_id,
        settled,
    )


# The two changes of a waiting call, as one small UPDATE of its interval's row each (the
# claim is the hot path): what the call adds is known from the change itself, counted with
# the thresholds the row was counted with. A missing row is recounted instead.
_ADD_ANSWER = text(
    "UPDATE interval_stat SET answered = answered + 1, "
    "answered_within_threshold = answered_within_threshold "
    "+ CASE WHEN :wait <= sl_threshold_seconds THEN 1 ELSE 0 END, "
    "wait_seconds_answered = wait_seconds_answered + :wait, "
    "longest_wait_seconds = CASE WHEN longest_wait_seconds < :wait THEN :wait "
    "ELSE longest_wait_seconds END "
    "WHERE queue_id = :queue AND starts_at = :start"
)
_ADD_ABANDON = text(
    "UPDATE interval_stat SET "
    "short_abandons = short_abandons + CASE WHEN :wait <= short_abandon_seconds AND :hangup = 1 "
    "THEN 1 ELSE 0 END, "
    "abandoned = abandoned + CASE WHEN :wait <= short_abandon_seconds AND :hangup = 1 "
    "THEN 0 ELSE 1 END, "
    "wait_seconds_abandoned = wait_seconds_abandoned + CASE WHEN :wait <= short_abandon_seconds "
    "AND :hangup = 1 THEN 0 ELSE :wait END, "
    "longest_wait_seconds = CASE WHEN longest_wait_seconds < :wait THEN :wait "
    "ELSE longest_wait_seconds END "
    "WHERE queue_id = :queue AND starts_at = :start"
)


def count_claim(session: Session, call: Call) -> None:
    """A waiting call was answered after ``call.wait_seconds`` (the claim's UPDATE)."""
    _add(
        session.connection(),
        _ADD_ANSWER,
        call.queue_id,
        to_epoch(call.entered_at),
        call.wait_seconds or 0,
        {},
    )


def count_abandon(
    connection: Connection, queue_id: int, entered_s: int, wait: int, end_reason: str
) -> None:
    """A waiting call ended unanswered after ``wait`` seconds, for ``end_reason``."""
    hangup = int(end_reason not in SYSTEM_EXITS)
    _add(connection, _ADD_ABANDON, queue_id, entered_s, wait, {"hangup": hangup})


def _add(
    connection: Connection,
    statement: Any,
    queue_id: int,
    entered_s: int,
    wait: int,
    extra: dict[str, int],
) -> None:
    start = entered_s - entered_s % INTERVAL_SECONDS
    params = {"queue": queue_id, "start": start, "wait": wait, **extra}
    if connection.execute(statement, params).rowcount == 0:
        count_call(connection, CallKeys(queue_id, entered_s))

"""A completed call added to its kept rows instead of recounting them (docs/measures.md,
Interval statistics); run by :mod:`svcdesk_tui.core.intervals` as the transaction commits.

A call that was on a line (on call or in wrap-up) and is now completed was in no handled
row before, and its interval row already counts everything of it but its handling. So
completing it adds its figures (read from the call, with the same expressions a recount
uses) to its interval row and to its agent's and reason's day rows: a few small UPDATEs,
where recounting the reason's whole day read every call of that day. A row that is not
there, or was counted with another FCR window, is recounted instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Integer, bindparam, func, text
from sqlalchemy import select as core_select
from sqlmodel import col

from svcdesk_tui.core.call_figures import resolution_figures
from svcdesk_tui.core.interval_sql import AGENT, ENTERED, REASON
from svcdesk_tui.core.sqltime import DAY
from svcdesk_tui.models import INTERVAL_SECONDS, Call, CallState
from svcdesk_tui.models.intervals import HANDLED_COUNTS


@dataclass(frozen=True)
class Completed:
    """A completed call's place in the kept rows and what it adds to them."""

    queue_id: int
    entered_s: int
    agent_key: int
    reason_key: int
    figures: tuple[int, ...]  # in the order of HANDLED_COUNTS

    @property
    def bucket(self) -> tuple[int, int]:
        return self.queue_id, self.entered_s - self.entered_s % INTERVAL_SECONDS

    @property
    def days(self) -> list[tuple[int, str, int]]:
        day = self.entered_s - self.entered_s % DAY
        return [(day, AGENT, self.agent_key), (day, REASON, self.reason_key)]


_WINDOW = bindparam("window", type_=Integer)
_FIGURES = (
    core_select(
        col(Call.queue_id),
        ENTERED,
        func.coalesce(Call.agent_id, 0),
        func.coalesce(Call.reason_id, 0),
        *resolution_figures(_WINDOW * DAY),
    )
    .where(
        col(Call.id).in_(bindparam("calls", expanding=True)),
        col(Call.state) == CallState.COMPLETED,
    )
    .group_by(col(Call.id))
    .order_by(col(Call.id))
)
_ADD_HANDLED = text(
    "UPDATE interval_stat SET handled = handled + 1, handle_seconds = handle_seconds + :handle "
    "WHERE queue_id = :queue AND starts_at = :start"
)
_ADD_DAY = text(
    "UPDATE handled_day_stat SET "
    + ", ".join(f"{name} = {name} + :{name}" for name in HANDLED_COUNTS)
    + ", first_agent_key = CASE WHEN handled = 0 OR first_agent_key > :agent THEN :agent "
    "ELSE first_agent_key END "
    "WHERE day = :day AND cut = :cut AND key_id = :key AND window_days = :window"
)


def completed_calls(
    connection: Connection, call_ids: Iterable[int], window: int
) -> list[Completed]:
    """The figures of those calls that are completed, counted with a ``window``-day window."""
    rows = connection.execute(_FIGURES, {"calls": sorted(set(call_ids)), "window": window})
    return [
        Completed(int(queue), int(entered), int(agent), int(reason), tuple(int(f) for f in rest))
        for queue, entered, agent, reason, *rest in rows
    ]


def add_handling(connection: Connection, call: Completed) -> bool:
    """Add the call's handling to its interval row; False when there is no row."""
    queue_id, start = call.bucket
    params = {"queue": queue_id, "start": start, "handle": call.figures[1]}
    return _changed(connection.execute(_ADD_HANDLED, params))


def add_to_day(
    connection: Connection, call: Completed, day: tuple[int, str, int], window: int
) -> bool:
    """Add the call's figures to one of its day rows; False when the row is not there or was
    counted with another window."""
    lo, cut, key = day
    params: dict[str, Any] = dict(zip(HANDLED_COUNTS, call.figures, strict=True))
    params |= {"day": lo, "cut": cut, "key": key, "window": window, "agent": call.agent_key}
    return _changed(connection.execute(_ADD_DAY, params))


def _changed(result: Any) -> bool:
    return bool(result.rowcount)

"""First-contact resolution and repeat calls, from the calls table alone.

- **FCR** (docs/measures.md, FCR): share of handled calls not followed by another call from
  the same customer about the same reason within the window (setting
  ``fcr_window_days``, default 7). Only handled calls whose customer and reason
  are known can be judged; they are the base. A call near the end of the period
  whose window has not yet passed counts as resolved until a repeat arrives.
- **Repeat-call rate**: handled calls from a known customer who already had a
  handled call (about anything) within the same window before ÷ handled calls
  from known customers.

Handled means completed. Each call keeps when the same customer next called about the
same reason and when they last had a handled call before (``core/intervals.py``), so one
SQL pass grouped by agent and reason, with no look-up of other calls, gives the cells from
which the center, agent and reason figures (FCR and repeat calls alike) are rolled up.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlmodel import Session, col

from svcdesk_tui.core import rates
from svcdesk_tui.core.call_figures import resolution_figures
from svcdesk_tui.core.periods import Period
from svcdesk_tui.core.sqltime import DAY
from svcdesk_tui.models import Call, CallState
from svcdesk_tui.models.intervals import HANDLED_COUNTS


@dataclass(frozen=True)
class Resolution(rates.HandledCounts, rates.FcrCounts):
    """Handled calls of one agent × reason cell (or any roll-up of cells)."""

    agent_id: int | None = None
    reason_id: int | None = None
    repeat_base: int = 0
    repeats: int = 0

    @property
    def repeat_call_rate(self) -> float | None:
        return rates.share(self.repeats, self.repeat_base)

    def __add__(self, other: Resolution) -> Resolution:
        return Resolution(
            self.agent_id if self.agent_id == other.agent_id else None,
            self.reason_id if self.reason_id == other.reason_id else None,
            **{name: getattr(self, name) + getattr(other, name) for name in CELL_COUNTS},
        )


CELL_COUNTS = HANDLED_COUNTS
"""The counts of a cell, in the order :func:`resolution_cells` selects them."""


def resolution_cells(session: Session, period: Period, window_days: int) -> list[Resolution]:
    """Handled calls, handle time, FCR and repeat calls per (agent, reason) for calls
    entered in the period, from each call's kept facts (one pass over the period's calls)."""
    stmt = (
        select(col(Call.agent_id), col(Call.reason_id), *resolution_figures(window_days * DAY))
        .where(
            col(Call.entered_at) >= period.since,
            col(Call.entered_at) < period.until,
            col(Call.state) == CallState.COMPLETED,
        )
        .group_by(col(Call.agent_id), col(Call.reason_id))
    )
    return [
        Resolution(agent, reason, **dict(zip(CELL_COUNTS, counts, strict=True)))
        for agent, reason, *counts in session.execute(stmt)
    ]


def resolution_of_calls(
    session: Session, call_ids: Select[Any], window_days: int
) -> dict[int | None, Resolution]:
    """The same figures per agent, for the handled calls among ``call_ids`` only (e.g. the
    calls that were listened to), whatever their period."""
    stmt = (
        select(col(Call.agent_id), *resolution_figures(window_days * DAY))
        .where(col(Call.id).in_(call_ids), col(Call.state) == CallState.COMPLETED)
        .group_by(col(Call.agent_id))
    )
    return {
        agent: Resolution(agent, None, **dict(zip(CELL_COUNTS, counts, strict=True)))
        for agent, *counts in session.execute(stmt)
    }


def roll_up(
    cells: Iterable[Resolution], key: Callable[[Resolution], Hashable]
) -> dict[Hashable, Resolution]:
    """Sum cells that share ``key`` (e.g. ``lambda c: c.agent_id``)."""
    totals: dict[Hashable, Resolution] = {}
    for cell in cells:
        k = key(cell)
        totals[k] = totals[k] + cell if k in totals else cell
    return totals


def total(cells: Iterable[Resolution]) -> Resolution:
    return sum(cells, Resolution())

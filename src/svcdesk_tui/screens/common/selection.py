"""Which of a screen's rows is under a table's cursor."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from textual.widget import Widget

from svcdesk_tui.widgets.live_table import LiveTable

R = TypeVar("R")


def under_cursor(
    screen: Widget,
    table: str,
    rows: Iterable[R],
    key: Callable[[R], object],
    *,
    missing: str | None = None,
) -> R | None:
    """The row of ``rows`` whose ``key`` is that of the row under the cursor of ``table`` (a
    selector); when there is none, ``missing`` (if given) is said as a warning."""
    selected = screen.query_one(table, LiveTable).selected_key
    found = next((row for row in rows if str(key(row)) == selected), None)
    if found is None and missing is not None:
        screen.notify(missing, severity="warning")
    return found

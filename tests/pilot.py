"""Driving the desk in tests: start it, wait for the screen, read its tables."""

from __future__ import annotations

import time

from svcdesk_tui.app import SvcDeskApp


def desk_for(center, actor, refresh: float = 1.0) -> SvcDeskApp:
    """The desk for ``actor`` on ``center``'s store, on the center's clock.

    A slow refresh keeps Pilot's idle waits short while keys are typed; the
    screens also read on opening and after every action.
    """
    return SvcDeskApp(center.db, actor, clock=center.clock, refresh_seconds=refresh)


async def until(pilot, condition, timeout: float = 20.0) -> None:
    """Let the app run until ``condition()`` holds (workers finish, screens change).

    The default is generous: a passing test returns as soon as the screen gets
    there, and a shared, loaded machine (CI's second pass runs on both cores)
    can take a while for a worker's read.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause(0.05)
        if condition():
            return
    raise AssertionError("the screen did not get there in time")


def rows(app, table_id: str) -> list[list[str]]:
    """The rows of a table as shown: a list of cell texts per row."""
    table = app.screen.query_one(table_id)
    return [[str(cell) for cell in table.get_row(key)] for key in table.keys]


def cells(app, table_id: str) -> list[dict[str, str]]:
    """The rows of a table as shown, each a dict of column label → text."""
    table = app.screen.query_one(table_id)
    labels = [str(column.label) for column in table.ordered_columns]
    return [dict(zip(labels, row, strict=True)) for row in rows(app, table_id)]

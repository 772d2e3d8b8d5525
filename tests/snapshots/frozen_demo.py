"""A small demo center frozen at one moment, and the desk on it, for layout snapshots.

The demo is generated with fixed arguments (the same arguments always give the
same center), the desk runs on a :class:`FrozenClock` at the demo's end with no
simulation and no periodic re-read, so every wait clock and every figure on the
screen is the same on every run.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable
from textual.worker import WorkerState

from svcdesk_tui.app import SvcDeskApp
from svcdesk_tui.core.clock import FrozenClock
from svcdesk_tui.core.db import Database
from svcdesk_tui.demo import generate_demo
from svcdesk_tui.people.identity import resolve_actor

NOW = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
"""The demo's end and the desk's "now": a Monday morning, the center open."""

DEMO = {"days": 21, "agents": 16, "seed": 7, "waiting": 6}
"""Large enough for open escalations, complaints at every step and skill gaps."""

NEVER = 24 * 3600.0
"""The desk's refresh interval: the screens read once, on opening."""

BUSY = (WorkerState.PENDING, WorkerState.RUNNING)


def make_demo(where: Path) -> Path:
    """Write the frozen demo center to ``where`` (a new SQLite file)."""
    generate_demo(where, end=NOW, **DEMO)
    return where


def frozen_desk(store: Path) -> SvcDeskApp:
    """The desk of the demo's default person (the service manager) at :data:`NOW`."""
    db = Database.open(str(store))
    with db.read() as session:
        actor = resolve_actor(session, demo=True, today=NOW.date())
    return SvcDeskApp(db, actor, clock=FrozenClock(NOW), refresh_seconds=NEVER, simulate=False)


async def settle(pilot: Pilot, timeout: float = 30.0) -> None:
    """Wait until no worker is pending or running and the screen stopped changing.

    Stopped changing: the same picture three times in a row, 0.1 s apart (a
    table sizes its columns only when it is idle, after its rows arrived).
    """
    deadline = time.monotonic() + timeout
    last, same = "", 0
    while same < 2:
        if time.monotonic() > deadline:
            raise AssertionError(f"the desk was still changing after {timeout:.0f} s")
        await pilot.pause(0.1)
        if any(worker.state in BUSY for worker in pilot.app.workers):
            last, same = "", 0
            continue
        repaint_tables(pilot)
        picture = pilot.app.export_screenshot()
        same = same + 1 if picture == last else 0
        last = picture


def repaint_tables(pilot: Pilot) -> None:
    """Paint every table's rows afresh from their cells.

    On a live desk the clocks change a cell of every row each second, which
    repaints the row; under the frozen clock nothing does, so a row painted
    while its columns were still being sized (the first rows, now and then)
    would stay that way in the picture. DataTable has no public way to drop
    its row caches, hence the private call.
    """
    for table in pilot.app.screen.query(DataTable):
        table._clear_caches()
        table.refresh()

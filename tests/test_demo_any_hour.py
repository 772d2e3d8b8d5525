"""A demo opened at any hour, days after it was made, in any time zone, is alive.

The desk is opened on a frozen clock at 03:00 and at 15:00 center time, ten
days after the demo's own end, with the simulator on and off. Within ten
seconds of the center's time the screen must show callers on hold and agents
on calls, and no shown wait may be longer than a caller holds on.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from textual.widgets import Label

from svcdesk_tui.app import SvcDeskApp
from svcdesk_tui.core.clock import FrozenClock
from svcdesk_tui.core.db import Database
from svcdesk_tui.demo import generate_demo
from svcdesk_tui.demo.traffic import PATIENCE_LIMIT_S
from svcdesk_tui.people.identity import resolve_actor

from .pilot import cells, until
from .stores import copy_store, new_store, sqlite_only

END = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
"""The demos' own "now": a Monday morning."""
WORKING = {"on call", "wrap up"}


@pytest.fixture(scope="module")
def demos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One small demo per time zone, made once; each test opens its own copy."""
    folder = tmp_path_factory.mktemp("demos")
    made = {}
    for tz in ("Europe/Amsterdam", "Asia/Tokyo"):
        where = new_store(folder)
        generate_demo(where, days=2, agents=8, seed=5, end=END, timezone=tz)
        made[tz] = where
    return made


@pytest.fixture
def machine_zone(monkeypatch: pytest.MonkeyPatch):
    """The machine's own zone is neither the center's nor UTC: it must not matter."""
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def seconds(shown: str) -> int:
    """A wait as the screen shows it (``m:ss`` or ``h:mm:ss``, maybe ``late``), in seconds."""
    total = 0
    for part in shown.split()[0].split(":"):
        total = total * 60 + int(part)
    return total


@dataclass
class Seen:
    """What the screen showed over ten seconds of the center's time."""

    alive: bool = False  # callers on hold while agents worked, at one moment at least
    longest: int = 0  # the longest wait shown at any moment
    waits: list[int] = field(default_factory=list)
    working: int = 0


def painted(app: SvcDeskApp) -> bool:
    """The queue screen has shown a snapshot of the store."""
    return "logged in" in str(app.screen.query_one("#agents-title", Label).render())


async def open_desk_at(store: str, moment: datetime, *, simulate: bool) -> Seen:
    """Open the desk at ``moment`` and watch ten seconds of the center's time go by."""
    db = Database.open(store)
    with db.read() as session:
        actor = resolve_actor(session, demo=True, today=moment.date())
    clock = FrozenClock(moment.astimezone(UTC))
    app = SvcDeskApp(db, actor, clock=clock, refresh_seconds=0.2, simulate=simulate)
    seen = Seen()
    async with app.run_test(size=(160, 50)) as pilot:
        await until(pilot, lambda: painted(app))
        for _ in range(11):
            waits = [seconds(row["Wait"]) for row in cells(app, "#waiting")]
            working = sum(row["State"] in WORKING for row in cells(app, "#agents"))
            seen.longest = max([seen.longest, *waits])
            if waits and working and not seen.alive:
                seen.alive, seen.waits, seen.working = True, waits, working
            clock.advance(1)
            await pilot.pause(0.1)
    db.close()
    return seen


@pytest.mark.parametrize("simulate", [False, True], ids=["no-simulate", "simulate"])
@pytest.mark.parametrize(
    ("tz", "local"),
    [
        ("Europe/Amsterdam", datetime(2026, 12, 3, 3, 0)),
        ("Europe/Amsterdam", datetime(2026, 12, 3, 15, 0)),
        ("Asia/Tokyo", datetime(2026, 12, 6, 3, 0)),  # a Sunday night, the quietest hour
    ],
    ids=["03h", "15h", "tokyo-sunday-03h"],
)
async def test_the_desk_on_an_old_demo_shows_callers_and_agents_at_any_hour(
    demos: dict[str, str],
    tmp_path: Path,
    machine_zone: None,
    tz: str,
    local: datetime,
    simulate: bool,
) -> None:
    moment = local.replace(tzinfo=ZoneInfo(tz))
    assert moment - END > timedelta(days=9)  # long after the demo was made
    seen = await open_desk_at(copy_store(demos[tz], tmp_path), moment, simulate=simulate)
    assert seen.alive, f"no callers on hold while agents worked: {seen}"
    assert seen.longest <= PATIENCE_LIMIT_S, f"a caller waited longer than anyone holds: {seen}"


async def test_the_desk_on_a_demo_at_its_own_moment_changes_nothing(
    demos: dict[str, str], tmp_path: Path
) -> None:
    """Opened at the moment it was made, the demo is already alive: nothing is added."""
    store = copy_store(demos["Europe/Amsterdam"], tmp_path)
    db = Database.open(store)
    with db.read() as session:
        actor = resolve_actor(session, demo=True, today=END.date())
    before = _calls_and_board(db)
    app = SvcDeskApp(db, actor, clock=FrozenClock(END), refresh_seconds=0.2)
    async with app.run_test(size=(160, 50)) as pilot:
        await until(pilot, lambda: painted(app))
    assert _calls_and_board(db) == before
    db.close()


def _calls_and_board(db: Database) -> tuple[object, ...]:
    with db.read() as session:
        calls = session.execute(text("SELECT * FROM call ORDER BY id")).all()
        board = session.execute(text("SELECT * FROM agent_status ORDER BY staff_id")).all()
        sessions = session.execute(text("SELECT * FROM presence_log ORDER BY id")).all()
    return tuple(calls), tuple(board), tuple(sessions)


@sqlite_only
async def test_a_demo_that_cannot_be_woken_still_opens_and_says_why(
    demos: dict[str, str], tmp_path: Path
) -> None:
    store = copy_store(demos["Europe/Amsterdam"], tmp_path)
    moment = datetime(2026, 12, 3, 15, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    db = Database.open(store, busy_timeout_s=0.2)
    with db.read() as session:
        actor = resolve_actor(session, demo=True, today=moment.date())
    holder = sqlite3.connect(store)
    holder.execute("BEGIN IMMEDIATE")  # another process is writing and does not let go
    try:
        app = SvcDeskApp(db, actor, clock=FrozenClock(moment), refresh_seconds=0.2)
    finally:
        holder.rollback()
        holder.close()
    async with app.run_test(size=(160, 50)) as pilot:
        await until(pilot, lambda: painted(app))
        notes = [str(note.message) for note in app._notifications]
    assert any(note.startswith("The demo was not woken") for note in notes), notes
    db.close()

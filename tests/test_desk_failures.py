"""No failure ends the desk: a locked store, a store renamed away, a customer that is not there."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from svcdesk_tui.app import SvcDeskApp
from svcdesk_tui.core.db import Database
from svcdesk_tui.queue import live as queue
from svcdesk_tui.screens.common.choice import ChoiceScreen
from svcdesk_tui.screens.queue.customer_card import CustomerCardScreen

from .conftest import MORNING
from .pilot import cells, until
from .stores import ON_POSTGRES

pytestmark = pytest.mark.skipif(ON_POSTGRES, reason="locks and renames a SQLite file")


@pytest.fixture
def floor(center):
    center.support = center.queue("Support")
    center.ann = center.customer("Ann Smith", phone="+31 20 111")
    center.alice = center.staff("alice", name="Alice Ames")
    with center.db.write() as session:
        queue.log_in(session, center.alice, now=MORNING)
        queue.enqueue_call(
            session,
            queue_id=center.support,
            customer_id=center.ann,
            now=MORNING - timedelta(seconds=5),
        )
    return center


def impatient_desk(center, actor) -> SvcDeskApp:
    """A desk whose store gives up on a lock after a second (the default waits ten)."""
    db = Database.open(center.db.where, busy_timeout_s=1.0)
    return SvcDeskApp(db, actor, clock=center.clock, refresh_seconds=0.1)


def said(app, words: str) -> bool:
    return any(words in str(n.message) for n in app._notifications)


def me(app) -> str:
    return str(app.screen.query_one("#me").render())


def status_line(app) -> str:
    line = app.screen.query_one("#store-status")
    return str(line.render()) if line.display else ""


async def test_a_move_waits_out_a_locked_store_and_goes_through(floor):
    app = impatient_desk(floor, floor.alice)
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: "available" in me(app))
        holder = sqlite3.connect(floor.db.where, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")  # another process holds the store
        try:
            await pilot.press("p")
            await until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
            await pilot.press("enter")  # Break
            await until(pilot, lambda: said(app, "store unavailable, retrying"), timeout=8)
            assert "available" in me(app)  # not paused yet, and the desk is still there
        finally:
            await asyncio.sleep(1.0)
            holder.rollback()
            holder.close()
        await until(pilot, lambda: "paused: break" in me(app), timeout=10)
        assert app.is_running
    app.db.close()


async def test_a_store_renamed_away_and_back_recovers_by_itself(floor):
    app = impatient_desk(floor, floor.alice)
    path = Path(floor.db.where)
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: len(cells(app, "#waiting")) == 1)
        await pilot.press("slash", *"Ann")  # a filter being typed stays as typed
        path.rename(path.with_suffix(".away"))
        await until(pilot, lambda: "store unavailable, retrying" in status_line(app))
        assert app.is_running and not path.exists()
        path.with_suffix(".away").rename(path)
        await until(pilot, lambda: status_line(app) == "")
        other = Database.open(floor.db.where)
        with other.write() as session:
            queue.enqueue_call(session, queue_id=floor.support, now=MORNING, caller_number="+9")
        other.close()
        await until(pilot, lambda: app.screen.snapshot and len(app.screen.snapshot.waiting) == 2)
        assert app.screen.query_one("#filter").value == "Ann"
        assert [row["Customer"] for row in cells(app, "#waiting")] == ["Ann Smith"]
    app.db.close()


async def test_the_card_of_a_customer_that_is_not_there_is_said_not_fatal(floor):
    app = impatient_desk(floor, floor.alice)
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: "available" in me(app))
        app.push_screen(CustomerCardScreen(999_999))
        await until(pilot, lambda: said(app, "no customer 999999"))
        title = str(app.screen.query_one("#card-title").render())
        assert "no customer 999999" in title
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, CustomerCardScreen))
        assert app.is_running and "available" in me(app)
    app.db.close()

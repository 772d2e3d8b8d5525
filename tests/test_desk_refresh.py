"""A desk reads the store only when it changed; between changes it only ticks its clocks."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, update
from sqlmodel import col, select

from svcdesk_tui.core.changes import ChangeWatcher
from svcdesk_tui.core.db import Database
from svcdesk_tui.core.errors import DatabaseError
from svcdesk_tui.core.formatting import clock
from svcdesk_tui.escalations import moves as esc
from svcdesk_tui.models import Customer, EscalationEvent
from svcdesk_tui.people import presence
from svcdesk_tui.queue import live as queue
from svcdesk_tui.screens.queue.screen import QueueScreen

from .conftest import MORNING
from .escalation_helpers import build_floor
from .pilot import cells, desk_for, until
from .stores import ON_POSTGRES

sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="watches a SQLite file")


@pytest.fixture
def floor(center):
    center.support = center.queue("Support", threshold=20, target=0.8)
    center.ann = center.customer("Ann Smith", phone="+31 20 111")
    center.manager = center.staff("mvos", "manager", name="Mara Vos")
    with center.db.write() as session:
        queue.enqueue_call(
            session,
            queue_id=center.support,
            customer_id=center.ann,
            now=MORNING - timedelta(seconds=12),
        )
    return center


def count_statements(db: Database) -> list[str]:
    """Every SQL statement the desk's engine sends from now on."""
    sent: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: sent.append(args[2]))
    return sent


def moves_soon(watcher: ChangeWatcher, first: object, seconds: float = 3.0) -> bool:
    """Whether the version moves on within ``seconds``: PostgreSQL delivers a commit's
    NOTIFY a moment after the commit returns (SQLite's count has moved already)."""
    deadline = time.monotonic() + seconds
    while watcher.version() == first:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_the_version_moves_when_another_connection_commits(floor):
    """On both stores; PostgreSQL's server may also move it by itself (a spare re-read)."""
    watcher = ChangeWatcher(floor.db.engine, floor.db.name)
    try:
        first = watcher.version()
        with floor.db.write() as session:
            queue.enqueue_call(session, queue_id=floor.support, now=MORNING, caller_number="+1")
        assert moves_soon(watcher, first)
    finally:
        watcher.close()


@sqlite_only
def test_the_version_stays_while_nothing_is_committed(floor):
    watcher = ChangeWatcher(floor.db.engine, floor.db.name)
    try:
        first = watcher.version()
        assert watcher.version() == first
        with floor.db.read() as session:
            queue.reasons(session)  # reading is not a change
        with floor.db.write() as session:
            pass  # nor is a write transaction that changed nothing
        assert watcher.version() == first
    finally:
        watcher.close()


def test_a_write_that_returns_its_rows_is_a_change(floor):
    """SQLite reports no row count for UPDATE … RETURNING until its rows are read: such a
    statement alone must still move the version, or a desk would miss it for a minute."""
    watcher = ChangeWatcher(floor.db.engine, floor.db.name)
    try:
        first = watcher.version()
        with floor.db.write() as session:
            renamed = session.execute(
                update(Customer)
                .where(col(Customer.id) == floor.ann)
                .values(name="Ann Smith-Jones")
                .returning(col(Customer.id))
            ).scalar_one()
        assert renamed == floor.ann
        assert moves_soon(watcher, first)
    finally:
        watcher.close()


def test_a_heartbeat_is_not_a_change_but_logging_out_a_silent_desk_is(floor):
    """A hundred desks beating would otherwise make every desk re-read once a second."""
    agent = floor.staff("akos", "agent", name="Anna Kos")
    with floor.db.write() as session:
        presence.log_in(session, agent, now=MORNING, client="test")
    watcher = ChangeWatcher(floor.db.engine, floor.db.name)
    other = Database.open(floor.db.where)  # another process's desk
    try:
        first = watcher.version()
        with other.write() as session:
            assert presence.heartbeat(session, agent.id, now=MORNING + timedelta(seconds=10))
        assert watcher.version() == first
        with other.write() as session:
            cleared = presence.clear_stale(session, 60, now=MORNING + timedelta(minutes=5))
        assert [c.login for c in cleared] == ["akos"]
        assert moves_soon(watcher, first)
    finally:
        other.close()
        watcher.close()


@sqlite_only
def test_a_store_renamed_away_is_unavailable_until_it_is_back(floor):
    path = Path(floor.db.where)
    watcher = ChangeWatcher(floor.db.engine, floor.db.name)
    try:
        before = watcher.version()
        path.rename(path.with_suffix(".away"))
        with pytest.raises(DatabaseError, match="unavailable"):
            watcher.version()
        assert not path.exists()  # the watcher never makes an empty store in its place
        path.with_suffix(".away").rename(path)
        assert watcher.version() != before  # read afresh after the store came back
    finally:
        watcher.close()


async def test_an_idle_desk_sends_no_sql_and_still_ticks_its_waits(floor):
    app = desk_for(floor, floor.manager, refresh=0.1)
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: len(cells(app, "#waiting")) == 1)
        assert cells(app, "#waiting")[0]["Wait"] == "0:12"
        await pilot.pause(0.5)  # let the first heartbeat and ladder check finish
        sent = count_statements(floor.db)
        await pilot.pause(1.5)  # fifteen ticks with nothing changed
        assert sent == []
        floor.clock.advance(5)  # time passes, the store does not change
        await until(pilot, lambda: cells(app, "#waiting")[0]["Wait"] == "0:17")
        assert sent == []  # the wait moved on without reading the store

        other = Database.open(floor.db.where)  # another process commits: the desk reads
        with other.write() as session:
            queue.enqueue_call(session, queue_id=floor.support, now=MORNING, caller_number="+9")
        other.close()
        await until(pilot, lambda: len(cells(app, "#waiting")) == 2, timeout=2.0)
        assert sent


async def test_an_idle_desk_does_not_read_again_for_other_desks_heartbeats(floor):
    agent = floor.staff("akos", "agent", name="Anna Kos")
    with floor.db.write() as session:
        presence.log_in(session, agent, now=MORNING, client="test")
    app = desk_for(floor, floor.manager, refresh=0.1)
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: len(cells(app, "#agents")) >= 1)
        await pilot.pause(0.5)  # let the first heartbeat and ladder check finish
        sent = count_statements(floor.db)
        other = Database.open(floor.db.where)
        for beat in range(5):
            with other.write() as session:
                presence.heartbeat(session, agent.id, now=MORNING + timedelta(seconds=beat))
            await pilot.pause(0.3)  # three ticks each
        assert sent == []
        with other.write() as session:  # a change the screen shows: the desk reads
            presence.pause(session, agent, "break", now=MORNING)
        other.close()
        await until(pilot, lambda: "paused" in cells(app, "#agents")[0]["State"], timeout=2.0)
        assert sent


async def test_a_clock_moving_on_is_painted_on_screen(floor):
    """Only the rows whose clocks moved are repainted: what is painted must still be right."""
    app = desk_for(floor, floor.manager, refresh=0.1)
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: len(cells(app, "#waiting")) == 1)
        await until(pilot, lambda: "0:12" in painted(app, "#waiting"))
        floor.clock.advance(5)
        await until(pilot, lambda: "0:17" in painted(app, "#waiting"))
        assert "0:12" not in painted(app, "#waiting")
        assert "Ann Smith" in painted(app, "#waiting")  # the rest of the row is still there
        floor.clock.advance(hours=1, minutes=5)
        await until(pilot, lambda: "1h05" in painted(app, "#waiting"))


def painted(app, table_id: str) -> str:
    """The table's lines as drawn for the terminal (not the cells' values)."""
    table = app.screen.query_one(table_id)
    return "\n".join(table.render_line(y).text for y in range(table.size.height))


def test_a_clock_past_an_hour_shows_hours_and_minutes():
    assert [clock(s) for s in (0, 59, 61, 3599)] == ["0:00", "0:59", "1:01", "59:59"]
    assert [clock(s) for s in (3600, 3659, 3660, 26 * 3600 + 7 * 60 + 59)] == [
        "1h00",
        "1h00",
        "1h01",
        "26h07",
    ]


async def test_an_escalation_climbs_with_only_the_queue_screen_open(center):
    floor = build_floor(center)
    customer = floor.customer("Bob Jones", phone="+31 20 222")
    with floor.db.write() as session:
        eid = esc.raise_escalation(
            session, floor.alice, now=MORNING, reason="no answer", anger=4, customer_id=customer
        ).id
    app = desk_for(floor, floor.mara, refresh=0.1)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, QueueScreen))
        floor.clock.advance(minutes=31)  # past the shift lead's 30 minutes

        def climbed() -> bool:
            with floor.db.read() as session:
                kinds = session.exec(
                    select(EscalationEvent.kind).where(EscalationEvent.escalation_id == eid)
                ).all()
            return "auto_escalated" in kinds

        await until(pilot, climbed)
        assert isinstance(app.screen, QueueScreen)

"""The wallboard driven with Pilot: the Queue screen's figures, read-only, alerts and rotation."""

from __future__ import annotations

import os
import pty
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select
from textual.widgets import Digits
from typer.testing import CliRunner

from svcdesk_tui.cli import app as cli_app
from svcdesk_tui.core.db import Database
from svcdesk_tui.core.errors import PermissionDenied
from svcdesk_tui.core.formatting import duration, percent
from svcdesk_tui.models import CallState, Escalation, EscalationLevel, Role
from svcdesk_tui.people.identity import os_login
from svcdesk_tui.people.permissions import ROLE_ACTIONS, Action, allowed, require_desk
from svcdesk_tui.queue import live as queue
from svcdesk_tui.screens.wallboard.app import WallboardApp
from svcdesk_tui.screens.wallboard.tiles import Figure, QueueTile

from . import pilot
from .conftest import MORNING
from .pilot import cells, until
from .stores import sqlite_only

# Textual's own keys (quit; focus moves); none of them touches the store
HARMLESS = {"quit", "app.quit", "app.focus_next", "app.focus_previous", "screen.copy_text"}


@pytest.fixture
def floor(center):
    """Support below target, Sales on target with a caller waiting too long, Billing quiet."""
    center.support = center.queue("Support", threshold=20, target=0.8)
    center.sales = center.queue("Sales", threshold=15, target=0.8)
    center.billing = center.queue("Billing", threshold=30, target=0.9)
    center.ann = center.customer("Ann Smith", phone="+31 20 111")
    center.manager = center.staff("mvos", "manager", name="Mara Vos")
    alice, bert, carl = (center.staff(login) for login in ("alice", "bert", "carl"))
    early = MORNING - timedelta(hours=1)
    for wait in (5, 10, 15, 40):
        center.call(center.support, entered=early, wait=wait, talk=60, wrap=10, agent=alice)
    center.call(center.support, entered=early, state=CallState.ABANDONED, wait=30)
    for wait in (5, 6):
        center.call(center.sales, entered=early, wait=wait, talk=60, wrap=10, agent=bert)
    with center.db.write() as session:
        logged_in = MORNING - timedelta(seconds=60)  # recent: the desk's presence clock keeps it
        for person in (alice, bert, carl):
            queue.log_in(session, person, now=logged_in)
        queue.pause(session, bert, "break", now=logged_in)
        queue.enqueue_call(session, queue_id=center.support, now=MORNING - timedelta(seconds=20))
        queue.take_call(session, carl, now=MORNING - timedelta(seconds=10))
        queue.enqueue_call(
            session,
            queue_id=center.support,
            customer_id=center.ann,
            now=MORNING - timedelta(seconds=12),
        )
        queue.enqueue_call(session, queue_id=center.sales, now=MORNING - timedelta(seconds=95))
    return center


def board_for(center, actor, **kwargs) -> WallboardApp:
    return WallboardApp(center.db, actor, clock=center.clock, refresh_seconds=0.1, **kwargs)


def shown_tiles(app) -> dict[str, dict[str, str]]:
    """Each queue tile on screen: its first line, then each figure's big digits by class."""
    shown = {}
    for tile in app.screen.query(QueueTile):
        if not tile.display:
            continue
        names = tile.query(".queue-name")
        name = str(names.first().render()) if names else ""
        if not name.strip():
            continue  # mounted, not composed or painted yet
        figures = {
            css: tile.query_one(f".{css}", Figure).query_one(Digits).value
            for css in ("waiting", "longest", "sl", "answered", "abandoned")
        }
        shown[name.split()[0]] = {"line": name, **figures}
    return shown


def agents_shown(app) -> dict[str, str]:
    return {
        key: app.screen.query_one(f"#agents-{key}", Figure).query_one(Digits).value
        for key in ("available", "on-call", "wrap-up", "paused")
    }


def alerts(app) -> str:
    box = app.screen.query_one("#wb-alerts")
    return str(box.render()) if box.display else ""


def loaded(app) -> bool:
    return bool(getattr(app.screen, "board", None)) and bool(shown_tiles(app))


async def test_the_figures_are_the_queue_screens_for_the_same_store_and_clock(floor):
    desk = pilot.desk_for(floor, floor.manager, refresh=0.1)
    async with desk.run_test(size=(160, 40)) as desk_pilot:
        await until(desk_pilot, lambda: len(cells(desk, "#kpis")) == 4)
        kpis = {row["Queue"]: row for row in cells(desk, "#kpis")}
        waiting = [row["Queue"] for row in cells(desk, "#waiting")]
    board = board_for(floor, floor.manager)
    async with board.run_test(size=(160, 50)) as board_pilot:
        await until(board_pilot, lambda: loaded(board) and len(shown_tiles(board)) == 3)
        tiles = shown_tiles(board)
        agents = agents_shown(board)
    assert set(tiles) == {"Billing", "Sales", "Support"}
    for name, tile in tiles.items():
        row = kpis[name]
        assert tile["answered"] == row["Ans"]
        assert row["Aband"].startswith(f"{tile['abandoned']} ")
        assert tile["waiting"] == str(waiting.count(name))
        assert row["Max wait"] == ("—" if tile["longest"] == "0:00" else tile["longest"])
        sl = row["SL vs target"].split()[0]
        assert tile["sl"] == ("-" if sl == "—" else sl)
    # and by hand: 4 of 5 answered within 20 s and 1 counted abandon (4 ÷ 6); 95 s in Sales
    assert tiles["Support"]["sl"] == "67%" and "BREACH" in tiles["Support"]["line"]
    assert (tiles["Support"]["answered"], tiles["Support"]["abandoned"]) == ("5", "1")
    assert tiles["Sales"]["longest"] == "1:35" and "AT RISK" in tiles["Sales"]["line"]
    assert tiles["Billing"]["sl"] == "-" and "OK" in tiles["Billing"]["line"]
    assert agents == {"available": "1", "on-call": "1", "wrap-up": "0", "paused": "1"}
    assert percent(4 / 6) == "67%" and duration(95) == "1:35"


@sqlite_only
async def test_it_changes_nothing_in_the_store_and_has_no_key_that_acts(floor):
    watcher = sqlite3.connect(floor.db.where)
    before = watcher.execute("PRAGMA data_version").fetchone()
    app = board_for(floor, floor.manager)
    async with app.run_test(size=(120, 40)) as run:
        await until(run, lambda: loaded(app))
        floor.clock.advance(61)  # past the desk's stale re-read, and the clocks tick
        await run.pause(0.5)
        for key in "ntcpaogeq12345?":  # the Queue screen's keys and the desk's; q quits
            if app.is_running:
                await run.press(key)
        actions = {binding.binding.action for binding in app.active_bindings.values()}
    assert actions <= HARMLESS, actions
    assert watcher.execute("PRAGMA data_version").fetchone() == before
    watcher.close()


async def test_a_call_entering_the_queue_shows_up(floor):
    app = board_for(floor, floor.manager)
    async with app.run_test(size=(120, 40)) as run:
        await until(run, lambda: loaded(app))
        assert shown_tiles(app)["Support"]["waiting"] == "1"
        other = Database.open(floor.db.where)
        with other.write() as session:
            queue.enqueue_call(session, queue_id=floor.support, now=MORNING, caller_number="+9")
        other.close()
        await until(run, lambda: shown_tiles(app)["Support"]["waiting"] == "2", timeout=3)


async def test_the_longest_wait_ticks_without_a_read(floor):
    app = board_for(floor, floor.manager)
    async with app.run_test(size=(120, 40)) as run:
        await until(run, lambda: loaded(app))
        floor.clock.advance(5)
        await until(run, lambda: shown_tiles(app)["Sales"]["longest"] == "1:40")


async def test_a_breach_and_an_escalation_at_the_manager_are_alerts_in_large_type(floor):
    with floor.db.write() as session:
        ranks = {level.role: level.rank for level in session.exec(select(EscalationLevel))}
        for role in (Role.LEAD, Role.MANAGER, Role.EXECUTIVE):
            session.add(
                Escalation(
                    customer_id=floor.ann,
                    raised_by_id=floor.manager.id,
                    raised_at=MORNING,
                    level_rank=ranks[role],
                    level_entered_at=MORNING,
                    reason="very angry",
                )
            )
    app = board_for(floor, floor.manager)
    async with app.run_test(size=(120, 40)) as run:
        await until(run, lambda: loaded(app) and alerts(app) != "")
        said = alerts(app)
        tiles = {
            str(tile.query_one(".queue-name").render()).split()[0]: tile
            for tile in app.screen.query(QueueTile)
        }
    assert "Support: service level 67% < 80% target" in said
    assert "is with the Service manager" in said
    assert "reached the EXECUTIVE — a counted failure" in said
    assert "Shift lead" not in said and "Ann Smith" not in said and "Sales" not in said
    assert tiles["Support"].has_class("-breach")
    assert tiles["Sales"].has_class("-risk")
    assert tiles["Billing"].has_class("-ok")


async def test_queues_that_do_not_fit_rotate_and_queue_picks_some(center):
    for name in ("Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"):
        center.queue(name)
    viewer = center.staff("tv", "wallboard")
    app = board_for(center, viewer, rotate_seconds=3600)
    async with app.run_test(size=(80, 24)) as run:
        await until(run, lambda: loaded(app))
        assert list(shown_tiles(app)) == ["Alpha", "Bravo"]
        assert "queues 1–2 of 6" in str(app.screen.query_one("#wb-title").render())
        app.screen.next_page()
        await until(run, lambda: list(shown_tiles(app)) == ["Charlie", "Delta"])
        app.screen.next_page()
        app.screen.next_page()
        await until(run, lambda: list(shown_tiles(app)) == ["Alpha", "Bravo"])
    picked = board_for(center, viewer, queues=["Echo", "Bravo"])
    async with picked.run_test(size=(120, 40)) as run:
        await until(run, lambda: loaded(picked))
        assert list(shown_tiles(picked)) == ["Echo", "Bravo"]
        assert "queues" not in str(picked.screen.query_one("#wb-title").render())


@sqlite_only
async def test_a_store_that_goes_away_is_a_banner_and_the_board_recovers(floor):
    app = WallboardApp(
        Database.open(floor.db.where, busy_timeout_s=1.0), floor.manager, clock=floor.clock,
        refresh_seconds=0.1,
    )  # fmt: skip
    path = Path(floor.db.where)
    async with app.run_test(size=(120, 40)) as run:
        await until(run, lambda: loaded(app))
        status = app.screen.query_one("#store-status")
        path.rename(path.with_suffix(".away"))
        await until(run, lambda: status.display and "store unavailable" in str(status.render()))
        path.with_suffix(".away").rename(path)
        await until(run, lambda: not status.display)
        other = Database.open(floor.db.where)
        with other.write() as session:
            queue.enqueue_call(session, queue_id=floor.sales, now=MORNING)
        other.close()
        await until(run, lambda: shown_tiles(app)["Sales"]["waiting"] == "2")
    app.db.close()


def test_the_wallboard_role_may_do_nothing_but_look(center):
    tv = center.staff("tv", "wallboard")
    assert ROLE_ACTIONS[Role.WALLBOARD] == frozenset()
    assert not any(allowed(tv, action) for action in Action)
    with pytest.raises(PermissionDenied, match="may see the wallboard only"):
        require_desk(tv)
    require_desk(center.staff("ann", "agent"))  # everyone else opens the desk as before


@sqlite_only
def test_a_wallboard_login_is_refused_the_desk_in_a_terminal(center):
    center.staff(os_login(), "wallboard", name="Floor TV")
    center.db.close()
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "SVCDESK_DB": center.db.where}
    with subprocess.Popen(
        [sys.executable, "-m", "svcdesk_tui"], stdin=follower, stdout=follower, stderr=follower,
        env=env,
    ) as desk:  # fmt: skip
        os.close(follower)
        code = desk.wait(timeout=30)
    output = b""
    try:
        while chunk := os.read(leader, 4096):
            output += chunk
    except OSError:
        pass  # the terminal's other end is closed: all is read
    os.close(leader)
    assert code == 1
    assert b"may see the wallboard only: run `svcdesk wallboard`" in output


def test_the_command_says_what_is_wrong_in_one_line(center):
    center.queue("Support")
    runner = CliRunner()
    where = center.db.where
    center.staff(os_login(), "wallboard", name="Floor TV")
    unknown = runner.invoke(cli_app, ["wallboard", "--db", where, "--queue", "Nope"])
    assert unknown.exit_code == 2
    assert "no queue Nope; the queues are: Support" in unknown.output
    no_tty = runner.invoke(cli_app, ["wallboard", "--db", where, "--queue", "support"])
    assert no_tty.exit_code == 2
    assert "the wallboard needs a terminal; for a browser use --serve" in no_tty.output

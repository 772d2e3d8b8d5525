"""A hang-up ends the desk within 3 s, from any screen, with its person logged out."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from svcdesk_tui.core.db import Database
from svcdesk_tui.models import Staff
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.queue import live

from .conftest import SVCDESK, first_agent
from .terminal import Tmux, wait_until
from .test_tmux_desk import desk_env, status

ENDS_WITHIN_S = 3.0
SCREENS = {"1": "Waiting calls", "2": "Inbox", "3": "Complaints (", "4": "Procedure"}


@pytest.fixture
def tmux(tmp_path: Path):  # type: ignore[no-untyped-def]
    terminal = Tmux(tmp_path / "tmux.sock")
    yield terminal
    terminal.hang_up()


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting for its parent to reap it has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def seconds_to_end(pid: int, limit: float = 30.0) -> float:
    """How long ``pid`` took to end, polled; ``limit`` when it did not."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if not alive(pid):
            return time.monotonic() - start
        time.sleep(0.02)
    os.kill(pid, 9)  # a desk that outlived its terminal would block the store for ever
    return limit


def logged_in_lead(db_path: str) -> str:
    """A lead (may open every screen) logged in to take calls, as a desk left them."""
    db = Database.open(db_path)
    try:
        with db.write() as session:
            lead = session.exec(
                select(Staff).where(Staff.role == "lead").order_by(Staff.login)
            ).first()
            assert lead is not None
            live.log_in(session, Actor.of(lead), now=datetime.now(UTC), client="tui:test")
            return lead.login
    finally:
        db.close()


def hang_up_and_time(tmux: Tmux) -> float:
    pid = tmux.pane_pid()
    assert pid is not None and alive(pid)
    tmux.hang_up()
    return seconds_to_end(pid)


@pytest.mark.parametrize("key", sorted(SCREENS))
def test_a_hang_up_on_any_screen_ends_the_desk_and_logs_out(tmux, demo_db, tmp_path, key):
    login = logged_in_lead(demo_db)
    tmux.start([SVCDESK, "--db", demo_db, "--as", login, "--no-simulate"], desk_env(tmp_path))
    tmux.wait_for(f"{login}, lead)")
    tmux.keys(key)
    tmux.wait_for(SCREENS[key])

    assert hang_up_and_time(tmux) < ENDS_WITHIN_S
    assert status(demo_db, login)[0] == "offline"


def test_a_hang_up_while_a_screen_opens_ends_the_desk(tmux, demo_db, tmp_path):
    login = logged_in_lead(demo_db)
    tmux.start([SVCDESK, "--db", demo_db, "--as", login, "--no-simulate"], desk_env(tmp_path))
    tmux.wait_for(f"{login}, lead)")
    tmux.keys("2")  # the line drops while the screen is still being drawn

    assert hang_up_and_time(tmux) < ENDS_WITHIN_S
    assert status(demo_db, login)[0] == "offline"


def test_a_hang_up_ends_the_agent_view_and_logs_the_agent_out(tmux, demo_db, tmp_path):
    login = first_agent(demo_db)
    tmux.start(
        [SVCDESK, "agent", "--db", demo_db, "--as", login, "--no-simulate"], desk_env(tmp_path)
    )
    tmux.wait_for(f"{login}, agent)")
    wait_until(lambda: status(demo_db, login)[0] == "available", f"{login} logged in")
    tmux.keys("2")
    tmux.wait_for(SCREENS["2"])

    assert hang_up_and_time(tmux) < ENDS_WITHIN_S
    assert status(demo_db, login)[0] == "offline"

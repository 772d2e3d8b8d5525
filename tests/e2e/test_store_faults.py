"""The real desk in a real terminal while its store is locked, or renamed away and back.

A supervisor has a complaint form open with words typed in. Another process
holds the store's write lock for 15 s (a long import, a backup), or the file
is moved away and back (an operator's mistake). The desk stays open, says
"store unavailable, retrying", and once the store answers the complaint is
saved with the words as typed; nothing has to be typed again.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from ..stores import sqlite_only
from .conftest import SVCDESK
from .terminal import Tmux, wait_until
from .test_hangup import alive
from .test_tmux_desk import desk_env

pytestmark = sqlite_only

LOCKED_FOR_S = 15.0
UNAVAILABLE = "store unavailable, retrying"
SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


@pytest.fixture
def tmux(tmp_path: Path):  # type: ignore[no-untyped-def]
    terminal = Tmux(tmp_path / "tmux.sock")
    yield terminal
    terminal.hang_up()


def flat(screen: str) -> str:
    """The screen's words on one line: toasts wrap, and their border is a '▌'."""
    return " ".join(screen.replace("▌", " ").split())


def shows(tmux: Tmux, words: str, timeout: float = 60.0) -> None:
    wait_until(lambda: words in flat(tmux.screen()), f"the screen to show {words!r}", timeout)


def complaints(db_path: str) -> list[str]:
    with sqlite3.connect(db_path) as store:
        return [row[0] for row in store.execute("SELECT description FROM complaint")]


def desk_with_a_complaint_typed(tmux: Tmux, db_path: str, tmp_path: Path, size: tuple[int, int]):  # type: ignore[no-untyped-def]
    """The service manager's desk, the first caller's card open, a complaint form filled in."""
    tmux.start([SVCDESK, "--db", db_path, "--no-simulate"], desk_env(tmp_path), size=size)
    tmux.wait_for("Waiting calls")
    tmux.press_until("Enter", "Last calls")  # the card of the first waiting caller
    tmux.keys("o")
    tmux.wait_for("What is it about?")
    tmux.keys("Enter")  # open the category list …
    time.sleep(0.5)
    tmux.keys("Down", "Enter")  # … and pick the first category
    time.sleep(0.5)
    tmux.keys("Tab")
    tmux.type("Charged twice")
    shows(tmux, "Charged twice")
    pid = tmux.pane_pid()
    assert pid is not None
    return pid


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_a_store_locked_for_15_s_is_waited_out_and_the_form_saved(tmux, demo_db, tmp_path, size):  # type: ignore[no-untyped-def]
    pid = desk_with_a_complaint_typed(tmux, demo_db, tmp_path, size)
    before = complaints(demo_db)
    holder = sqlite3.connect(demo_db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")  # another process holds the store
    released = threading.Timer(LOCKED_FOR_S, holder.rollback)
    released.start()
    try:
        tmux.keys("C-s")
        shows(tmux, UNAVAILABLE, timeout=LOCKED_FOR_S)  # said while the lock is still held
        assert complaints(demo_db) == before and alive(pid)
    finally:
        released.join()
        holder.close()
    wait_until(lambda: "Charged twice" in complaints(demo_db), "the complaint to be saved")
    shows(tmux, "Complaint #")  # … opened: the desk said so
    assert alive(pid) and complaints(demo_db).count("Charged twice") == 1


def test_a_store_renamed_away_and_back_recovers_with_the_form_as_typed(tmux, demo_db, tmp_path):  # type: ignore[no-untyped-def]
    pid = desk_with_a_complaint_typed(tmux, demo_db, tmp_path, SIZES["120x40"])
    path = Path(demo_db)
    away = path.with_suffix(".away")
    path.rename(away)
    try:
        shows(tmux, UNAVAILABLE)
        assert alive(pid) and "Charged twice" in flat(tmux.screen())  # the form is still open
    finally:
        away.rename(path)
    tmux.keys("C-s")  # saved as typed, whether or not the desk has seen the store again
    wait_until(lambda: "Charged twice" in complaints(demo_db), "the complaint to be saved")
    assert alive(pid)

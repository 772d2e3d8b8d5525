"""Layout snapshots of every screen at 80×24 and 120×40, on the frozen demo center.

The SVGs in ``__snapshots__/`` are the reference: a change of layout, wording,
colour or figures on any screen fails here. After a deliberate change, look at
the report pytest writes (snapshot_report.html) and accept the new pictures with
``pytest tests/snapshots --snapshot-update``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from ..stores import ON_POSTGRES
from .frozen_demo import NEVER, frozen_desk, make_demo, settle

pytestmark = pytest.mark.skipif(
    ON_POSTGRES, reason="layout snapshots are taken once, on a SQLite demo file"
)

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}

SCREENS = {
    "queue": (),  # the first screen
    "escalations": ("2",),
    "complaints": ("3",),
    "caribbean": ("4",),
    "monitoring": ("5",),
    "load": ("6",),
    "customer-card": ("enter",),  # on the queue's first waiting call
}
"""Each screen and the keys that lead there from the desk's first screen."""


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_demo(tmp_path_factory.mktemp("frozen-demo") / "demo.db")


def going_to(keys: tuple[str, ...]) -> Callable[[Pilot], object]:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
@pytest.mark.parametrize("screen", SCREENS)
def test_screen_layout(
    snap_compare, demo_store: Path, tmp_path: Path, screen: str, size: tuple[int, int]
) -> None:
    store = shutil.copyfile(demo_store, tmp_path / "demo.db")  # a screen may write (audit)
    desk = frozen_desk(store)
    try:
        assert snap_compare(desk, terminal_size=size, run_before=going_to(SCREENS[screen]))
    finally:
        desk.db.close()


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_wallboard_layout(snap_compare, demo_store: Path, size: tuple[int, int]) -> None:
    from svcdesk_tui.screens.wallboard.app import WallboardApp

    desk = frozen_desk(demo_store)  # only for its store, person and clock: it is not run
    board = WallboardApp(
        desk.db, desk.actor, clock=desk.clock, refresh_seconds=NEVER, rotate_seconds=NEVER
    )
    try:
        assert snap_compare(board, terminal_size=size, run_before=settle)
    finally:
        desk.db.close()

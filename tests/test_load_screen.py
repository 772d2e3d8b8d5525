"""The Load screen through Pilot: key 6 opens it, the day picker and the charts, the gaps."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .snapshots.frozen_demo import frozen_desk, make_demo, settle
from .stores import ON_POSTGRES

pytestmark = pytest.mark.skipif(ON_POSTGRES, reason="drives the desk on a SQLite demo file")


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_demo(tmp_path_factory.mktemp("load-demo") / "demo.db")


def _text(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def test_key_6_shows_the_day_and_the_picker_moves_through_days(demo_store, tmp_path):
    desk = frozen_desk(shutil.copyfile(demo_store, tmp_path / "demo.db"))
    try:
        async with desk.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("6")
            await settle(pilot)
            status = _text(desk, "#load-status")
            assert status.startswith("Mon 2026-11-23")
            assert "offered" in status and "forecast" in status and "chart: calls" in status
            gaps = _text(desk, "#load-gaps")
            assert "Gaps in the next days' shifts" in gaps and "short by" in gaps
            await pilot.press("left_square_bracket")
            await settle(pilot)
            assert _text(desk, "#load-status").startswith("Sun 2026-11-22")
            await pilot.press("left_square_bracket")
            await settle(pilot)
            saturday = _text(desk, "#load-status")
            assert saturday.startswith("Sat 2026-11-21") and "SL " in saturday
            await pilot.press("c")
            assert "chart: agents" in _text(desk, "#load-status")
            await pilot.press("c")
            assert "chart: service level" in _text(desk, "#load-status")
            await pilot.press("t")
            await settle(pilot)
            assert _text(desk, "#load-status").startswith("Mon 2026-11-23")
    finally:
        desk.db.close()

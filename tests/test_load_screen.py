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


async def test_an_agent_pressing_6_is_told_why_not(demo_store, tmp_path):
    from sqlmodel import select

    from svcdesk_tui.app import SvcDeskApp
    from svcdesk_tui.core.clock import FrozenClock
    from svcdesk_tui.core.db import Database
    from svcdesk_tui.models import Staff
    from svcdesk_tui.people.identity import resolve_actor

    from .snapshots.frozen_demo import NEVER, NOW

    db = Database.open(str(shutil.copyfile(demo_store, tmp_path / "demo.db")))
    with db.read() as session:
        login = session.exec(select(Staff.login).where(Staff.role == "agent")).first()
        actor = resolve_actor(session, demo=True, today=NOW.date(), as_login=login)
    desk = SvcDeskApp(db, actor, clock=FrozenClock(NOW), refresh_seconds=NEVER)
    try:
        async with desk.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("6")
            await settle(pilot)
            assert desk.current_mode == "queue"
            assert any("may not" in str(n.message) for n in desk._notifications)
    finally:
        db.close()

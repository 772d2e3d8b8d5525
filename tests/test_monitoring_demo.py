"""The demo center's monitoring tells its story: one agent never reflects back, one team's
evaluators are far apart, and its recordings are references that fail in one line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from svcdesk_tui.cli import app
from svcdesk_tui.core.db import Database
from svcdesk_tui.core.periods import Period
from svcdesk_tui.demo.generate import generate_demo
from svcdesk_tui.monitoring.measures import calibration_by_team, missed_by_agent, worst_item

from .stores import new_store

END = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    where = new_store(tmp_path_factory.mktemp("demo"))
    generate_demo(where, days=63, agents=16, end=END)
    return where


def test_one_agent_never_reflects_back_and_one_team_calibrates_poorly(demo):
    db = Database.open(demo)
    try:
        with db.read() as session:
            months = Period(END - timedelta(days=63), END)
            worst = worst_item(missed_by_agent(session, months))
            teams = calibration_by_team(session, months)
    finally:
        db.close()
    never = [item for item in worst.values() if item.code == "reflected" and item.missed_share == 1]
    assert len(never) == 1 and never[0].answered >= 10
    spreads = sorted((t.spread or 0, t.name) for t in teams if t.calls)
    assert spreads[-1][0] > 0.3 > spreads[-2][0]  # one team far apart, the others close


def test_the_demo_has_a_queue_to_evaluate_and_recordings_that_fail_clearly(demo):
    db = Database.open(demo)
    try:
        with db.read() as session:
            call_id, path = session.execute(
                text(
                    "SELECT id, recording_path FROM call WHERE recording_path IS NOT NULL "
                    "ORDER BY id LIMIT 1"
                )
            ).one()
            states = dict(
                session.execute(text("SELECT state, count(*) FROM evaluation GROUP BY state")).all()
            )
    finally:
        db.close()
    assert states["accepted"] > states["done"] > 0 and states.get("upheld", 0) >= 0
    played = CliRunner().invoke(app, ["monitoring", "play", str(call_id), "--db", demo])
    assert played.exit_code == 1
    assert played.stderr.strip() == (
        f"svcdesk: error: the recording of call #{call_id} is missing: {path}"
    )
    queue = CliRunner().invoke(
        app, ["monitoring", "list", "--db", demo, "--as-of", END.isoformat()]
    )
    assert queue.exit_code == 0, queue.output
    assert "To evaluate: 0" not in queue.stdout

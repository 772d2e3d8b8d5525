"""Waking an old demo, and the night line that keeps it going, on a real demo file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from svcdesk_tui.core.clock import FrozenClock, to_epoch
from svcdesk_tui.core.db import Database
from svcdesk_tui.core.errors import InvalidInput
from svcdesk_tui.demo import generate_demo
from svcdesk_tui.demo.simulation import Simulator, TickSummary, run_simulation
from svcdesk_tui.demo.traffic import PATIENCE_LIMIT_S
from svcdesk_tui.demo.wake import HELD_AT_MOST_S, WakeSummary, wake

from .sql import none, rows, scalar
from .stores import new_store
from .test_simulation import assert_no_call_held_twice, run_ticks

END = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NIGHT = datetime(2026, 12, 3, 3, 0, tzinfo=AMSTERDAM).astimezone(UTC)  # ten days later


@pytest.fixture
def db(tmp_path: Path) -> Database:
    where = new_store(tmp_path)
    generate_demo(where, days=2, agents=8, seed=5, end=END)
    opened = Database.open(where)
    yield opened
    opened.close()


def test_an_old_demo_wakes_with_callers_on_hold_and_agents_on_calls(db: Database) -> None:
    summary = wake(db, now=NIGHT)
    assert summary.woke and summary.closed > 0
    now_s = to_epoch(NIGHT)
    waits = [
        now_s - at for (at,) in rows(db, "SELECT entered_at FROM call WHERE state = 'waiting'")
    ]
    assert len(waits) == summary.waiting >= 3
    assert all(0 < wait <= HELD_AT_MOST_S for wait in waits)
    board = dict(rows(db, "SELECT state, count(*) FROM agent_status GROUP BY state"))
    assert board.get("on_call", 0) + board.get("wrap_up", 0) == summary.agents >= 3
    assert set(board) <= {"on_call", "wrap_up", "offline"}
    assert_no_call_held_twice(db)
    # Every agent at work logged in before the call they hold, in one open session.
    assert none(
        db,
        "SELECT count(*) FROM agent_status s JOIN call c ON c.id = s.call_id"
        " WHERE (SELECT count(*) FROM presence_log p WHERE p.staff_id = s.staff_id"
        " AND p.ended_at IS NULL AND p.started_at <= c.entered_at) != 1",
    )
    assert none(db, "SELECT count(*) FROM call WHERE answered_at > :t OR entered_at > :t", t=now_s)
    assert scalar(db, "SELECT max(wait_seconds) FROM call") <= PATIENCE_LIMIT_S
    assert scalar(db, "SELECT count(*) FROM audit_entry WHERE action = 'demo.wake'") == 1


def test_a_live_demo_is_left_as_it_is(db: Database) -> None:
    assert wake(db, now=END) == WakeSummary()  # at its own moment: nothing to do
    wake(db, now=NIGHT)
    again = wake(db, now=NIGHT + timedelta(seconds=30))
    assert again == WakeSummary()
    assert scalar(db, "SELECT count(*) FROM audit_entry WHERE action = 'demo.wake'") == 1


def test_the_person_at_the_desk_is_never_put_to_work(db: Database) -> None:
    logins = [login for (login,) in rows(db, "SELECT login FROM staff WHERE role = 'agent'")]
    skipped, others = logins[:-3], logins[-3:]
    board = (
        "SELECT s.login, a.state, a.since, a.call_id FROM agent_status a"
        " JOIN staff s ON s.id = a.staff_id WHERE s.login IN ({}) ORDER BY 1"
    )
    before = rows(db, board.format(",".join(f"'{login}'" for login in skipped)))
    summary = wake(db, now=NIGHT, skip_logins=frozenset(skipped))
    assert rows(db, board.format(",".join(f"'{login}'" for login in skipped))) == before
    woken = rows(db, board.format(",".join(f"'{login}'" for login in others)))
    assert summary.agents == sum(state in ("on_call", "wrap_up") for _, state, _, _ in woken) > 0


def test_the_night_line_keeps_an_old_demo_going(db: Database) -> None:
    clock = FrozenClock(NIGHT)
    wake(db, now=NIGHT)
    summary = run_ticks(Simulator(db, seed=4, speed=20, night_line=True), clock, 60, 10)
    assert summary.arrived > 0 and summary.answered > 0 and summary.completed > 0
    assert summary.logged_in >= 1
    assert_no_call_held_twice(db)


def test_a_center_without_night_line_closes_at_night(db: Database) -> None:
    clock = FrozenClock(NIGHT)
    summary = run_ticks(Simulator(db, seed=4, speed=20), clock, 60, 10)
    assert summary.arrived == 0 and summary.logged_in == 0


def test_the_simulator_wakes_a_demo_it_is_started_on(db: Database) -> None:
    ticks: list[TickSummary] = []
    run_simulation(db, FrozenClock(NIGHT), duration_s=0.3, tick_seconds=0.05, on_tick=ticks.append)
    assert ticks and ticks[0].waiting > 0 and ticks[0].logged_in > 0


def test_a_demo_is_made_in_the_time_zone_asked_for(tmp_path: Path) -> None:
    where = new_store(tmp_path)
    generate_demo(where, days=2, agents=6, seed=2, end=END, timezone="Asia/Tokyo")
    db = Database.open(where)
    assert scalar(db, "SELECT value FROM setting WHERE key = 'timezone'") == '"Asia/Tokyo"'
    hours = {
        datetime.fromtimestamp(at, ZoneInfo("Asia/Tokyo")).hour
        for (at,) in rows(db, "SELECT entered_at FROM call")
    }
    assert hours and min(hours) >= 7  # the center opens at 07:00 Tokyo time
    db.close()
    with pytest.raises(InvalidInput, match="time zone"):
        generate_demo(new_store(tmp_path), days=1, agents=4, end=END, timezone="Mars/Olympus")


@pytest.mark.parametrize("hour", [3, 15])
def test_a_full_demo_wakes_weeks_later_with_one_agent_wrapping_up(
    tmp_path: Path, hour: int
) -> None:
    """The demo's own size (more than three agents put to work: the fourth one wraps up,
    a take and an end of talk in one transaction), two weeks after it was made."""
    where = new_store(tmp_path)
    generate_demo(where, days=3, end=END)
    later = datetime(2026, 12, 7, hour, 10, tzinfo=AMSTERDAM).astimezone(UTC)
    opened = Database.open(where)
    try:
        summary = wake(opened, now=later, skip_logins=frozenset({"mvos"}))
        assert summary.agents >= 4
        board = dict(rows(opened, "SELECT state, count(*) FROM agent_status GROUP BY state"))
        assert board.get("wrap_up") == 1
        assert board.get("on_call", 0) == summary.agents - 1
        assert_no_call_held_twice(opened)
    finally:
        opened.close()

"""Live traffic on a real demo file: arrivals, simulated agents, and people left alone."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select

from svcdesk_tui.core.clock import FrozenClock
from svcdesk_tui.core.db import Database
from svcdesk_tui.demo import generate_demo
from svcdesk_tui.demo.simulation import Simulator, TickSummary, run_simulation
from svcdesk_tui.models import AgentStatus, Staff
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.queue import live as queue

from .sql import none, rows, scalar
from .stores import new_store

# Monday 5 January 2026, 11:00 in Amsterdam: the morning peak.
MORNING = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> Database:
    where = new_store(tmp_path)
    generate_demo(where, days=1, agents=12, seed=6, end=MORNING, waiting=4)
    opened = Database.open(where)
    yield opened
    opened.close()


def assert_no_call_held_twice(db: Database) -> None:
    held = rows(
        db,
        "SELECT agent_id, count(*) FROM call WHERE state IN ('on_call', 'wrap_up') GROUP BY 1",
    )
    assert all(n == 1 for _, n in held)
    claimed = rows(
        db,
        "SELECT call_id, count(*) FROM agent_status WHERE call_id IS NOT NULL GROUP BY 1",
    )
    assert all(n == 1 for _, n in claimed)
    mismatched = scalar(
        db,
        "SELECT count(*) FROM agent_status s JOIN call c ON c.id = s.call_id"
        " WHERE c.agent_id != s.staff_id OR c.state != s.state",
    )
    assert mismatched == 0


def run_ticks(simulator: Simulator, clock: FrozenClock, ticks: int, step: float) -> TickSummary:
    totals: dict[str, int] = {}
    last = None
    for _ in range(ticks):
        last = simulator.tick(now=clock.now())
        for name in ("arrived", "answered", "completed", "abandoned", "conflicts"):
            totals[name] = totals.get(name, 0) + getattr(last, name)
        clock.advance(step)
    assert last is not None
    return TickSummary(at=last.at, waiting=last.waiting, logged_in=last.logged_in, **totals)


def in_progress(db: Database) -> set[int]:
    return {i for (i,) in rows(db, "SELECT id FROM call WHERE state IN ('on_call', 'wrap_up')")}


def test_open_hours_bring_callers_whom_simulated_agents_serve(db: Database) -> None:
    clock = FrozenClock(MORNING)
    simulator = Simulator(db, seed=1, speed=20)
    totals = TickSummary(at=MORNING)
    for _ in range(6):
        part = run_ticks(simulator, clock, 12, 6)
        assert_no_call_held_twice(db)
        totals = TickSummary(
            at=part.at,
            arrived=totals.arrived + part.arrived,
            answered=totals.answered + part.answered,
            completed=totals.completed + part.completed,
            abandoned=totals.abandoned + part.abandoned,
            logged_in=part.logged_in,
        )
    assert totals.arrived > 10
    assert totals.answered > 10 and totals.completed > 10
    assert totals.logged_in >= 3
    simulated = rows(
        db,
        "SELECT state, count(*) FROM call WHERE source = 'sim' GROUP BY 1",
    )
    assert dict(simulated).get("completed", 0) > 0
    assert none(
        db,
        "SELECT count(*) FROM call WHERE source = 'sim' AND state = 'completed'"
        " AND (reason_id IS NULL OR outcome IS NULL OR talk_seconds IS NULL"
        " OR ended_at != talk_ended_at + wrap_seconds)",
    )
    # Talks are sped up 20 times: a few seconds to a minute, not several minutes.
    mean_talk = scalar(
        db, "SELECT avg(talk_seconds) FROM call WHERE source = 'sim' AND state = 'completed'"
    )
    assert 3 < mean_talk < 60
    clients = {
        c for (c,) in rows(db, "SELECT DISTINCT client FROM agent_status WHERE state != 'offline'")
    }
    assert clients <= {"sim", None}


def test_calls_in_progress_are_taken_over_by_a_new_simulator(db: Database) -> None:
    """The demo's calls in progress, then those of an earlier run: a new run finishes them."""
    clock = FrozenClock(MORNING)
    from_demo = in_progress(db)
    assert from_demo
    run_ticks(Simulator(db, seed=2, speed=30), clock, 12, 5)
    from_first_run = in_progress(db)
    assert from_first_run
    summary = run_ticks(Simulator(db, seed=3, speed=30), clock, 40, 6)
    assert summary.conflicts == 0
    finished = rows(
        db,
        "SELECT id, state FROM call WHERE id IN ({})".format(
            ",".join(str(i) for i in from_demo | from_first_run)
        ),
    )
    assert {state for _, state in finished} == {"completed"}
    assert_no_call_held_twice(db)


def test_the_center_is_quiet_at_night(db: Database) -> None:
    night = FrozenClock(datetime(2026, 1, 5, 22, 0, tzinfo=UTC))  # 23:00 in Amsterdam
    before = scalar(db, "SELECT count(*) FROM call")
    summary = run_ticks(Simulator(db, seed=3, speed=50), night, 60, 10)
    assert summary.arrived == 0
    assert scalar(db, "SELECT count(*) FROM call") == before
    assert summary.logged_in == 0  # everyone finished their call and went home


def test_skipped_logins_are_never_driven(db: Database) -> None:
    skipped = scalar(
        db,
        "SELECT s.login FROM agent_status a JOIN staff s ON s.id = a.staff_id"
        " WHERE a.state != 'offline' ORDER BY a.state = 'on_call' DESC, s.id LIMIT 1",
    )
    before = rows(
        db,
        "SELECT a.state, a.since, a.call_id FROM agent_status a JOIN staff s ON s.id = a.staff_id"
        " WHERE s.login = :l",
        l=skipped,
    )
    clock = FrozenClock(MORNING)
    run_ticks(Simulator(db, seed=4, speed=30, skip_logins={skipped}), clock, 40, 6)
    after = rows(
        db,
        "SELECT a.state, a.since, a.call_id FROM agent_status a JOIN staff s ON s.id = a.staff_id"
        " WHERE s.login = :l",
        l=skipped,
    )
    assert after == before
    assert scalar(db, "SELECT count(*) FROM audit_entry WHERE actor_login = :l", l=skipped) == 0


def test_an_agent_logged_in_by_a_person_is_left_alone(db: Database) -> None:
    clock = FrozenClock(MORNING)
    with db.write() as session:
        staff = session.exec(
            select(Staff)
            .join(AgentStatus, AgentStatus.staff_id == Staff.id, isouter=True)
            .where(Staff.role == "agent", Staff.left_on.is_(None))  # type: ignore[union-attr]
            .where((AgentStatus.state.is_(None)) | (AgentStatus.state == "offline"))  # type: ignore[union-attr]
            .order_by(Staff.id)
        ).first()
        assert staff is not None
        human = Actor.of(staff)
        queue.log_in(session, human, now=MORNING, client="tui:pts/3")
    simulator = Simulator(db, seed=6, speed=30)
    run_ticks(simulator, clock, 20, 5)
    # The person takes a waiting call; the simulator must not end it or hang it up.
    with db.write() as session:
        taken = queue.take_call(session, human, now=clock.now())
    if taken is None:  # nobody waiting right now: put a caller on hold for the person
        with db.write() as session:
            queue_id = session.execute(text("SELECT min(id) FROM queue")).scalar_one()
            waiting = queue.enqueue_call(session, queue_id=queue_id, now=clock.now())
            taken = queue.take_call(session, human, waiting.id, now=clock.now())
    assert taken is not None
    run_ticks(simulator, clock, 30, 6)
    assert rows(db, "SELECT state, agent_id FROM call WHERE id = :i", i=taken.id) == [
        ("on_call", human.id)
    ]
    actions = {
        action
        for (action,) in rows(
            db, "SELECT DISTINCT action FROM audit_entry WHERE actor_login = :l", l=human.login
        )
    }
    assert actions == {"presence.login", "call.take"}
    assert_no_call_held_twice(db)


def test_left_over_state_is_closed_as_it_would_have_ended(db: Database) -> None:
    later = FrozenClock(MORNING + timedelta(days=2))
    summary = Simulator(db, seed=7, speed=10).tick(now=later.now())
    assert summary.recovered > 0
    old = int(MORNING.timestamp()) + 60
    assert none(db, "SELECT count(*) FROM call WHERE state = 'waiting' AND entered_at < :t", t=old)
    assert scalar(db, "SELECT max(wait_seconds) FROM call WHERE entered_at < :t", t=old) < 3 * 3600
    assert scalar(db, "SELECT max(talk_seconds) FROM call WHERE entered_at < :t", t=old) < 3 * 3600
    assert none(
        db,
        "SELECT count(*) FROM presence_log WHERE ended_at IS NULL AND started_at < :t",
        t=old,
    )
    assert scalar(db, "SELECT count(*) FROM audit_entry WHERE action = 'simulation.recover'") == 1


def test_run_simulation_stops_after_its_duration(db: Database) -> None:
    ticks: list[TickSummary] = []
    started = time.monotonic()
    run_simulation(
        db, FrozenClock(MORNING), speed=20, duration_s=0.4, tick_seconds=0.05, on_tick=ticks.append
    )
    assert time.monotonic() - started < 3
    assert len(ticks) >= 3
    # On the way out simulated calls end and simulated agents log out.
    assert scalar(db, "SELECT count(*) FROM agent_status WHERE client LIKE 'sim%'") == 0
    assert scalar(db, "SELECT count(*) FROM call WHERE state IN ('on_call', 'wrap_up')") == 0


def test_run_simulation_stops_at_once_when_told(db: Database) -> None:
    stop = threading.Event()
    ticked = threading.Event()
    worker = threading.Thread(
        target=run_simulation,
        args=(db, FrozenClock(MORNING)),
        kwargs={"stop": stop, "tick_seconds": 30, "on_tick": lambda _s: ticked.set()},
    )
    worker.start()
    assert ticked.wait(10)
    asked = time.monotonic()
    stop.set()
    worker.join(timeout=5)
    assert not worker.is_alive()
    assert time.monotonic() - asked < 2  # not the 30 s of the tick interval

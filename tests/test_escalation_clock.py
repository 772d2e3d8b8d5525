"""The ladder's clock when every desk runs it: desks racing on one store climb each
escalation once per rung, a stale sighting climbs nothing, and "is anything due?"
reads an index.
"""

from __future__ import annotations

import multiprocessing as mp
import subprocess
import sys
import traceback
from collections import Counter
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event, select, text

from svcdesk_tui.core.db import Database
from svcdesk_tui.escalations import clock
from svcdesk_tui.escalations import moves as esc
from svcdesk_tui.models import AuditEntry, EscalationEvent

from .conftest import MORNING
from .escalation_helpers import build_floor
from .stores import sqlite_only

DESKS = 4
TICKS = 3  # each desk ticks a few times at the same frozen moment
CUSTOMERS = 6
LEAD_DUE = MORNING + timedelta(minutes=30)  # the shift lead's 30 minutes are up
MANAGER_DUE = LEAD_DUE + timedelta(minutes=60)  # then the manager's 60


@pytest.fixture
def floor(center):
    floor = build_floor(center)
    customers = [center.customer(f"Customer {n}") for n in range(CUSTOMERS)]
    with floor.db.write() as session:
        floor.eids = [
            esc.raise_escalation(
                session,
                floor.alice,
                now=MORNING,
                reason="wants a manager",
                anger=4,
                customer_id=cid,
            ).id
            for cid in customers
        ]
    return floor


def desk_process(where: str, now: datetime, start, results) -> None:  # type: ignore[no-untyped-def]
    """One open desk: its timer fires a few times at the same moment."""
    climbed: list[tuple[int, str, str]] = []
    try:
        db = Database.open(where)
        start.wait()
        for _ in range(TICKS):
            climbed += [
                (c.escalation_id, c.from_level, c.to_level) for c in clock.climb_if_due(db, now=now)
            ]
        db.close()
        results.put((climbed, None))
    except Exception:
        results.put((climbed, traceback.format_exc()))


def race(where: str, now: datetime) -> list[tuple[int, str, str]]:
    context = mp.get_context("spawn")
    start, results = context.Barrier(DESKS), context.Queue()
    desks = [
        context.Process(target=desk_process, args=(where, now, start, results))
        for _ in range(DESKS)
    ]
    for desk in desks:
        desk.start()
    reported = [results.get(timeout=60) for _ in desks]
    for desk in desks:
        desk.join(timeout=60)
    errors = [error for _, error in reported if error]
    assert errors == [], "a desk's clock failed:\n" + "\n".join(errors)
    return [item for climbed, _ in reported for item in climbed]


def rank_of(floor, role: str) -> int:
    with floor.db.read() as session:
        level = esc.ladder(session).first_with_role(role)
    assert level is not None
    return level.rank


def climb_events(floor) -> Counter[tuple[int, int | None]]:
    with floor.db.read() as session:
        rows = session.execute(
            select(EscalationEvent.escalation_id, EscalationEvent.from_rank).where(
                EscalationEvent.kind == esc.EventKind.AUTO_ESCALATED
            )
        ).all()
    return Counter((eid, rank) for eid, rank in rows)


def climb_audits(floor) -> int:
    with floor.db.read() as session:
        return len(
            session.execute(
                select(AuditEntry.id).where(AuditEntry.action == "escalation.auto_escalated")
            ).all()
        )


def test_desks_racing_at_one_moment_climb_each_escalation_once_per_rung(floor):
    floor.db.close()  # the desks are other processes
    lead, manager = rank_of(floor, "lead"), rank_of(floor, "manager")

    first = race(floor.db.where, LEAD_DUE)
    assert sorted(eid for eid, _, _ in first) == sorted(floor.eids)
    assert {(f, t) for _, f, t in first} == {("Shift lead", "Service manager")}
    assert climb_events(floor) == Counter({(eid, lead): 1 for eid in floor.eids})

    second = race(floor.db.where, MANAGER_DUE)
    assert sorted(eid for eid, _, _ in second) == sorted(floor.eids)
    assert {(f, t) for _, f, t in second} == {("Service manager", "Executive")}
    events = climb_events(floor)
    assert events == Counter({(eid, rank): 1 for eid in floor.eids for rank in (lead, manager)})
    assert climb_audits(floor) == 2 * CUSTOMERS


def test_tick_from_cron_beside_open_desks_climbs_once(floor):
    """`svcdesk escalations tick` processes started together print each climb once."""
    floor.db.close()
    at = LEAD_DUE.strftime("%Y-%m-%dT%H:%M:%S")
    command = [sys.executable, "-m", "svcdesk_tui", "escalations", "tick"]
    ticks = [
        subprocess.Popen(
            [*command, "--db", floor.db.where, "--as-of", at],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(DESKS)
    ]
    outputs = [tick.communicate(timeout=120) for tick in ticks]
    assert [tick.returncode for tick in ticks] == [0] * DESKS, [err for _, err in outputs]
    lines = [line for out, _ in outputs for line in out.splitlines()]
    assert sorted(int(line.split()[1]) for line in lines) == sorted(floor.eids)
    assert all("climbed by itself from Shift lead to Service manager" in s for s in lines)
    assert sum(climb_events(floor).values()) == CUSTOMERS


def test_a_stale_sighting_climbs_nothing(floor):
    accepted, climbed, reopened, *_ = floor.eids
    lead = rank_of(floor, "lead")
    with floor.db.write() as session:
        esc.accept(session, floor.lena, accepted, now=MORNING + timedelta(minutes=5))
        esc.resolve(
            session,
            floor.lena,
            reopened,
            now=MORNING + timedelta(minutes=5),
            note="ok",
            promise="-",
        )
        esc.reopen(session, floor.lena, reopened, now=LEAD_DUE - timedelta(minutes=1), note="again")
    with floor.db.write() as session:
        assert clock.climb_one(session, climbed, lead, now=LEAD_DUE) is not None
    with floor.db.write() as session:  # each seen on the lead's rung a moment ago
        assert clock.climb_one(session, accepted, lead, now=LEAD_DUE) is None  # accepted since
        assert clock.climb_one(session, climbed, lead, now=LEAD_DUE) is None  # climbed since
        assert clock.climb_one(session, reopened, lead, now=LEAD_DUE) is None  # waits anew
        early = clock.climb_one(session, floor.eids[3], lead, now=LEAD_DUE - timedelta(seconds=1))
        assert early is None  # not overdue yet
    assert climb_events(floor) == Counter({(climbed, lead): 1})
    assert climb_audits(floor) == 1


def test_the_due_check_is_cheap_and_right(floor):
    with floor.db.read() as session:
        assert not clock.any_overdue(session, now=LEAD_DUE - timedelta(seconds=1))
        assert clock.any_overdue(session, now=LEAD_DUE)
    with floor.db.write() as session:
        for eid in floor.eids:
            esc.accept(session, floor.lena, eid, now=MORNING + timedelta(minutes=1))
    with floor.db.read() as session:
        assert not clock.any_overdue(session, now=MANAGER_DUE)  # accepted ones never climb
    assert clock.climb_if_due(floor.db, now=MANAGER_DUE) == []


@sqlite_only
def test_the_due_check_seeks_the_waiting_index(floor):
    """The question every idle desk asks on its timer never scans the escalations."""
    statements: list[tuple[str, object]] = []

    def seen(_conn, _cursor, statement, parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
        statements.append((statement, parameters))

    event.listen(floor.db.engine, "before_cursor_execute", seen)
    try:
        with floor.db.read() as session:
            clock.any_overdue(session, now=LEAD_DUE)
    finally:
        event.remove(floor.db.engine, "before_cursor_execute", seen)
    (statement, parameters) = next((s, p) for s, p in statements if "FROM escalation " in s)
    with floor.db.read() as session:
        plan = session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        details = [row[-1] for row in plan]
    assert any("USING" in d and "ix_escalation_waiting" in d for d in details), details
    assert not any(d.startswith("SCAN escalation") for d in details), details


def test_the_top_rung_has_nowhere_to_climb(floor):
    """An escalation on the executive's rung stays there (the inbox shows it overdue)."""
    top = rank_of(floor, "executive")
    with floor.db.write() as session:
        session.execute(text(f"UPDATE escalation SET level_rank = {top}"))
    with floor.db.read() as session:
        assert not clock.any_overdue(session, now=MANAGER_DUE + timedelta(days=1))
    assert clock.climb_if_due(floor.db, now=MANAGER_DUE + timedelta(days=1)) == []

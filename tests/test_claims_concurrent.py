"""Claims racing each other through the store's own connections (one each, as separate desks):
a SQLite file here, a PostgreSQL database in the second pass.

No call is held by two agents, every call is claimed exactly once, and no agent
ever holds two calls, however the claims interleave.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlmodel import select

from svcdesk_tui.core.clock import SystemClock
from svcdesk_tui.core.db import Database
from svcdesk_tui.core.errors import Conflict, SvcdeskError
from svcdesk_tui.models import AgentStatus, AuditEntry, Call
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.queue import live as queue

from .conftest import MORNING

DONE = queue.Completion("other", outcome="resolved")


def together(where: str, jobs: list[Callable[[Database], Any]]) -> list[Any]:
    """Run each job on its own open store at the same moment; what each returned or raised."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(n: int) -> None:
        db = Database.open(where)
        try:
            barrier.wait()
            results[n] = jobs[n](db)
        except Exception as error:  # the test looks at what each desk saw
            results[n] = error
        finally:
            db.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return results


def waiting_calls(center: Any, count: int) -> list[int]:
    support = center.queue("Support")
    with center.db.write() as session:
        return [
            queue.enqueue_call(session, queue_id=support, now=MORNING - timedelta(seconds=n)).id
            for n in range(count)
        ]


def take(db: Database, actor: Actor, call_id: int | None = None) -> int | None:
    with db.write() as session:
        call = queue.take_call(session, actor, now=SystemClock().now(), call_id=call_id)
        return call.id if call else None


def work_until_empty(actor: Actor) -> Callable[[Database], list[int]]:
    def job(db: Database) -> list[int]:
        taken = []
        while (call_id := take(db, actor)) is not None:
            taken.append(call_id)
            with db.write() as session:
                queue.complete_call(session, actor, DONE, now=SystemClock().now())
        return taken

    return job


def test_agents_racing_for_the_queue_each_call_goes_to_one_agent_once(center):
    calls = waiting_calls(center, 120)
    actors = [center.staff(f"racer{n}") for n in range(8)]
    results = together(center.db.where, [work_until_empty(actor) for actor in actors])

    assert not [r for r in results if isinstance(r, Exception)], results
    claims = [call_id for taken in results for call_id in taken]
    assert sorted(claims) == sorted(calls)  # every call claimed, none lost
    assert Counter(claims).most_common(1)[0][1] == 1  # none claimed twice
    with center.db.read() as session:
        rows = session.exec(select(Call)).all()
        taken_audit = session.exec(
            select(AuditEntry.entity_id).where(AuditEntry.action == "call.take")
        ).all()
        statuses = session.exec(select(AgentStatus)).all()
    by_login = {actor.id: results[n] for n, actor in enumerate(actors)}
    assert {row.state for row in rows} == {"completed"}
    assert all(row.id in by_login[row.agent_id] for row in rows)  # held by the one who took it
    assert sorted(taken_audit) == sorted(str(call_id) for call_id in claims)
    assert {s.call_id for s in statuses} == {None}


def test_one_agent_at_two_desks_never_holds_two_calls(center):
    waiting_calls(center, 10)
    ann = center.staff("ann")
    with center.db.write() as session:  # her desks logged her in when they opened
        queue.log_in(session, ann, now=SystemClock().now())
    for _round in range(5):
        results = together(center.db.where, [lambda db: take(db, ann) for _ in range(4)])
        won = [r for r in results if isinstance(r, int)]
        assert len(won) == 1, results
        assert all(isinstance(r, Conflict) for r in results if r is not won[0]), results
        with center.db.read() as session:
            held = session.exec(select(Call).where(Call.state == "on_call")).all()
            status = session.get(AgentStatus, ann.id)
        assert [call.id for call in held] == won
        assert status is not None and status.call_id == won[0]
        with center.db.write() as session:
            queue.complete_call(session, ann, DONE, now=SystemClock().now())


def test_agents_racing_for_one_chosen_call_one_gets_it(center):
    first, *_ = waiting_calls(center, 3)
    actors = [center.staff(f"picker{n}") for n in range(6)]
    results = together(
        center.db.where, [lambda db, a=actor: take(db, a, first) for actor in actors]
    )

    winners = [n for n, r in enumerate(results) if r == first]
    assert len(winners) == 1, results
    losers = [r for n, r in enumerate(results) if n != winners[0]]
    assert all(isinstance(r, Conflict) and "no longer waiting" in str(r) for r in losers)
    assert not any(isinstance(r, SvcdeskError) and not isinstance(r, Conflict) for r in results)
    with center.db.read() as session:
        call = session.get(Call, first)
        statuses = {s.staff_id: s for s in session.exec(select(AgentStatus)).all()}
    assert call is not None and call.agent_id == actors[winners[0]].id
    holding = [sid for sid, s in statuses.items() if s.call_id is not None]
    assert holding == [actors[winners[0]].id]

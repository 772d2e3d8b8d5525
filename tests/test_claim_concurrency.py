"""Several processes take calls from one SQLite file at once: nobody shares a call."""

from __future__ import annotations

import multiprocessing as mp
from collections import Counter
from datetime import timedelta

from sqlmodel import select

from svcdesk_tui.clock import SystemClock
from svcdesk_tui.db import Database
from svcdesk_tui.models import AuditEntry, Call
from svcdesk_tui.services import queue
from svcdesk_tui.services.identity import Actor

from .conftest import MORNING

AGENTS = 8
CALLS = 240


def agent_process(path: str, actor: Actor, start, results) -> None:  # type: ignore[no-untyped-def]
    """Take the next call and complete it, until nobody is waiting."""
    db = Database.open(path)
    clock = SystemClock()
    taken: list[int] = []
    start.wait()
    while True:
        with db.write() as session:
            call = queue.take_call(session, actor, clock.now())
        if call is None:
            break
        taken.append(call.id)
        with db.write() as session:
            queue.complete_call(
                session, actor, clock.now(), reason_code="other", outcome="resolved"
            )
    results.put((actor.login, taken))


def test_no_call_is_ever_held_by_two_agents(center):
    support = center.queue("Support")
    actors = [center.staff(f"agent{n}") for n in range(AGENTS)]
    with center.db.write() as session:
        for n in range(CALLS):
            queue.enqueue_call(
                session, queue_id=support, now=MORNING - timedelta(seconds=CALLS - n)
            )
    context = mp.get_context("spawn")
    start, results = context.Event(), context.Queue()
    workers = [
        context.Process(target=agent_process, args=(center.db.where, actor, start, results))
        for actor in actors
    ]
    for worker in workers:
        worker.start()
    start.set()
    taken = dict(results.get(timeout=120) for _ in workers)
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0

    claims = [call_id for calls in taken.values() for call_id in calls]
    assert len(claims) == CALLS
    assert Counter(claims).most_common(1)[0][1] == 1, "a call was claimed twice"
    assert sum(bool(calls) for calls in taken.values()) >= 2, "the processes did not overlap"
    with center.db.read() as session:
        calls = session.exec(select(Call)).all()
        audited = session.exec(
            select(AuditEntry.entity_id).where(AuditEntry.action == "call.take")
        ).all()
    assert {call.state for call in calls} == {"completed"}
    by_login = {actor.id: actor.login for actor in actors}
    assert all(call.id in taken[by_login[call.agent_id]] for call in calls)
    assert sorted(audited) == sorted(str(call_id) for call_id in claims)

"""Twenty agents' processes work one SQLite file at once, with a supervisor's desk beside them.

Nobody shares a call, no update is lost, and no "database is locked" reaches a person.
"""

from __future__ import annotations

import multiprocessing as mp
import traceback
from collections import Counter
from datetime import timedelta

from sqlmodel import select

from svcdesk_tui.core.clock import SystemClock
from svcdesk_tui.core.db import Database
from svcdesk_tui.core.settings import CenterSettings
from svcdesk_tui.escalations import moves as escalation
from svcdesk_tui.models import AgentStatus, AuditEntry, Call, Escalation
from svcdesk_tui.people import presence
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.queue import live as queue

from .conftest import MORNING

AGENTS = 20
CALLS = 400
ESCALATE_EVERY = 7  # an agent escalates every call whose id is a multiple of this


def agent_process(path: str, actor: Actor, start, results) -> None:  # type: ignore[no-untyped-def]
    """Take the next call, escalate some, complete each, until nobody is waiting."""
    taken: list[int] = []
    escalated: list[int] = []
    try:
        db = Database.open(path)
        clock = SystemClock()
        start.wait()
        while True:
            with db.write() as session:
                call = queue.take_call(session, actor, now=clock.now())
            if call is None:
                break
            taken.append(call.id)  # type: ignore[arg-type]
            if call.id % ESCALATE_EVERY == 0:  # type: ignore[operator]
                with db.write() as session:
                    escalation.raise_escalation(
                        session, actor, now=clock.now(), reason="wants a manager", anger=4,
                        call_id=call.id,
                    )  # fmt: skip
                escalated.append(call.id)  # type: ignore[arg-type]
            with db.write() as session:
                queue.complete_call(
                    session, actor, queue.Completion("other", outcome="resolved"), now=clock.now()
                )
        results.put((actor.login, taken, escalated, None))
    except Exception:  # every error a person would have seen, "database is locked" included
        results.put((actor.login, taken, escalated, traceback.format_exc()))


def supervisor_process(path: str, start, stop, results) -> None:  # type: ignore[no-untyped-def]
    """A desk beside them: re-reads the queue and sweeps stale presence, like the TUI."""
    reads = 0
    try:
        db = Database.open(path)
        reader = queue.QueueReader(CenterSettings())
        start.wait()
        while not stop.is_set():
            with db.read() as session:
                reader.read(session, now=SystemClock().now())
            with db.write() as session:
                presence.clear_stale(session, now=SystemClock().now(), after_seconds=3600)
            reads += 1
        results.put(("supervisor", reads, [], None))
    except Exception:
        results.put(("supervisor", reads, [], traceback.format_exc()))


def test_twenty_agents_never_share_a_call_and_lose_nothing(center):
    support = center.queue("Support")
    customer = center.customer("Acme")
    actors = [center.staff(f"agent{n:02}") for n in range(AGENTS)]
    with center.db.write() as session:
        for n in range(CALLS):
            queue.enqueue_call(
                session,
                queue_id=support,
                customer_id=customer,
                now=MORNING - timedelta(seconds=CALLS - n),
            )
    context = mp.get_context("spawn")
    start, stop, results = context.Event(), context.Event(), context.Queue()
    workers = [
        context.Process(target=agent_process, args=(center.db.where, actor, start, results))
        for actor in actors
    ]
    supervisor = context.Process(
        target=supervisor_process, args=(center.db.where, start, stop, results)
    )
    for process in (*workers, supervisor):
        process.start()
    start.set()
    reports = {}
    for _ in workers:
        login, taken, escalated, failure = results.get(timeout=600)
        reports[login] = (taken, escalated, failure)
    stop.set()
    login, reads, _, failure = results.get(timeout=120)
    reports[login] = (reads, [], failure)
    for process in (*workers, supervisor):
        process.join(timeout=60)
        assert process.exitcode == 0

    failures = {login: failure for login, (_, _, failure) in reports.items() if failure}
    assert failures == {}, "an error reached a person:\n" + "\n".join(failures.values())
    assert reports["supervisor"][0] >= 1
    agent_reports = {login: r for login, r in reports.items() if login != "supervisor"}
    claims = [call_id for taken, _, _ in agent_reports.values() for call_id in taken]
    assert len(claims) == CALLS
    assert Counter(claims).most_common(1)[0][1] == 1, "a call was claimed twice"
    assert sum(bool(taken) for taken, _, _ in agent_reports.values()) >= 2, "no overlap"

    with center.db.read() as session:
        calls = session.exec(select(Call)).all()
        statuses = session.exec(select(AgentStatus)).all()
        escalated = session.exec(select(Escalation.call_id)).all()
        audited = session.exec(
            select(AuditEntry.entity_id).where(AuditEntry.action == "call.take")
        ).all()
        completed = session.exec(
            select(AuditEntry.entity_id).where(AuditEntry.action == "call.complete")
        ).all()
    assert {call.state for call in calls} == {"completed"}
    by_id = {actor.id: actor.login for actor in actors}
    assert all(call.id in agent_reports[by_id[call.agent_id]][0] for call in calls)
    assert sorted(audited) == sorted(str(call_id) for call_id in claims)
    assert sorted(completed) == sorted(str(call_id) for call_id in claims)
    expected_escalations = [call_id for call_id in claims if call_id % ESCALATE_EVERY == 0]
    assert sorted(escalated) == sorted(expected_escalations)
    assert len(expected_escalations) == CALLS // ESCALATE_EVERY
    assert {s.call_id for s in statuses} == {None}, "an agent was left holding a call"
    worked = {actor.id for actor in actors if agent_reports[actor.login][0]}
    assert {s.staff_id for s in statuses if s.state == "available"} == worked

"""The moves on the live queue and the snapshot the screen reads, on a real file."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from svcdesk_tui.core.errors import Conflict, InvalidInput, PermissionDenied
from svcdesk_tui.core.settings import CenterSettings
from svcdesk_tui.models import AgentStatus, AuditEntry, Call, CallState, PresenceLog
from svcdesk_tui.queue import live as queue

from .conftest import MORNING


@pytest.fixture
def desk(center):
    center.support = center.queue("Support")
    gold = center.agreement("Gold", answer_seconds=30, fix_hours=8, priority=1)
    center.ann = center.customer(
        "Ann Smith", phone="+31 20 111", agreement=gold, special="Speaks English only"
    )
    center.bob = center.customer(
        "Bob Jones",
        phone="+31 20 222",
        nuisance=True,
        note="Stay factual; lead takes over if he shouts",
    )
    center.agent = center.staff("alice")
    center.other = center.staff("bert")
    center.lead = center.staff("lena", "lead")
    return center


def enqueue(center, customer=None, seconds_ago=0):
    with center.db.write() as session:
        call = queue.enqueue_call(
            session,
            queue_id=center.support,
            customer_id=customer,
            now=MORNING - timedelta(seconds=seconds_ago),
        )
        return call.id


def test_next_call_is_highest_priority_then_longest_waiting(desk):
    bob_old = enqueue(desk, desk.bob, seconds_ago=90)
    ann_gold = enqueue(desk, desk.ann, seconds_ago=10)  # Gold: priority 1
    unknown = enqueue(desk, None, seconds_ago=60)
    taken = []
    for actor in (desk.agent, desk.other, desk.lead):
        with desk.db.write() as session:
            taken.append(queue.take_call(session, actor, now=MORNING).id)
    assert taken == [ann_gold, bob_old, unknown]
    carl = desk.staff("carl")
    with desk.db.write() as session:
        assert queue.take_call(session, carl, now=MORNING) is None


def test_taking_records_wait_agent_state_and_audit(desk):
    call_id = enqueue(desk, desk.ann, seconds_ago=42)
    with desk.db.write() as session:
        queue.take_call(session, desk.agent, now=MORNING)
    with desk.db.read() as session:
        call = session.get(Call, call_id)
        status = session.get(AgentStatus, desk.agent.id)
        audit = session.exec(select(AuditEntry).where(AuditEntry.action == "call.take")).one()
    assert (call.state, call.agent_id, call.wait_seconds) == (CallState.ON_CALL, desk.agent.id, 42)
    assert (status.state, status.call_id) == ("on_call", call_id)
    assert audit.actor_login == "alice" and audit.entity_id == str(call_id)


def test_a_taken_call_cannot_be_taken_again(desk):
    call_id = enqueue(desk, desk.ann)
    with desk.db.write() as session:
        queue.take_call(session, desk.agent, now=MORNING, call_id=call_id)
    with pytest.raises(Conflict, match="someone else took it"), desk.db.write() as session:
        queue.take_call(session, desk.other, now=MORNING, call_id=call_id)


def test_one_call_at_a_time(desk):
    enqueue(desk, desk.ann)
    enqueue(desk, desk.bob)
    with desk.db.write() as session:
        queue.take_call(session, desk.agent, now=MORNING)
    with pytest.raises(Conflict, match="finish it first"), desk.db.write() as session:
        queue.take_call(session, desk.agent, now=MORNING)


def test_complete_records_talk_wrap_reason_and_outcome(desk, clock):
    call_id = enqueue(desk, desk.ann, seconds_ago=5)
    with desk.db.write() as session:
        queue.take_call(session, desk.agent, now=clock.now())
    clock.advance(180)
    with desk.db.write() as session:
        queue.end_talk(session, desk.agent, now=clock.now())
    clock.advance(45)
    with desk.db.write() as session:
        queue.complete_call(
            session,
            desk.agent,
            queue.Completion("billing", outcome="resolved", note="explained the invoice"),
            now=clock.now(),
        )
    with desk.db.read() as session:
        call = session.get(Call, call_id)
        status = session.get(AgentStatus, desk.agent.id)
    assert (call.state, call.talk_seconds, call.wrap_seconds, call.outcome) == (
        "completed",
        180,
        45,
        "resolved",
    )
    assert call.note == "explained the invoice"
    assert (status.state, status.call_id) == ("available", None)


def test_complete_refuses_unknown_reason_and_outcome_without_changing_anything(desk):
    call_id = enqueue(desk, desk.ann)
    with desk.db.write() as session:
        queue.take_call(session, desk.agent, now=MORNING)
    with pytest.raises(InvalidInput, match="contact reason"), desk.db.write() as session:
        queue.complete_call(
            session, desk.agent, queue.Completion("nope", outcome="resolved"), now=MORNING
        )
    with pytest.raises(InvalidInput, match="outcome"), desk.db.write() as session:
        queue.complete_call(
            session, desk.agent, queue.Completion("billing", outcome="maybe"), now=MORNING
        )
    with desk.db.read() as session:
        assert session.get(Call, call_id).state == CallState.ON_CALL


def test_complete_without_a_call_is_refused(desk):
    with pytest.raises(Conflict, match="no call in progress"), desk.db.write() as session:
        queue.complete_call(
            session, desk.agent, queue.Completion("billing", outcome="resolved"), now=MORNING
        )


def test_pause_and_resume_keep_intervals(desk, clock):
    with desk.db.write() as session:
        queue.log_in(session, desk.agent, now=clock.now())
        queue.pause(session, desk.agent, "break", now=clock.now())
    clock.advance(300)
    with desk.db.write() as session:
        queue.resume(session, desk.agent, now=clock.now())
    with desk.db.read() as session:
        pauses = session.exec(select(PresenceLog).where(PresenceLog.kind == "pause")).all()
        status = session.get(AgentStatus, desk.agent.id)
    assert [(p.reason, (p.ended_at - p.started_at).seconds) for p in pauses] == [("break", 300)]
    assert status.state == "available"
    with pytest.raises(InvalidInput), desk.db.write() as session:
        queue.pause(session, desk.agent, "  ", now=clock.now())


def test_assign_needs_a_lead_and_an_available_agent(desk):
    call_id = enqueue(desk, desk.bob)
    with pytest.raises(PermissionDenied, match="may not assign"), desk.db.write() as session:
        queue.assign_call(session, desk.other, call_id, desk.agent.id, now=MORNING)
    with pytest.raises(Conflict, match="offline, not available"), desk.db.write() as session:
        queue.assign_call(session, desk.lead, call_id, desk.agent.id, now=MORNING)
    with desk.db.write() as session:
        queue.log_in(session, desk.agent, now=MORNING)
        queue.assign_call(session, desk.lead, call_id, desk.agent.id, now=MORNING)
    with desk.db.read() as session:
        assert session.get(Call, call_id).agent_id == desk.agent.id
        assert (
            session.exec(
                select(AuditEntry.actor_login).where(AuditEntry.action == "call.assign")
            ).one()
            == "lena"
        )


def test_an_executive_cannot_take_calls(desk):
    enqueue(desk, desk.ann)
    boss = desk.staff("eva", "executive")
    refusal = "eva \\(executive\\) may not take a call"
    with pytest.raises(PermissionDenied, match=refusal), desk.db.write() as session:
        queue.take_call(session, boss, now=MORNING)


def test_abandon_only_while_waiting(desk):
    call_id = enqueue(desk, desk.ann, seconds_ago=30)
    with desk.db.write() as session:
        assert queue.abandon_call(session, call_id, now=MORNING)
        assert not queue.abandon_call(session, call_id, now=MORNING)
    with desk.db.read() as session:
        call = session.get(Call, call_id)
    assert (call.state, call.wait_seconds) == ("abandoned", 30)


def test_snapshot_shows_waiting_customers_agents_and_kpis(desk):
    for days_ago in (3, 12, 40):  # two within 30 days, one outside
        desk.call(
            desk.support,
            entered=MORNING - timedelta(days=days_ago),
            customer=desk.ann,
            wait=5,
            talk=60,
            wrap=10,
            agent=desk.agent,
        )
    enqueue(desk, desk.ann, seconds_ago=25)
    enqueue(desk, desk.bob, seconds_ago=70)
    desk.shift(desk.other, MORNING - timedelta(hours=2), MORNING + timedelta(hours=6))
    with desk.db.write() as session:
        queue.log_in(session, desk.agent, now=MORNING - timedelta(minutes=10))
    with desk.db.read() as session:
        snap = queue.read_snapshot(session, CenterSettings(), now=MORNING)
    ann, bob = snap.waiting
    assert (ann.customer_name, ann.priority, ann.wait_seconds, ann.calls_recent) == (
        "Ann Smith",
        1,
        25,
        3,
    )
    assert ann.tier == "Gold" and ann.promise == "answer ≤30 s, fix ≤8 h"
    assert ann.special_requests == "Speaks English only"
    assert (bob.nuisance, bob.nuisance_note) == (True, "Stay factual; lead takes over if he shouts")
    board = {row.login: row for row in snap.agents}
    assert board["alice"].state == "available" and board["alice"].in_state_seconds == 600
    assert board["bert"].state == "offline"  # on shift but not logged in
    assert "lena" not in board
    assert snap.longest_wait_by_queue == {"Support": 70}
    support = snap.kpis[0]
    assert (support.offered, support.answered) == (2, 0)

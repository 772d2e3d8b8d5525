"""A desk that stops answering does not leave its agent logged in or on a call."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlmodel import Session, select
from typer.testing import CliRunner

from svcdesk_tui.cli import app
from svcdesk_tui.models import AgentStatus, AuditEntry, Call, PresenceLog
from svcdesk_tui.people import presence
from svcdesk_tui.queue import live as queue

from .conftest import MORNING


def status_of(center, actor) -> AgentStatus:  # type: ignore[no-untyped-def]
    with center.db.read() as session:
        return session.get_one(AgentStatus, actor.id)


def test_a_stale_agent_on_a_call_is_logged_out_and_the_call_ends(center, clock):
    support = center.queue("Support")
    ann, bob = center.staff("ann"), center.staff("bob")
    with center.db.write() as session:
        queue.enqueue_call(session, queue_id=support, now=MORNING - timedelta(seconds=30))
        queue.log_in(session, ann, now=MORNING)
        queue.log_in(session, bob, now=MORNING)
    clock.advance(10)
    with center.db.write() as session:
        call_id = queue.take_call(session, ann, now=clock.now()).id  # answered at 10:00:10
    clock.advance(50)
    with center.db.write() as session:  # 10:01:00: both still there
        assert presence.heartbeat(session, ann.id, now=clock.now())
        assert presence.heartbeat(session, bob.id, now=clock.now())
    clock.advance(60)
    with center.db.write() as session:  # 10:02:00: only bob's desk still beats
        presence.heartbeat(session, bob.id, now=clock.now())
    clock.advance(100)  # 10:03:40: ann silent for 160 s, bob for 100 s
    with center.db.write() as session:
        cleared = presence.clear_stale(session, now=clock.now(), after_seconds=120)

    assert [(c.login, c.state, c.call_id) for c in cleared] == [("ann", "on_call", call_id)]
    assert status_of(center, ann).state == "offline"
    assert status_of(center, bob).state == "available"
    with center.db.read() as session:
        call = session.get_one(Call, call_id)
        sessions = session.exec(select(PresenceLog).where(PresenceLog.staff_id == ann.id)).all()
        audit = session.exec(select(AuditEntry).where(AuditEntry.action == "presence.stale")).all()
    # answered 10:00:10, last heartbeat 10:01:00: 50 s of talk, ended then
    assert (call.state, call.end_reason, call.talk_seconds, call.wrap_seconds) == (
        "completed",
        "disconnected",
        50,
        0,
    )
    assert call.ended_at == MORNING + timedelta(seconds=60)
    assert [s.ended_at for s in sessions] == [MORNING + timedelta(seconds=60)]
    assert [a.entity_id for a in audit] == [str(ann.id)]


def test_rows_without_a_heartbeat_belong_to_the_pbx_and_are_left_alone(center, clock):
    ann = center.staff("ann")
    with center.db.write() as session:
        session.add(AgentStatus(staff_id=ann.id, state="available", since=MORNING))
    clock.advance(hours=5)
    with center.db.write() as session:
        assert presence.clear_stale(session, now=clock.now(), after_seconds=120) == []
    assert status_of(center, ann).state == "available"


def test_a_cleared_agent_gets_no_heartbeat_and_logs_in_again_by_taking_a_call(center, clock):
    support = center.queue("Support")
    ann = center.staff("ann")
    with center.db.write() as session:
        queue.log_in(session, ann, now=MORNING)
    clock.advance(300)
    with center.db.write() as session:
        presence.clear_stale(session, now=clock.now(), after_seconds=120)
        assert presence.heartbeat(session, ann.id, now=clock.now()) is False
        queue.enqueue_call(session, queue_id=support, now=clock.now())
    with center.db.write() as session:
        assert queue.take_call(session, ann, now=clock.now()) is not None
    assert status_of(center, ann).state == "on_call"


def test_presence_tick_reports_who_it_logged_out(center, clock):
    ann = center.staff("ann")
    long_ago = MORNING - timedelta(hours=1)
    with center.db.write() as session:
        queue.log_in(session, ann, now=long_ago)
    result = CliRunner().invoke(app, ["presence", "tick", "--db", center.db.where])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ann: available → offline (last seen 2026-01-05 09:00:00 UTC")
    again = CliRunner().invoke(app, ["presence", "tick", "--db", center.db.where])
    assert (again.exit_code, again.output) == (0, "")


def test_heartbeats_come_four_times_within_the_limit():
    assert presence.heartbeat_interval(120) == 30
    assert presence.heartbeat_interval(8) == 2
    assert presence.heartbeat_interval(600) == 30


def test_two_desks_logging_one_agent_in_at_once_share_her_first_status_row(center):
    """Her first status row is written by the desk that gets there first; the other desk,
    whose write overlapped (on PostgreSQL it waited on the same key), finds it."""
    ann = center.staff("ann")
    first = Session(center.db.engine)  # one desk's log-in, not yet committed
    presence.log_in(first, ann, client="desk-1", now=MORNING)
    first.flush()
    errors: list[Exception] = []

    def second_desk() -> None:
        try:
            with center.db.write() as session:
                presence.log_in(session, ann, client="desk-2", now=MORNING)
        except Exception as error:  # what the desk would have shown
            errors.append(error)

    desk = threading.Thread(target=second_desk)
    desk.start()
    desk.join(0.5)  # it waits for the first desk's row
    first.commit()
    first.close()
    desk.join(60)
    assert errors == []
    status = status_of(center, ann)
    assert (status.state, status.client) == ("available", "desk-2")
    with center.db.read() as session:
        sessions = session.exec(select(PresenceLog).where(PresenceLog.staff_id == ann.id)).all()
    assert len(sessions) == 1

"""The agent view: an agent at 80x24 with keys only, and what their role keeps from them."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from svcdesk_tui.app import SvcDeskApp
from svcdesk_tui.core.settings import save_setting
from svcdesk_tui.models import AgentStatus, AuditEntry
from svcdesk_tui.queue import live as queue

from .conftest import MORNING
from .pilot import cells, until


def agent_desk(center, actor) -> SvcDeskApp:  # type: ignore[no-untyped-def]
    return SvcDeskApp(center.db, actor, clock=center.clock, refresh_seconds=0.2, agent_mode=True)


def state_of(center, actor) -> str | None:  # type: ignore[no-untyped-def]
    with center.db.read() as session:
        status = session.get(AgentStatus, actor.id)
    return status.state if status else None


async def test_an_agent_sees_only_their_own_row_and_is_refused_the_caribbean_view(center):
    center.queue("Support")
    ann = center.staff("ann", name="Ann Ames")
    bob = center.staff("bob", name="Bob Berg")
    with center.db.write() as session:
        queue.log_in(session, bob, now=MORNING)
    desk = agent_desk(center, ann)
    async with desk.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: state_of(center, ann) == "available")
        await until(pilot, lambda: [row["Agent"] for row in cells(desk, "#agents")] == ["Ann Ames"])
        await pilot.press("4")
        await until(pilot, lambda: any("may not see the Caribbean test" in str(n.message)
                                       for n in desk._notifications))  # fmt: skip
        assert desk.current_mode == "queue"
    with center.db.read() as session:
        refused = session.exec(
            select(AuditEntry.actor_login, AuditEntry.entity_id).where(
                AuditEntry.action == "permission.refused"
            )
        ).all()
    assert [tuple(row) for row in refused] == [("ann", "view_caribbean")]


async def test_the_agent_view_sweeps_away_a_desk_that_stopped_beating(center, clock):
    center.queue("Support")
    ann, bob = center.staff("ann"), center.staff("bob")
    with center.db.write() as session:
        save_setting(session, "stale_presence_seconds", 2)
        queue.log_in(session, bob, now=MORNING - timedelta(minutes=5))  # bob's desk died long ago
    desk = agent_desk(center, ann)
    async with desk.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: state_of(center, bob) == "offline")
        # her own log-in and the sweep are two writes that take turns: either may go first
        await until(pilot, lambda: state_of(center, ann) == "available")
        assert state_of(center, bob) == "offline"

"""The Queue screen driven like a supervisor and an agent would, keys and all."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlmodel import select

from svcdesk_tui.core.db import Database
from svcdesk_tui.models import AgentStatus, AuditEntry, Call, ContactReason
from svcdesk_tui.queue import live as queue
from svcdesk_tui.screens.common.choice import ChoiceScreen
from svcdesk_tui.screens.queue.customer_card import CustomerCardScreen
from svcdesk_tui.screens.queue.wrap_up import WrapUpScreen

from . import pilot
from .conftest import MORNING
from .pilot import cells, until


@pytest.fixture
def floor(center):
    center.support = center.queue("Support", threshold=20, target=0.8)
    gold = center.agreement("Gold", answer_seconds=30, fix_hours=8, priority=1)
    center.ann = center.customer(
        "Ann Smith", phone="+31 20 111", agreement=gold, special="Speaks English only"
    )
    center.bob = center.customer(
        "Bob Jones", phone="+31 20 222", nuisance=True, note="Stay factual"
    )
    center.manager = center.staff("mvos", "manager", name="Mara Vos")
    center.alice = center.staff("alice", name="Alice Ames")
    center.call(
        center.support,
        entered=MORNING - timedelta(days=2),
        customer=center.ann,
        wait=4,
        talk=120,
        wrap=30,
        agent=center.alice,
        reason="billing",
    )
    with center.db.write() as session:
        for customer, ago in ((center.bob, 95), (center.ann, 12)):
            queue.enqueue_call(
                session,
                queue_id=center.support,
                customer_id=customer,
                now=MORNING - timedelta(seconds=ago),
            )
    return center


def desk_for(center, actor, refresh=0.1):
    """A desk that re-reads the store ten times a second unless told otherwise."""
    return pilot.desk_for(center, actor, refresh=refresh)


async def test_supervisor_sees_queue_priority_flags_and_kpis(floor):
    app = desk_for(floor, floor.manager)
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: len(cells(app, "#waiting")) == 2)
        first, second = cells(app, "#waiting")
        assert first["Customer"] == "Ann Smith"  # Gold: priority first
        assert first["Agreement"] == "Gold: answer ≤30 s, fix ≤8 h"
        assert first["30d"] == "2" and first["Special requests"] == "Speaks English only"
        assert second["Customer"] == "Bob Jones" and second["Flag"] == "NUISANCE"
        assert second["Wait"] == "1:35 late"  # past the 20 s threshold, said in words
        support = next(row for row in cells(app, "#kpis") if row["Queue"] == "Support")
        assert support["In"] == "2" and support["Max wait"] == "1:35"
        assert "Mara Vos" in str(app.screen.query_one("#me").render())


async def test_enter_opens_the_customer_card_with_history(floor):
    app = desk_for(floor, floor.manager)
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: len(cells(app, "#waiting")) == 2)
        await pilot.press("enter")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, CustomerCardScreen)
                and "Ann Smith" in str(app.screen.query_one("#card-title").render())
            ),
        )
        facts = str(app.screen.query_one("#card-facts").render())
        assert "Gold" in facts and "Speaks English only" in facts
        assert "Calls in the last 30 days: 2" in facts
        history = app.screen.query_one("#card-calls")
        assert history.row_count == 2
        await pilot.press("escape")
        assert not isinstance(app.screen, CustomerCardScreen)


async def test_lead_assigns_a_waiting_call_to_an_available_agent(floor):
    with floor.db.write() as session:
        queue.log_in(session, floor.alice, now=MORNING)
    app = desk_for(floor, floor.manager)
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: len(cells(app, "#waiting")) == 2)
        await pilot.press("down", "a")  # Bob, the longest waiting non-priority call
        await until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("enter")  # the only available agent: Alice
        await until(pilot, lambda: len(cells(app, "#waiting")) == 1)
        agents = cells(app, "#agents")
        assert {
            "Agent": "Alice Ames",
            "State": "on call",
            "For": "0:00",
            "Caller": "Bob Jones",
            "Queue": "Support",
        } in agents
    with floor.db.read() as session:
        bob_call = session.exec(select(Call).where(Call.customer_id == floor.bob)).one()
    assert (bob_call.state, bob_call.agent_id) == ("on_call", floor.alice.id)


async def test_agent_takes_completes_and_pauses(floor):
    app = desk_for(floor, floor.alice)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: [row["State"] for row in cells(app, "#agents")] == ["available"])
        assert not app.screen.check_action("assign", ())  # agents do not assign
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, CustomerCardScreen))
        await until(pilot, lambda: "Ann Smith" in str(app.screen.query_one("#card-title").render()))
        await pilot.press("escape")
        await until(pilot, lambda: "on call" in str(app.screen.query_one("#me").render()))
        assert cells(app, "#agents") == [
            {
                "Agent": "Alice Ames",
                "State": "on call",
                "For": "0:00",
                "Caller": "Ann Smith",
                "Queue": "Support",
            }
        ]

        floor.clock.advance(200)
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, WrapUpScreen))
        await pilot.press("enter", "down", "enter")  # open the reason list, pick the first
        await pilot.press("tab", "down", "space")  # outcome: not solved
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "available" in str(app.screen.query_one("#me").render()))

        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("enter")  # Break
        await until(pilot, lambda: "paused: break" in str(app.screen.query_one("#me").render()))
        await pilot.press("p")
        await until(pilot, lambda: "available" in str(app.screen.query_one("#me").render()))

    with floor.db.read() as session:
        call = session.exec(
            select(Call).where(
                Call.customer_id == floor.ann, Call.state == "completed", Call.talk_seconds == 200
            )
        ).one()
        reason = session.get(ContactReason, call.reason_id)
        status = session.get(AgentStatus, floor.alice.id)
    assert (reason.code, call.outcome) == ("billing", "unresolved")
    assert status.state == "available"


async def test_agent_sees_only_their_own_row(floor):
    other = floor.staff("bert")
    with floor.db.write() as session:
        queue.log_in(session, other, now=MORNING)
    app = desk_for(floor, floor.alice)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: len(cells(app, "#agents")) == 1)
        assert cells(app, "#agents")[0]["Agent"] == "Alice Ames"


async def test_changes_from_another_process_show_within_two_seconds(floor):
    app = desk_for(floor, floor.manager, refresh=1.0)
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: len(cells(app, "#waiting")) == 2)
        other = Database.open(floor.db.where)  # another process's connection
        with other.write() as session:
            queue.enqueue_call(
                session, queue_id=floor.support, now=MORNING, caller_number="+31 6 999"
            )
        other.close()
        started = time.monotonic()
        await until(pilot, lambda: len(cells(app, "#waiting")) == 3, timeout=2.0)
        assert time.monotonic() - started < 2.0
        assert cells(app, "#waiting")[2]["Caller"] == "+31 6 999"


async def test_breach_is_said_in_words(floor):
    for wait in (60, 70, 80):
        floor.call(floor.support, entered=MORNING - timedelta(hours=1), wait=wait, talk=60, wrap=0)
    app = desk_for(floor, floor.manager)
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: len(cells(app, "#kpis")) == 2)
        support = next(row for row in cells(app, "#kpis") if row["Queue"] == "Support")
        assert support["SL vs target"] == "0% <80% BREACH"


async def test_filter_narrows_the_waiting_list(floor):
    app = desk_for(floor, floor.manager)
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: len(cells(app, "#waiting")) == 2)
        await pilot.press("slash", *"bob")
        await until(pilot, lambda: len(cells(app, "#waiting")) == 1)
        assert cells(app, "#waiting")[0]["Customer"] == "Bob Jones"
        await pilot.press("enter", "escape")
        await until(pilot, lambda: len(cells(app, "#waiting")) == 2)


def footer_keys(app) -> str:
    return " ".join(str(key.render()) for key in app.screen.query("FooterKey"))


async def test_the_footer_shows_the_keys_that_work_where_the_focus_is(floor):
    """In the filter box letters type text, so their keys leave the footer until Escape."""
    app = desk_for(floor, floor.manager)
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: "Take next" in footer_keys(app))
        assert "Filter" in footer_keys(app) and "Quit" in footer_keys(app)
        await pilot.press("slash")
        await until(pilot, lambda: "Take next" not in footer_keys(app))
        assert "Quit" not in footer_keys(app)
        await pilot.press("escape")
        await until(pilot, lambda: "Take next" in footer_keys(app))
        assert "Quit" in footer_keys(app)


async def test_a_key_the_role_may_not_use_is_hidden_and_explained(floor):
    """Agents do not assign calls: no 'Assign' in the footer, and `a` says why and is audited."""
    app = desk_for(floor, floor.alice)
    async with app.run_test(size=(140, 30)) as pilot:
        await until(pilot, lambda: len(cells(app, "#waiting")) == 2)
        footer = footer_keys(app)
        assert "Assign" not in footer and "Take next" in footer
        await pilot.press("a")
        await until(pilot, lambda: any("may not assign" in n.message for n in app._notifications))
        assert not isinstance(app.screen, ChoiceScreen)
    with floor.db.read() as session:
        refused = session.exec(
            select(AuditEntry).where(AuditEntry.action == "permission.refused")
        ).all()
    assert [(entry.actor_login, entry.entity_id) for entry in refused] == [("alice", "assign_call")]

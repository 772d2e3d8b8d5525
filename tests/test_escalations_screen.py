"""The Escalations screen driven with keys: an agent escalates, the lead passes it up,
the manager resolves it; another climbs by itself while the desk is open."""

from __future__ import annotations

from functools import partial

import pytest
from sqlmodel import select

from svcdesk_tui.escalations import moves as esc
from svcdesk_tui.models import Escalation, EscalationEvent
from svcdesk_tui.queue import live as queue
from svcdesk_tui.screens.escalations.detail import EscalationDetailScreen
from svcdesk_tui.screens.escalations.forms import NoteFormScreen, RaiseEscalationScreen
from svcdesk_tui.screens.escalations.screen import EscalationsScreen
from svcdesk_tui.screens.queue.customer_card import CustomerCardScreen

from .conftest import MORNING
from .escalation_helpers import build_floor
from .pilot import desk_for, until


@pytest.fixture
def floor(center):
    floor = build_floor(center)
    floor.bob = floor.customer("Bob Jones", phone="+31 20 222")
    with floor.db.write() as session:  # Alice is logged in and takes Bob's call
        queue.enqueue_call(session, queue_id=floor.support, customer_id=floor.bob, now=MORNING)
        queue.log_in(session, floor.alice, now=MORNING)
        floor.bob_call = queue.take_call(session, floor.alice, now=MORNING).id
    return floor


def escalation_rows(app):
    """The Escalations table as shown: a list of cell texts per row."""
    if not isinstance(app.screen, EscalationsScreen):
        return []
    table = app.screen.query_one("#escalations")
    return [[str(cell) for cell in table.get_row(key)] for key in table.keys]


def inbox_read(app):
    return isinstance(app.screen, EscalationsScreen) and app.screen.inbox is not None


async def type_text(pilot, text):
    await pilot.press(*["space" if ch == " " else ch for ch in text])


async def test_agent_to_lead_to_manager_resolution(floor):
    app = desk_for(floor, floor.alice)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "on call" in str(app.screen.query_one("#me").render()))
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, RaiseEscalationScreen))
        await type_text(pilot, "refund")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, RaiseEscalationScreen))
        await pilot.press("2")
        await until(pilot, lambda: len(escalation_rows(app)) == 1)
        row = escalation_rows(app)[0]
        assert row[:6] == [
            "yours",
            "Shift lead",
            "0:00 / 30:00 in time",
            "Bob Jones",
            "4/5",
            "waiting",
        ]
        assert row[6] == "refund"
        assert not app.screen.check_action("accept", ())  # agents raise; they do not handle
    with floor.db.read() as session:
        eid = session.exec(select(Escalation.id)).one()

    floor.clock.advance(minutes=10)
    app = desk_for(floor, floor.lena)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await until(pilot, lambda: len(escalation_rows(app)) == 1)
        assert escalation_rows(app)[0][2] == "10:00 / 30:00 in time"
        await pilot.press("a")
        await until(pilot, lambda: escalation_rows(app)[0][5] == "accepted")
        assert escalation_rows(app)[0][8] == "Lena Lead"
        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, NoteFormScreen))
        await type_text(pilot, "boss")
        await pilot.press("enter")
        await until(
            pilot, lambda: escalation_rows(app) and escalation_rows(app)[0][1] == "Service manager"
        )
        assert escalation_rows(app)[0][0] == ""  # no longer in the lead's own inbox

    floor.clock.advance(minutes=5)
    app = desk_for(floor, floor.mara)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await until(pilot, lambda: len(escalation_rows(app)) == 1)
        assert escalation_rows(app)[0][:3] == ["yours", "Service manager", "5:00 / 1:00:00 in time"]
        await pilot.press("enter")
        await until(
            pilot, lambda: isinstance(app.screen, EscalationDetailScreen) and app.screen.story
        )
        story = app.screen.query_one("#esc-events")
        whats = [str(story.get_row_at(i)[1]) for i in range(story.row_count)]
        assert whats == ["raised", "accepted", "escalated further"]
        assert "Bob Jones" in str(app.screen.query_one("#esc-detail-title").render())
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, NoteFormScreen))
        await type_text(pilot, "paid")
        await pilot.press("enter")
        await type_text(pilot, "3 days")
        await pilot.press("enter")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, EscalationDetailScreen)
                and app.screen.story.row.state == "resolved"
            ),
        )
        facts = str(app.screen.query_one("#esc-facts").render())
        assert "Resolution: paid" in facts and "Promised: 3 days" in facts
        await pilot.press("escape")
        await until(
            pilot, lambda: isinstance(app.screen, EscalationsScreen) and not escalation_rows(app)
        )
        await pilot.press("h")  # resolved ones too
        await until(pilot, lambda: len(escalation_rows(app)) == 1)
        assert escalation_rows(app)[0][2] == "resolved"
        assert escalation_rows(app)[0][8] == "Mara Vos"
    with floor.db.read() as session:
        done = session.get(Escalation, eid)
        kinds = session.exec(
            select(EscalationEvent.kind).where(EscalationEvent.escalation_id == eid)
        ).all()
    assert (done.state, done.level_rank, done.resolved_by_id) == ("resolved", 3, floor.mara.id)
    assert kinds == ["raised", "accepted", "escalated", "accepted", "resolved"]


async def test_not_accepted_in_time_it_climbs_by_itself_while_the_desk_is_open(floor):
    with floor.db.write() as session:
        eid = esc.raise_escalation(
            session,
            floor.alice,
            now=MORNING,
            reason="no answer for a week",
            anger=5,
            call_id=floor.bob_call,
        ).id
    app = desk_for(floor, floor.mara, refresh=0.2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await until(pilot, lambda: len(escalation_rows(app)) == 1)
        first = escalation_rows(app)[0]
        assert [first[i] for i in (0, 1, 2, 5)] == [
            "",
            "Shift lead",
            "0:00 / 30:00 in time",
            "waiting",
        ]
        floor.clock.advance(minutes=25)
        await until(pilot, lambda: escalation_rows(app)[0][2] == "25:00 / 30:00 at risk")
        floor.clock.advance(minutes=5)  # the lead's 30 minutes are up: no sleeping, just time
        await until(pilot, lambda: escalation_rows(app)[0][1] == "Service manager")
        row = escalation_rows(app)[0]
        assert [row[i] for i in (0, 1, 2, 5)] == [
            "yours",
            "Service manager",
            "0:00 / 1:00:00 in time",
            "waiting (climbed by itself)",
        ]
        floor.clock.advance(hours=1)
        await until(pilot, lambda: "EXECUTIVE" in escalation_rows(app)[0][1])
        assert escalation_rows(app)[0][1] == "EXECUTIVE — counted failure"
        level_cell = app.screen.query_one("#escalations").get_row(str(eid))[1]
        assert "red" in str(level_cell.style)
        summary = str(app.screen.query_one("#esc-summary").render())
        assert "1 at the executive (counted failure)" in summary
    with floor.db.read() as session:
        kinds = session.exec(
            select(EscalationEvent.kind, EscalationEvent.actor_id).where(
                EscalationEvent.escalation_id == eid
            )
        ).all()
    assert kinds == [("raised", floor.alice.id), ("auto_escalated", None), ("auto_escalated", None)]


async def test_each_sees_their_own_and_measures_are_for_leads_and_up(floor):
    carls_call = floor.call(
        floor.support,
        entered=MORNING,
        state="on_call",
        wait=3,
        customer=floor.ann,
        agent=floor.carl,
    )
    with floor.db.write() as session:
        esc.raise_escalation(
            session, floor.alice, now=MORNING, reason="alice's", anger=3, call_id=floor.bob_call
        )
        esc.raise_escalation(
            session, floor.carl, now=MORNING, reason="carl's", anger=3, call_id=carls_call
        )
    for actor, reasons in (  # who else sees what: tests/test_escalation_service.py
        (floor.alice, ["alice's"]),
        (floor.mara, ["alice's", "carl's"]),
    ):
        app = desk_for(floor, actor)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("2")
            await until(pilot, partial(inbox_read, app))
            assert sorted(row[6] for row in escalation_rows(app)) == reasons
            measures = app.screen.query_one("#esc-measures")
            assert measures.display == (actor.role != "agent")
            if actor is floor.mara:
                text = str(measures.render())
                assert (
                    "Last 30 days: 2 escalations" in text
                    and "Reached the executive: 0 (target 0)" in text
                )


async def test_escalate_from_the_customer_card(floor):
    app = desk_for(floor, floor.lena)
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(CustomerCardScreen(floor.ann))
        await until(pilot, lambda: getattr(app.screen, "customer_name", None) == "Ann Smith")
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, RaiseEscalationScreen))
        await type_text(pilot, "leaving")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: raised_count(floor) == 1)
    with floor.db.read() as session:
        raised = session.exec(select(Escalation)).one()
    assert (raised.customer_id, raised.level_rank, raised.call_id) == (floor.ann, 3, None)


def raised_count(floor):
    with floor.db.read() as session:
        return len(session.exec(select(Escalation.id)).all())

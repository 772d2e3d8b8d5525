"""Completing a call into each outcome, and dispatching a technician, as an agent would."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from svcdesk_tui.models import Call, CallRouting, Lead, ServiceTicket, Visit
from svcdesk_tui.screens.queue.wrap_up import WrapUpScreen
from svcdesk_tui.screens.service_desk.dispatch import DispatchScreen

from .conftest import MORNING
from .pilot import cells, desk_for, until
from .service_desk_helpers import build_service_desk, on_call


@pytest.fixture
def desk(center):
    return build_service_desk(center)


def me(app) -> str:
    """The agent's own status line, or nothing while a dialog is on top."""
    found = app.screen.query("#me")
    return str(found.first().render()) if found else ""


def typed(text: str) -> list[str]:
    """The keys that type ``text``."""
    return ["space" if char == " " else char for char in text]


async def open_wrap_up(app, pilot, desk) -> None:
    await until(pilot, lambda: "on call" in me(app))
    desk.clock.advance(240)
    await pilot.press("c")
    await until(pilot, lambda: isinstance(app.screen, WrapUpScreen))
    await pilot.press("enter", "down", "enter")  # the first contact reason
    await pilot.press("tab")  # to the outcomes


def the_call(desk) -> tuple[Call, CallRouting | None, list[Lead]]:
    with desk.db.read() as session:
        call = session.get(Call, desk.ann_call)
        routing = session.get(CallRouting, desk.ann_call)
        leads = list(session.exec(select(Lead)))
    return call, routing, leads


@pytest.mark.parametrize(
    ("downs", "route", "mode", "outcome"),
    [
        (0, "solved", None, "resolved"),
        (1, "expert", "on_line", "unresolved"),
        (2, "expert", "call_back", "unresolved"),
    ],
)
async def test_completing_a_call_records_where_it_went(desk, downs, route, mode, outcome):
    app = desk_for(desk, desk.alice)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_wrap_up(app, pilot, desk)
        if downs:
            await pilot.press(*["down"] * downs, "space")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "available" in me(app))
    call, routing, leads = the_call(desk)
    assert (call.state, call.outcome, call.talk_seconds) == ("completed", outcome, 240)
    assert (routing.route, routing.expert_mode, routing.agent_id) == (route, mode, desk.alice.id)
    assert leads == []


async def test_passing_a_need_to_sales_makes_a_lead(desk):
    app = desk_for(desk, desk.alice)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_wrap_up(app, pilot, desk)
        await pilot.press("down", "down", "down", "down", "space")  # passed to sales
        await pilot.press("ctrl+s")  # refused: sales must be told something
        await pilot.pause(0.2)
        assert isinstance(app.screen, WrapUpScreen)
        await pilot.press(*typed("wants a second boiler"))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "available" in me(app))
    call, routing, leads = the_call(desk)
    assert (call.outcome, routing.route) == ("resolved", "sales")
    assert [(lead.customer_id, lead.agent_id, lead.call_id, lead.text) for lead in leads] == [
        (desk.ann, desk.alice.id, desk.ann_call, "wants a second boiler")
    ]


def names(app) -> list[str]:
    return [row["Technician"] for row in cells(app, "#technicians")]


async def test_dispatch_shows_only_skilled_free_technicians_and_opens_a_ticket(desk):
    app = desk_for(desk, desk.alice)
    async with app.run_test(size=(140, 50)) as pilot:
        await open_wrap_up(app, pilot, desk)
        await pilot.press("down", "down", "down", "space")  # technician dispatch
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, DispatchScreen))
        promise = app.screen.query_one("#promise")
        await until(pilot, lambda: "Gold" in str(promise.render()))
        assert "on site within 4 h, fixed within 8 h" in str(promise.render())
        assert app.screen.query_one("#visit-at").value == "2026-01-05 11:00"

        await pilot.press("enter", "down", "enter")  # fault type: Boiler leak (first)
        await until(pilot, lambda: names(app) == ["Sam Senior", "Tina Tech"])
        assert cells(app, "#technicians")[0]["Level"] == "senior (O)"

        await pilot.press("tab", *typed("water under the boiler"))
        await pilot.press("tab", "tab", "tab", "space")  # senior technician required
        await until(pilot, lambda: names(app) == ["Sam Senior"])
        await pilot.press("space")  # any technician will do again
        await until(pilot, lambda: names(app) == ["Sam Senior", "Tina Tech"])

        await pilot.press("shift+tab", "end", "ctrl+u", *typed("2026-01-05 14:00"))
        await until(pilot, lambda: names(app) == ["Sam Senior", "Bea Busy", "Tina Tech"])
        await pilot.press("ctrl+u", *typed("2026-01-05 15:00"))  # 2 h past the shifts' end
        await until(pilot, lambda: names(app) == [])
        assert "Nobody with the skill is free" in str(app.screen.query_one("#free-note").render())
        await pilot.press("ctrl+u", *typed("11:00"))

        await until(pilot, lambda: names(app) == ["Sam Senior", "Tina Tech"])
        await pilot.press("tab", "tab", *typed("ladder"), "tab", "down", "enter")  # Tina
        await until(pilot, lambda: "available" in me(app))

    call, routing, _ = the_call(desk)
    assert (call.outcome, routing.route) == ("unresolved", "dispatch")
    with desk.db.read() as session:
        ticket = session.exec(select(ServiceTicket).where(ServiceTicket.call_id == call.id)).one()
        visit = session.exec(select(Visit).where(Visit.ticket_id == ticket.id)).one()
    assert (ticket.customer_id, ticket.fault_type_id) == (desk.ann, desk.boiler)
    assert (ticket.fault, ticket.equipment, ticket.senior_required) == (
        "water under the boiler",
        "ladder",
        False,
    )
    assert (ticket.promised_response_hours, ticket.promised_fix_hours) == (4, 8)
    assert visit.technician_id == desk.tina.id
    assert (visit.planned_at, visit.planned_until) == (
        MORNING + timedelta(hours=1),
        MORNING + timedelta(hours=3),
    )


async def test_no_dispatch_for_a_caller_nobody_identified(desk):
    carl = desk.staff("carl", name="Carl Cole")
    anonymous = on_call(desk, carl, None)
    app = desk_for(desk, carl)
    async with app.run_test(size=(140, 50)) as pilot:
        await open_wrap_up(app, pilot, desk)
        await pilot.press("down", "down", "down", "space", "ctrl+s")  # technician dispatch
        await until(pilot, lambda: isinstance(app.screen, DispatchScreen))
        promise = app.screen.query_one("#promise")
        await until(pilot, lambda: "Caller not identified" in str(promise.render()))
        await pilot.press("ctrl+s")
        await pilot.pause(0.2)
        assert isinstance(app.screen, DispatchScreen)  # refused, in words
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, WrapUpScreen))
        await pilot.press("escape")
        await until(pilot, lambda: "wrap" in me(app))
    with desk.db.read() as session:
        assert session.get(Call, anonymous).state == "wrap_up"
        assert (
            session.exec(select(ServiceTicket).where(ServiceTicket.call_id == anonymous)).first()
            is None
        )

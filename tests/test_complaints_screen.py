"""The Complaints desk driven with keys: open during a call, resolve, call back, close."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from svcdesk_tui.complaints import feedback
from svcdesk_tui.complaints import lifecycle as complaints
from svcdesk_tui.core.settings import CenterSettings
from svcdesk_tui.models import Compensation, Complaint, ComplaintClosure, Feedback
from svcdesk_tui.queue import live as queue
from svcdesk_tui.screens.complaints.forms import (
    AttemptScreen,
    CompensationScreen,
    DecisionScreen,
    NoteScreen,
    OpenComplaintScreen,
    ResolveScreen,
)
from svcdesk_tui.screens.complaints.screen import ComplaintsScreen
from svcdesk_tui.screens.queue.customer_card import CustomerCardScreen

from . import pilot
from .conftest import MORNING
from .pilot import rows as cells
from .pilot import until

SETTINGS = CenterSettings()
REFRESH = 0.5


@pytest.fixture
def floor(center):
    center.support = center.queue("Support")
    center.ann = center.customer("Ann Smith", phone="+31 20 111")
    center.alice = center.staff("alice", name="Alice Ames", limit_cents=5000)
    center.lena = center.staff("lena", "lead", name="Lena Lind", limit_cents=50000)
    center.mara = center.staff("mara", "manager", name="Mara Vos", limit_cents=100000)
    return center


def on_call(center, actor, customer):
    """Put ``actor`` on a live call with ``customer``; returns the call id."""
    with center.db.write() as session:
        queue.log_in(session, actor, now=MORNING)
        queue.enqueue_call(session, queue_id=center.support, customer_id=customer, now=MORNING)
        return queue.take_call(session, actor, now=MORNING).id


def a_complaint(center, actor, *, state="open", failed=0):
    with center.db.write() as session:
        row = complaints.open_complaint(
            session, actor, SETTINGS, now=MORNING, customer_id=center.ann, category="Billing error"
        )
        if state != "open":
            complaints.resolve(session, actor, row.id, SETTINGS, now=MORNING)
        for _ in range(failed):
            complaints.log_attempt(session, actor, row.id, "no_answer", now=MORNING)
        if state == "closed":
            complaints.confirm(session, actor, row.id, now=MORNING)
        return row.id


def stored(center, model, ident):
    with center.db.read() as session:
        return session.get(model, ident)


def desk_for(center, actor):
    return pilot.desk_for(center, actor, refresh=REFRESH)


async def to_complaints(pilot, app, rows):
    await pilot.press("3")
    await until(
        pilot,
        lambda: isinstance(app.screen, ComplaintsScreen) and len(cells(app, "#complaints")) == rows,
    )


def notes(app):
    return [n.message for n in app._notifications]


async def test_from_a_call_to_a_confirmed_close(floor):
    call_id = on_call(floor, floor.alice, floor.ann)
    app = desk_for(floor, floor.alice)
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: "on call" in str(app.screen.query_one("#me").render()))
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, OpenComplaintScreen))
        await pilot.press("enter", "down", "enter")  # the first category: Billing error
        await pilot.press("tab", *"twice", "ctrl+s")
        await to_complaints(pilot, app, 1)
        row = cells(app, "#complaints")[0]
        assert row[1:4] == ["open", "Ann Smith", "Billing error"]

        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ResolveScreen))
        await pilot.press("ctrl+s")  # Alice calls back herself
        await until(pilot, lambda: cells(app, "#complaints")[0][1] == "awaiting, due 01-07 10:00")
        assert cells(app, "#complaints")[0][4:6] == ["Alice Ames", "0/3 failed"]

        floor.clock.advance(hours=50)
        await until(pilot, lambda: cells(app, "#complaints")[0][1] == "OVERDUE 2h 0m")
        await pilot.press("l")
        await until(pilot, lambda: isinstance(app.screen, AttemptScreen))
        await pilot.press("down", "down", "enter", "ctrl+s")  # no answer
        await until(pilot, lambda: cells(app, "#complaints")[0][5] == "1/3 failed")

        await pilot.press("c")
        await until(pilot, lambda: cells(app, "#complaints") == [])
        quality = str(app.screen.query_one("#desk-quality").render())
        assert "loop closed 100%  unconfirmed 0%  reopened 0%" in quality  # 1 resolved, confirmed
    with floor.db.read() as session:
        complaint = session.exec(select(Complaint)).one()
        closure = session.exec(select(ComplaintClosure)).one()
    assert (complaint.state, complaint.call_id, complaint.description) == (
        "closed",
        call_id,
        "twice",
    )
    assert (closure.kind, closure.void) == ("confirmed", False)


async def test_not_solved_reopens(floor):
    cid = a_complaint(floor, floor.alice, state="awaiting")
    app = desk_for(floor, floor.alice)
    async with app.run_test(size=(120, 36)) as pilot:
        await to_complaints(pilot, app, 1)
        await pilot.press("l")
        await until(pilot, lambda: isinstance(app.screen, AttemptScreen))
        await pilot.press("down", "enter", "tab", *"no", "ctrl+s")
        await until(pilot, lambda: cells(app, "#complaints")[0][1] == "in progress")
        assert cells(app, "#complaints")[0][6] == "reopened ×1"
        assert "Complaint #1 reopened: not solved" in notes(app)
    assert stored(floor, Complaint, cid).reopen_count == 1


async def test_a_lead_closes_unconfirmed_only_after_the_failed_attempts(floor):
    short = a_complaint(floor, floor.alice, state="awaiting", failed=2)
    enough = a_complaint(floor, floor.alice, state="awaiting", failed=3)
    app = desk_for(floor, floor.lena)
    async with app.run_test(size=(120, 36)) as pilot:
        await to_complaints(pilot, app, 2)
        assert [r[5] for r in cells(app, "#complaints")] == ["2/3 failed", "3/3 failed"]
        await pilot.press("x")
        await until(pilot, lambda: any("2 of 3 failed attempts" in n for n in notes(app)))
        await pilot.press("down", "x")
        await until(pilot, lambda: len(cells(app, "#complaints")) == 1)
        assert any("closed as UNCONFIRMED" in n for n in notes(app))
    assert stored(floor, Complaint, short).state == "awaiting_confirmation"
    assert stored(floor, Complaint, enough).state == "closed_unconfirmed"


async def test_an_agent_may_not_close_unconfirmed(floor):
    a_complaint(floor, floor.alice, state="awaiting", failed=3)
    app = desk_for(floor, floor.alice)
    async with app.run_test(size=(120, 36)) as pilot:
        await to_complaints(pilot, app, 1)
        assert not app.screen.check_action("close_unconfirmed", ())
        assert not app.screen.check_action("decide", ())


async def test_a_repeat_is_flagged_in_words(floor):
    first = a_complaint(floor, floor.lena, state="closed")
    floor.clock.advance(days=10)
    on_call(floor, floor.alice, floor.ann)
    app = desk_for(floor, floor.alice)
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: "on call" in str(app.screen.query_one("#me").render()))
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, OpenComplaintScreen))
        await pilot.press("enter", "down", "enter", "ctrl+s")  # Billing error again
        await until(pilot, lambda: any(f"REPEAT of #{first}" in n for n in notes(app)))
        await to_complaints(pilot, app, 1)
        assert cells(app, "#complaints")[0][6] == f"REPEAT of #{first}"
    with floor.db.read() as session:
        new = session.exec(select(Complaint).where(Complaint.id != first)).one()
    assert new.repeat_of_id == first


async def test_compensation_above_the_limit_is_approved_by_someone_else(floor):
    on_call(floor, floor.alice, floor.ann)
    app = desk_for(floor, floor.alice)
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: "on call" in str(app.screen.query_one("#me").render()))
        await pilot.press("g")
        await until(pilot, lambda: isinstance(app.screen, CompensationScreen))
        await pilot.press("tab", *"120.00", "ctrl+s")  # refund; Alice may grant up to 50.00
        await until(pilot, lambda: any("waits for approval" in n for n in notes(app)))
        await to_complaints(pilot, app, 0)
        await until(pilot, lambda: len(cells(app, "#approvals")) == 1)
        assert cells(app, "#approvals")[0][1:3] == ["120.00", "Refund"]
        assert cells(app, "#approvals")[0][6] == "not yours to decide"
    with floor.db.read() as session:
        request = session.exec(select(Compensation)).one()
    assert request.state == "pending"

    floor.clock.advance(minutes=15)
    app = desk_for(floor, floor.lena)
    async with app.run_test(size=(120, 36)) as pilot:
        await to_complaints(pilot, app, 0)
        await until(pilot, lambda: len(cells(app, "#approvals")) == 1)
        assert cells(app, "#approvals")[0][6] == "you may decide"
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, DecisionScreen))
        await pilot.press("ctrl+s")  # no note yet: refused in words, the form stays
        await until(pilot, lambda: "write a note to say why" in notes(app))
        assert isinstance(app.screen, DecisionScreen)
        await pilot.press("tab", *"loyal", "ctrl+s")
        await until(pilot, lambda: len(cells(app, "#approvals")) == 0)
    request = stored(floor, Compensation, request.id)
    assert (request.state, request.decided_by_id) == ("approved", floor.lena.id)
    assert request.decided_at == MORNING + timedelta(minutes=15)


async def test_a_manager_records_the_call_with_a_detractor(floor):
    call_id = floor.call(floor.support, entered=MORNING, customer=floor.ann, talk=30)
    with floor.db.write() as session:
        fid = feedback.record_feedback(
            session, None, SETTINGS, now=MORNING, customer_id=floor.ann, call_id=call_id, nps=2
        ).id
    app = desk_for(floor, floor.mara)
    async with app.run_test(size=(80, 24)) as pilot:  # the smallest terminal we support
        await to_complaints(pilot, app, 0)
        await until(pilot, lambda: len(cells(app, "#detractors")) == 1)
        assert cells(app, "#detractors")[0][2:5] == ["Ann Smith", "NPS 2", "Mara Vos"]
        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, NoteScreen))
        await pilot.press(*"sorry", "enter")
        await until(pilot, lambda: len(cells(app, "#detractors")) == 0)
    row = stored(floor, Feedback, fid)
    assert (row.followup_outcome, row.followup_owner_id) == ("sorry", floor.mara.id)


async def test_a_complaint_by_letter_is_opened_from_the_customer_card(floor):
    """No live call: Ann wrote in. Alice finds her card (here: Ann is waiting) and opens it."""
    with floor.db.write() as session:
        queue.enqueue_call(session, queue_id=floor.support, customer_id=floor.ann, now=MORNING)
    app = desk_for(floor, floor.alice)
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: len(cells(app, "#waiting")) == 1)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, CustomerCardScreen))
        card = app.screen
        await until(pilot, lambda: "Ann Smith" in str(card.query_one("#card-title").render()))
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, OpenComplaintScreen))
        form = app.screen
        await pilot.press("enter", "down", "enter")  # the first category: Billing error
        await until(pilot, lambda: not form.query_one("#category").is_blank())
        await pilot.press("tab", *"invoice sent twice", "ctrl+s")
        await until(pilot, lambda: app.screen is card)
        await until(pilot, lambda: any("Complaint #1 opened" in n for n in notes(app)))
        # back on the card, which re-reads: the new complaint is among the open cases
        await until(pilot, lambda: "Billing error" in str(card.query_one("#card-cases").render()))
    with floor.db.read() as session:
        complaint = session.exec(select(Complaint)).one()
    assert (complaint.customer_id, complaint.call_id) == (floor.ann, None)
    assert complaint.description == "invoice sent twice"

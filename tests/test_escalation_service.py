"""The escalation ladder's rules on a real SQLite file: moves, permissions, the clock."""

from __future__ import annotations

import pytest
from sqlmodel import select

from svcdesk_tui.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from svcdesk_tui.escalations import moves as esc
from svcdesk_tui.escalations.views import inbox, story
from svcdesk_tui.models import AuditEntry, CallState, Escalation, EscalationEvent
from svcdesk_tui.queue.customer_card import customer_card

from .conftest import MORNING
from .escalation_helpers import add_complaint, build_floor


@pytest.fixture
def floor(center):
    return build_floor(center)


def act(floor, move, *args, **kwargs):
    with floor.db.write() as session:
        result = move(session, *args, now=floor.clock.now(), **kwargs)
        return result.id if hasattr(result, "id") else result


def raise_from_call(floor, actor=None, anger=5):
    with floor.db.write() as session:
        return esc.raise_escalation(
            session,
            actor or floor.alice,
            now=floor.clock.now(),
            reason="wants a refund, shouting",
            anger=anger,
            call_id=floor.ann_call,
        ).id


def events(floor, escalation_id):
    with floor.db.read() as session:
        rows = session.exec(
            select(EscalationEvent)
            .where(EscalationEvent.escalation_id == escalation_id)
            .order_by(EscalationEvent.id)
        ).all()
    return [(e.kind, e.from_rank, e.to_rank, e.actor_id) for e in rows]


def load(floor, escalation_id):
    with floor.db.read() as session:
        return session.get(Escalation, escalation_id)


def test_agent_escalation_lands_with_the_lead_and_is_audited(floor):
    eid = raise_from_call(floor)
    row = load(floor, eid)
    assert (row.level_rank, row.state, row.customer_id, row.call_id) == (
        2,
        "raised",
        floor.ann,
        floor.ann_call,
    )
    assert events(floor, eid) == [("raised", 1, 2, floor.alice.id)]
    with floor.db.read() as session:
        audit = session.exec(select(AuditEntry).where(AuditEntry.entity == "escalation")).one()
    assert (audit.action, audit.actor_login) == ("escalation.raise", "alice")


def test_a_lead_raises_to_the_manager_and_a_manager_to_the_executive(floor):
    with floor.db.write() as session:
        by_lead = esc.raise_escalation(
            session, floor.lena, now=MORNING, reason="r", anger=3, customer_id=floor.ann
        )
        by_manager = esc.raise_escalation(
            session, floor.mara, now=MORNING, reason="r", anger=3, customer_id=floor.ann
        )
    assert (by_lead.level_rank, by_manager.level_rank) == (3, 4)
    with pytest.raises(PermissionDenied, match="may not raise"), floor.db.write() as session:
        esc.raise_escalation(
            session, floor.eve, now=MORNING, reason="r", anger=3, customer_id=floor.ann
        )
    admin = floor.staff("root", "admin")
    with pytest.raises(Conflict, match="no level above"), floor.db.write() as session:
        esc.raise_escalation(
            session, admin, now=MORNING, reason="r", anger=3, customer_id=floor.ann
        )


def test_raising_refuses_bad_input_others_calls_and_duplicates(floor):
    for kwargs, error, words in (
        ({"reason": " ", "anger": 3}, InvalidInput, "reason"),
        ({"reason": "r", "anger": 6}, InvalidInput, "anger"),
    ):
        with pytest.raises(error, match=words), floor.db.write() as session:
            esc.raise_escalation(
                session, floor.alice, now=MORNING, call_id=floor.ann_call, **kwargs
            )
    with pytest.raises(PermissionDenied, match="own calls"):
        raise_from_call(floor, floor.bert)
    unknown = floor.call(
        floor.support, entered=MORNING, state=CallState.ON_CALL, wait=3, agent=floor.bert
    )
    with pytest.raises(InvalidInput, match="not a known customer"), floor.db.write() as session:
        esc.raise_escalation(session, floor.bert, now=MORNING, reason="r", anger=2, call_id=unknown)
    first = raise_from_call(floor)
    with pytest.raises(Conflict, match=f"escalation {first}"):
        raise_from_call(floor)
    with floor.db.read() as session:
        assert len(session.exec(select(Escalation)).all()) == 1  # nothing half-written


def test_from_a_complaint_the_customer_and_call_come_with_it(floor):
    complaint = add_complaint(floor, floor.ann, floor.alice)
    with floor.db.write() as session:
        raised = esc.raise_escalation(
            session, floor.alice, now=MORNING, reason="third time", anger=4, complaint_id=complaint
        )
    assert (raised.customer_id, raised.complaint_id, raised.level_rank) == (floor.ann, complaint, 2)
    with pytest.raises(PermissionDenied, match="complaints they opened"), floor.db.write() as s:
        esc.raise_escalation(
            s, floor.bert, now=MORNING, reason="r", anger=4, complaint_id=complaint
        )


def test_agent_to_lead_to_manager_resolution(floor):
    eid = raise_from_call(floor)
    floor.clock.advance(minutes=5)
    act(floor, esc.accept, floor.lena, eid)
    assert load(floor, eid).accepted_by_id == floor.lena.id
    with pytest.raises(InvalidInput, match="justification"):
        act(floor, esc.escalate_further, floor.lena, eid, justification="  ")
    floor.clock.advance(minutes=10)
    act(floor, esc.escalate_further, floor.lena, eid, justification="wants the manager")
    row = load(floor, eid)
    assert (row.level_rank, row.state, row.accepted_by_id) == (3, "raised", None)
    floor.clock.advance(minutes=2)
    act(floor, esc.accept, floor.mara, eid)
    with pytest.raises(InvalidInput, match="promised"):
        act(floor, esc.resolve, floor.mara, eid, note="refunded", promise="")
    floor.clock.advance(minutes=20)
    act(floor, esc.call_back, floor.mara, eid, note="told her the refund is on its way")
    act(floor, esc.resolve, floor.mara, eid, note="refunded twice", promise="refund in 3 days")
    row = load(floor, eid)
    assert (row.state, row.resolved_by_id, row.resolution_note, row.promise) == (
        "resolved",
        floor.mara.id,
        "refunded twice",
        "refund in 3 days",
    )
    assert row.resolved_at == MORNING.replace(minute=37)
    assert events(floor, eid) == [
        ("raised", 1, 2, floor.alice.id),
        ("accepted", 2, 2, floor.lena.id),
        ("escalated", 2, 3, floor.lena.id),
        ("accepted", 3, 3, floor.mara.id),
        ("called_back", 3, 3, floor.mara.id),
        ("resolved", 3, 3, floor.mara.id),
    ]
    with floor.db.read() as session:
        actions = session.exec(
            select(AuditEntry.action).where(AuditEntry.entity == "escalation")
        ).all()
    assert actions == [
        "escalation.raise",
        "escalation.accept",
        "escalation.escalated",
        "escalation.accept",
        "escalation.call_back",
        "escalation.resolve",
    ]


def test_only_the_levels_role_or_higher_may_act_even_calling_the_service(floor):
    eid = raise_from_call(floor)
    with pytest.raises(PermissionDenied, match="may not accept"):
        act(floor, esc.accept, floor.alice, eid)
    act(floor, esc.escalate_further, floor.lena, eid, justification="over my head")
    for who in (floor.alice, floor.lena):
        with pytest.raises(PermissionDenied, match="Service manager level"):
            act(floor, esc.resolve, who, eid, note="n", promise="p")
    assert load(floor, eid).state == "raised"
    act(floor, esc.resolve, floor.eve, eid, note="n", promise="p")  # higher may act lower


def test_who_sees_what(floor):
    alices = raise_from_call(floor)
    carls_call = floor.call(
        floor.support,
        entered=MORNING,
        state=CallState.ON_CALL,
        wait=3,
        customer=floor.ann,
        agent=floor.carl,
    )
    with floor.db.write() as session:
        carls = esc.raise_escalation(
            session, floor.carl, now=MORNING, reason="r", anger=2, call_id=carls_call
        ).id

    def seen(actor):
        with floor.db.read() as session:
            return {row.escalation_id for row in inbox(session, actor, now=MORNING).rows}

    assert seen(floor.alice) == {alices}
    assert seen(floor.bert) == set()
    assert seen(floor.lena) == {alices}
    assert seen(floor.olga) == {carls}
    assert seen(floor.mara) == {alices, carls}
    with pytest.raises(PermissionDenied, match="not one of yours"):
        act(floor, esc.accept, floor.olga, alices)
    with pytest.raises(PermissionDenied), floor.db.read() as session:
        story(session, floor.bert, alices, now=MORNING)
    with pytest.raises(NotFound), floor.db.read() as session:
        story(session, floor.mara, 999, now=MORNING)


def test_not_accepted_in_time_climbs_one_rung_by_itself(floor):
    eid = raise_from_call(floor)
    accepted = raise_from_call_of_new_call(floor)
    act(floor, esc.accept, floor.lena, accepted)
    floor.clock.advance(minutes=29, seconds=59)
    with floor.db.write() as session:
        assert esc.climb_overdue(session, now=floor.clock.now()) == []
    floor.clock.advance(seconds=1)  # the lead's 30 minutes are up
    with floor.db.write() as session:
        climbed = esc.climb_overdue(session, now=floor.clock.now())
    assert [(c.escalation_id, c.from_level, c.to_level, c.to_executive) for c in climbed] == [
        (eid, "Shift lead", "Service manager", False)
    ]
    assert "climbed by itself" in str(climbed[0])
    row = load(floor, eid)
    assert (row.level_rank, row.level_entered_at) == (3, floor.clock.now())
    assert events(floor, eid)[-1] == ("auto_escalated", 2, 3, None)
    assert load(floor, accepted).level_rank == 2  # accepted ones have an owner: no climb
    with floor.db.write() as session:  # a second tick at the same moment does nothing
        assert esc.climb_overdue(session, now=floor.clock.now()) == []
    floor.clock.advance(minutes=60)
    with floor.db.write() as session:
        (to_exec,) = esc.climb_overdue(session, now=floor.clock.now())
    assert to_exec.to_executive and "EXECUTIVE — counted failure" in str(to_exec)
    floor.clock.advance(hours=10)
    with floor.db.write() as session:  # the top rung has nowhere to go
        assert esc.climb_overdue(session, now=floor.clock.now()) == []
    with floor.db.read() as session:
        row = next(
            r
            for r in inbox(session, floor.mara, now=floor.clock.now()).rows
            if r.escalation_id == eid
        )
    assert row.overdue and row.auto_climbed and row.level.is_executive


def raise_from_call_of_new_call(floor):
    call = floor.call(
        floor.support,
        entered=MORNING,
        state=CallState.ON_CALL,
        wait=3,
        customer=floor.ann,
        agent=floor.bert,
    )
    with floor.db.write() as session:
        return esc.raise_escalation(
            session, floor.bert, now=MORNING, reason="r", anger=3, call_id=call
        ).id


def test_reopen_adds_to_the_story_and_rewrites_nothing(floor):
    eid = raise_from_call(floor)
    act(floor, esc.resolve, floor.lena, eid, note="explained the bill", promise="credit note")
    with pytest.raises(PermissionDenied):
        act(floor, esc.reopen, floor.alice, eid, note="she called again")
    floor.clock.advance(hours=1)
    act(floor, esc.reopen, floor.lena, eid, note="she called again")
    row = load(floor, eid)
    assert (row.state, row.resolved_at, row.level_rank) == ("raised", None, 2)
    with floor.db.read() as session:
        told = story(session, floor.lena, eid, now=floor.clock.now())
    kinds = [(e.kind, e.note) for e in told.events]
    assert kinds == [
        ("raised", "wants a refund, shouting"),
        ("accepted", None),
        ("resolved", "explained the bill — promised: credit note"),
        ("reopened", "she called again"),
    ]


def test_the_customer_card_says_executive_in_words(floor):
    with floor.db.write() as session:
        esc.raise_escalation(
            session, floor.mara, now=MORNING, reason="CEO", anger=5, customer_id=floor.ann
        )
    with floor.db.read() as session:
        card = customer_card(session, floor.ann, now=MORNING)
    (case,) = card.open_cases
    assert case.summary == "Executive (EXECUTIVE — counted failure): CEO"

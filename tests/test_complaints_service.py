"""The complaint lifecycle on a real store: only the customer's word closes a complaint."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from svcdesk_tui.complaints import compensation
from svcdesk_tui.complaints import lifecycle as complaints
from svcdesk_tui.core.errors import Conflict, InvalidInput, PermissionDenied
from svcdesk_tui.core.settings import CenterSettings
from svcdesk_tui.models import AuditEntry, Complaint

from .conftest import MORNING

SETTINGS = CenterSettings()


@pytest.fixture
def desk(center):
    center.ann = center.customer("Ann Smith", phone="+31 20 111")
    center.bob = center.customer("Bob Jones")
    center.alice = center.staff("alice", limit_cents=5000)
    center.bert = center.staff("bert")
    center.lena = center.staff("lena", "lead", limit_cents=50000)
    return center


def act(center, move, *args, **kwargs):
    """Run one service call in its own write transaction, at the center's clock."""
    with center.db.write() as session:
        result = move(session, *args, **kwargs)
        session.flush()
        return result.id if hasattr(result, "id") else result


def opened(center, actor=None, customer=None, category="billing", **kwargs):
    return act(
        center,
        lambda s: complaints.open_complaint(
            s,
            actor or center.alice,
            SETTINGS,
            now=center.clock.now(),
            customer_id=customer or center.ann,
            category=category,
            description="charged twice",
            **kwargs,
        ),
    )


def resolved(center, cid, actor=None, followup=None):
    act(
        center,
        lambda s: complaints.resolve(
            s,
            actor or center.alice,
            cid,
            SETTINGS,
            now=center.clock.now(),
            followup_owner_id=followup.id if followup else None,
        ),
    )


def attempt(center, cid, result, actor=None):
    act(
        center,
        lambda s: complaints.log_attempt(
            s, actor or center.alice, cid, result, now=center.clock.now(), note=result
        ),
    )


def complaint(center, cid) -> Complaint:
    with center.db.read() as session:
        return session.get(Complaint, cid)


def test_from_opening_to_a_confirmed_close(desk):
    cid = opened(desk)
    row = complaint(desk, cid)
    assert (row.state, row.owner_id, row.opened_by_id) == ("open", desk.alice.id, desk.alice.id)
    act(desk, lambda s: complaints.start_work(s, desk.bert, cid, now=desk.clock.now()))
    assert (complaint(desk, cid).state, complaint(desk, cid).owner_id) == (
        "in_progress",
        desk.bert.id,
    )
    desk.clock.advance(hours=2)
    resolved(desk, cid, desk.bert, followup=desk.alice)
    row = complaint(desk, cid)
    assert row.state == "awaiting_confirmation"
    assert row.followup_owner_id == desk.alice.id
    assert row.followup_due_at == MORNING + timedelta(hours=2 + 48)  # followup_due_hours = 48
    desk.clock.advance(hours=3)
    attempt(desk, cid, "no_answer")
    assert complaint(desk, cid).state == "awaiting_confirmation"
    attempt(desk, cid, "confirmed")
    row = complaint(desk, cid)
    assert (row.state, row.closed_at) == ("closed", MORNING + timedelta(hours=5))
    with desk.db.read() as session:
        kinds = [(c.kind, c.void) for c in complaints.closures(session, cid)]
        results = [a.result for a in complaints.attempts(session, cid)]
        actions = session.exec(
            select(AuditEntry.action).where(AuditEntry.entity_id == str(cid))
        ).all()
    assert kinds == [("confirmed", False)]
    assert results == ["no_answer", "confirmed"]
    assert actions == [
        "complaint.open",
        "complaint.start",
        "complaint.resolve",
        "complaint.attempt",
        "complaint.attempt",
        "complaint.close",
    ]


def test_not_solved_reopens_and_counts(desk):
    cid = opened(desk)
    resolved(desk, cid)
    attempt(desk, cid, "not_solved")
    row = complaint(desk, cid)
    assert (row.state, row.reopen_count, row.followup_due_at) == ("in_progress", 1, None)
    with pytest.raises(Conflict, match="follow-up attempts are for resolved complaints"):
        attempt(desk, cid, "confirmed")


def test_reopening_a_closed_complaint_voids_the_close_but_keeps_it(desk):
    cid = opened(desk)
    resolved(desk, cid)
    attempt(desk, cid, "confirmed")
    desk.clock.advance(days=3)
    act(
        desk,
        lambda s: complaints.reopen(s, desk.bert, cid, now=desk.clock.now(), note="back again"),
    )
    resolved(desk, cid)
    attempt(desk, cid, "confirmed")
    with desk.db.read() as session:
        history = [(c.kind, c.void, c.voided_at) for c in complaints.closures(session, cid)]
    assert history == [
        ("confirmed", True, MORNING + timedelta(days=3)),
        ("confirmed", False, None),
    ]
    assert complaint(desk, cid).reopen_count == 1


def test_unconfirmed_close_only_after_enough_failed_attempts_and_only_by_a_lead(desk):
    cid = opened(desk)
    resolved(desk, cid)
    attempt(desk, cid, "no_answer")
    attempt(desk, cid, "left_message")

    def close(actor):
        return act(
            desk,
            lambda s: complaints.close_unconfirmed(s, actor, cid, SETTINGS, now=desk.clock.now()),
        )

    with pytest.raises(Conflict, match="without the customer's confirmation: 2 of 3 failed"):
        close(desk.lena)
    attempt(desk, cid, "no_answer")
    with pytest.raises(PermissionDenied, match="may not close a complaint as unconfirmed"):
        close(desk.alice)
    close(desk.lena)
    assert complaint(desk, cid).state == "closed_unconfirmed"
    with desk.db.read() as session:
        assert [c.kind for c in complaints.closures(session, cid)] == ["unconfirmed"]


def test_failed_attempts_are_counted_per_resolution(desk):
    cid = opened(desk)
    resolved(desk, cid)
    for _ in range(3):
        attempt(desk, cid, "no_answer")
    attempt(desk, cid, "not_solved")  # reached after all: reopened
    desk.clock.advance(hours=1)
    resolved(desk, cid)
    with pytest.raises(Conflict, match="0 of 3 failed attempts"):
        act(
            desk,
            lambda s: complaints.close_unconfirmed(
                s, desk.lena, cid, SETTINGS, now=desk.clock.now()
            ),
        )


def test_an_open_complaint_cannot_be_closed_or_followed_up(desk):
    cid = opened(desk)
    with pytest.raises(Conflict, match="only a resolved complaint awaiting confirmation"):
        act(
            desk,
            lambda s: complaints.close_unconfirmed(
                s, desk.lena, cid, SETTINGS, now=desk.clock.now()
            ),
        )
    with pytest.raises(Conflict, match="is open; follow-up attempts"):
        attempt(desk, cid, "confirmed")
    with pytest.raises(Conflict, match="only a resolved or closed complaint can be reopened"):
        act(desk, lambda s: complaints.reopen(s, desk.alice, cid, now=desk.clock.now()))


def test_a_pending_approval_blocks_the_close(desk):
    cid = opened(desk)
    comp = act(
        desk,
        lambda s: compensation.request(
            s,
            desk.alice,
            now=desk.clock.now(),
            customer_id=desk.ann,
            kind="refund",
            amount_cents=20000,
            complaint_id=cid,
        ),
    )
    resolved(desk, cid)
    with pytest.raises(Conflict, match=f"while compensation request #{comp} waits for approval"):
        attempt(desk, cid, "confirmed")
    assert complaint(desk, cid).state == "awaiting_confirmation"  # nothing half-written
    with desk.db.read() as session:
        assert complaints.attempts(session, cid) == []
    act(
        desk,
        lambda s: compensation.decide(
            s, desk.lena, comp, now=desk.clock.now(), approve=True, note="fair"
        ),
    )
    attempt(desk, cid, "confirmed")
    assert complaint(desk, cid).state == "closed"


def test_a_repeat_within_the_window_is_linked_to_the_closed_complaint(desk):
    first = opened(desk, actor=desk.bert)
    resolved(desk, first, desk.bert)
    attempt(desk, first, "confirmed")
    desk.clock.advance(days=30)  # exactly the window: still a repeat
    again = opened(desk)
    other_category = opened(desk, category="delivery")
    other_customer = opened(desk, customer=desk.bob)
    assert complaint(desk, again).repeat_of_id == first
    assert complaint(desk, again).owner_id == desk.alice.id
    assert complaint(desk, other_category).repeat_of_id is None
    assert complaint(desk, other_customer).repeat_of_id is None


def test_no_repeat_after_the_window_or_while_the_first_is_still_open(desk):
    first = opened(desk)
    second = opened(desk)  # the first is not closed: not a repeat of it
    assert complaint(desk, second).repeat_of_id is None
    resolved(desk, first)
    attempt(desk, first, "confirmed")
    desk.clock.advance(days=30, seconds=1)
    assert complaint(desk, opened(desk)).repeat_of_id is None


def test_bad_input_is_refused_in_words(desk):
    with pytest.raises(InvalidInput, match="needs a category"):
        opened(desk, category="  ")
    with pytest.raises(InvalidInput, match="result must be one of"):
        attempt(desk, opened(desk), "maybe")
    with pytest.raises(InvalidInput, match="promised time lies in the past"):
        opened(desk, promised_by=MORNING - timedelta(hours=1))
    exec_ = desk.staff("exec", "executive")
    with pytest.raises(PermissionDenied, match="may not open a complaint"):
        opened(desk, actor=exec_)


def test_the_desk_puts_overdue_call_backs_first(desk):
    from svcdesk_tui.complaints.desk import Section, read_desk

    def at(hours):
        desk.clock.at = MORNING + timedelta(hours=hours)

    at(-60)
    overdue, due_today, awaiting, still_open = (opened(desk) for _ in range(4))
    first = opened(desk, customer=desk.bob)
    resolved(desk, first)
    attempt(desk, first, "confirmed")
    repeat = opened(desk, customer=desk.bob)  # a repeat of `first`, then closed again
    resolved(desk, repeat)
    attempt(desk, repeat, "confirmed")
    at(-49)
    resolved(desk, overdue)  # due at -1 h
    at(-40)
    resolved(desk, due_today)  # due at +8 h, 18:00 today
    at(0)
    resolved(desk, awaiting)  # due in two days
    attempt(desk, awaiting, "left_message")
    with desk.db.read() as session:
        board = read_desk(session, desk.lena, SETTINGS, now=desk.clock.now())
    assert [(c.complaint_id, c.section) for c in board.complaints] == [
        (overdue, Section.OVERDUE),
        (due_today, Section.DUE_TODAY),
        (awaiting, Section.AWAITING),
        (still_open, Section.OPEN),
        (repeat, Section.RECENT_REPEAT),
    ]
    assert [c.failed_attempts for c in board.complaints] == [0, 0, 1, 0, 0]
    assert board.complaints[-1].repeat_of_id == first


def test_categories_offer_the_defaults_and_those_in_use(desk):
    opened(desk, category="Smell of the product")
    with desk.db.read() as session:
        names = [value for value, _ in complaints.categories(session)]
    assert names[0] == "Billing error"
    assert "Smell of the product" in names and "Waiting time" in names

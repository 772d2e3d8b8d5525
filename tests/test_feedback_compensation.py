"""Feedback with manager follow-up, and compensation within and above one's authority."""

from __future__ import annotations

from datetime import timedelta

import pytest

from svcdesk_tui.complaints import compensation, feedback
from svcdesk_tui.complaints import lifecycle as complaints
from svcdesk_tui.core.errors import Conflict, InvalidInput, PermissionDenied
from svcdesk_tui.core.settings import CenterSettings
from svcdesk_tui.models import ApprovalAuthority, Compensation, Feedback, Staff

from .conftest import MORNING
from .stores import new_store

SETTINGS = CenterSettings()


@pytest.fixture
def desk(center):
    center.support = center.queue("Support")
    center.ann = center.customer("Ann Smith")
    center.bob = center.customer("Bob Jones")
    center.alice = center.staff("alice", limit_cents=5000)  # 50.00
    center.bert = center.staff("bert", limit_cents=5000)
    center.lena = center.staff("lena", "lead", limit_cents=20000)  # 200.00
    center.mara = center.staff("mara", "manager", limit_cents=100000)
    center.max = center.staff("max", "manager")
    center.call_id = center.call(center.support, entered=MORNING, customer=center.ann, talk=60)
    return center


def write(center, move):
    with center.db.write() as session:
        result = move(session)
        session.flush()
        return result


def give(center, actor, amount, **kwargs):
    return write(
        center,
        lambda s: compensation.request(
            s,
            actor,
            now=center.clock.now(),
            customer_id=center.ann,
            kind=kwargs.pop("kind", "refund"),
            amount_cents=amount,
            **kwargs,
        ),
    ).id


def decide(center, actor, cid, approve=True, note="checked the invoice"):
    return write(
        center,
        lambda s: compensation.decide(
            s, actor, cid, now=center.clock.now(), approve=approve, note=note
        ),
    )


def answer(center, **kwargs):
    return write(
        center,
        lambda s: feedback.record_feedback(
            s,
            None,
            SETTINGS,
            now=center.clock.now(),
            customer_id=center.ann,
            call_id=center.call_id,
            **kwargs,
        ),
    )


# --- feedback -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "detractor"),
    [
        ({"nps": 6}, True),
        ({"nps": 7}, False),
        ({"csat": 2}, True),
        ({"csat": 3}, False),
        ({"csat": 5, "nps": 0}, True),
        ({"nps": 10}, False),
    ],
)
def test_a_detractor_gets_a_manager_to_follow_it_up(desk, scores, detractor):
    row = answer(desk, **scores)
    assert (row.followup_owner_id is not None) == detractor
    if detractor:
        assert row.followup_owner_id in (desk.mara.id, desk.max.id)


def test_follow_ups_are_spread_over_the_managers(desk):
    owners = [answer(desk, nps=3).followup_owner_id for _ in range(3)]
    assert owners == [desk.mara.id, desk.max.id, desk.mara.id]


def test_the_manager_records_the_contact_and_its_outcome(desk):
    fid = answer(desk, csat=1, comment="nobody listened").id
    with desk.db.read() as session:
        tasks = feedback.open_detractor_tasks(session, SETTINGS)
    assert [(t.feedback_id, t.due_at) for t in tasks] == [(fid, MORNING + timedelta(hours=48))]
    desk.clock.advance(hours=5)
    with pytest.raises(PermissionDenied, match="may not follow up bad feedback"):
        write(
            desk,
            lambda s: feedback.record_followup(
                s, desk.lena, fid, SETTINGS, now=desk.clock.now(), outcome="called"
            ),
        )
    with pytest.raises(InvalidInput, match="say how the contact"):
        write(
            desk,
            lambda s: feedback.record_followup(
                s, desk.max, fid, SETTINGS, now=desk.clock.now(), outcome=" "
            ),
        )
    write(
        desk,
        lambda s: feedback.record_followup(
            s, desk.max, fid, SETTINGS, now=desk.clock.now(), outcome="apologised; new part sent"
        ),
    )
    with desk.db.read() as session:
        row = session.get(Feedback, fid)
        assert feedback.open_detractor_tasks(session, SETTINGS) == []
    assert (row.followup_owner_id, row.followed_up_at, row.followup_outcome) == (
        desk.max.id,
        MORNING + timedelta(hours=5),
        "apologised; new part sent",
    )
    with pytest.raises(Conflict, match="already followed up"):
        write(
            desk,
            lambda s: feedback.record_followup(
                s, desk.max, fid, SETTINGS, now=desk.clock.now(), outcome="again"
            ),
        )


def test_feedback_is_checked(desk):
    with pytest.raises(InvalidInput, match="CSAT is 1–5, not 6"):
        answer(desk, csat=6)
    with pytest.raises(InvalidInput, match="NPS is 0–10, not 11"):
        answer(desk, nps=11)
    with pytest.raises(InvalidInput, match="needs a CSAT score"):
        answer(desk)
    with pytest.raises(InvalidInput, match=r"call \d+ is not one of this customer"):
        write(
            desk,
            lambda s: feedback.record_feedback(
                s, None, SETTINGS, now=MORNING, customer_id=desk.bob, call_id=desk.call_id, nps=9
            ),
        )


# --- compensation ---------------------------------------------------------------


def test_within_the_limit_is_granted_at_once(desk):
    cid = give(desk, desk.alice, 5000, kind="credit", call_id=desk.call_id)
    with desk.db.read() as session:
        row = session.get(Compensation, cid)
    assert (row.state, row.decided_by_id, row.call_id) == ("granted", desk.alice.id, desk.call_id)


def test_above_the_limit_waits_and_someone_else_approves(desk):
    cid = give(desk, desk.alice, 5001)
    with desk.db.read() as session:
        assert session.get(Compensation, cid).state == "pending"
        pending = compensation.pending_approvals(session, desk.lena)
    assert [(p.compensation_id, p.may_decide) for p in pending] == [(cid, True)]
    desk.clock.advance(minutes=10)
    decide(desk, desk.lena, cid, note="long-standing customer")
    with desk.db.read() as session:
        row = session.get(Compensation, cid)
    assert (row.state, row.decided_by_id, row.decided_at) == (
        "approved",
        desk.lena.id,
        MORNING + timedelta(minutes=10),
    )
    assert row.note == "long-standing customer"


def test_nobody_approves_their_own_request(desk):
    cid = give(desk, desk.lena, 30000)
    with desk.db.read() as session:
        assert [p.may_decide for p in compensation.pending_approvals(session, desk.lena)] == [False]
    with pytest.raises(PermissionDenied, match="nobody approves their own request"):
        decide(desk, desk.lena, cid)


def test_nobody_approves_above_their_own_limit(desk):
    cid = give(desk, desk.alice, 30000)
    with pytest.raises(PermissionDenied, match=r"your limit \(200.00\) does not cover 300.00"):
        decide(desk, desk.lena, cid)
    with pytest.raises(PermissionDenied, match="may not approve or reject compensation"):
        decide(desk, desk.bert, cid)
    decide(desk, desk.lena, cid, approve=False, note="not our fault")  # rejecting is allowed
    with desk.db.read() as session:
        assert session.get(Compensation, cid).state == "rejected"
    with pytest.raises(Conflict, match="already rejected"):
        decide(desk, desk.mara, cid)


def test_an_approval_authority_raises_the_limit(desk):
    with desk.db.write() as session:
        session.add(ApprovalAuthority(staff_id=desk.lena.id, kind="compensation"))
    cid = give(desk, desk.alice, 900000)
    decide(desk, desk.lena, cid)


def test_the_limit_is_read_fresh_and_set_by_a_manager(desk):
    write(desk, lambda s: compensation.set_limit(s, desk.mara, "alice", 50000, now=MORNING))
    assert give(desk, desk.alice, 40000)  # the Actor still says 50.00; the store says 500.00
    with desk.db.read() as session:
        assert session.get(Staff, desk.alice.id).compensation_limit_cents == 50000
    with pytest.raises(PermissionDenied, match="nobody sets their own"):
        write(desk, lambda s: compensation.set_limit(s, desk.mara, "mara", 1, now=MORNING))
    with pytest.raises(PermissionDenied, match="may not add or change staff"):
        write(desk, lambda s: compensation.set_limit(s, desk.lena, "alice", 1, now=MORNING))


def test_a_decision_needs_a_note(desk):
    cid = give(desk, desk.alice, 9000)
    with pytest.raises(InvalidInput, match="write a note"):
        decide(desk, desk.lena, cid, note="")


def test_compensation_input_is_checked(desk):
    with pytest.raises(InvalidInput, match="kind must be one of"):
        give(desk, desk.alice, 100, kind="cash")
    with pytest.raises(InvalidInput, match="more than zero"):
        give(desk, desk.alice, 0)
    assert compensation.parse_amount("12,50") == 1250
    for bad in ("abc", "-3", "1.234", "nan"):
        with pytest.raises(InvalidInput):
            compensation.parse_amount(bad)
    assert compensation.format_amount(123456) == "1,234.56"


def test_no_compensation_on_a_closed_complaint(desk):
    with desk.db.write() as session:
        comp = complaints.open_complaint(
            session, desk.alice, SETTINGS, now=MORNING, customer_id=desk.ann, category="billing"
        )
        complaints.resolve(session, desk.alice, comp.id, SETTINGS, now=MORNING)
        complaints.confirm(session, desk.alice, comp.id, now=MORNING)
    with pytest.raises(Conflict, match="is closed; reopen it first"):
        give(desk, desk.alice, 100, complaint_id=comp.id)


def test_a_manager_sets_a_limit_from_the_command_line(tmp_path, clock):
    from typer.testing import CliRunner

    from svcdesk_tui.cli import app

    from .builders import Center

    db = new_store(tmp_path)
    demo = Center.create(db, clock, demo=True)
    demo.staff("mara", "manager")
    alice = demo.staff("alice")
    runner = CliRunner()
    done = runner.invoke(app, ["staff", "limit", "alice", "75.50", "--db", db, "--as", "mara"])
    assert done.exit_code == 0, done.output
    assert "Alice may now grant up to 75.50 alone." in done.output
    with demo.db.read() as session:
        assert session.get(Staff, alice.id).compensation_limit_cents == 7550
    own = runner.invoke(app, ["staff", "limit", "mara", "1", "--db", db, "--as", "mara"])
    assert own.exit_code == 1
    assert own.stderr.strip() == (
        "svcdesk: error: nobody sets their own compensation limit; ask another manager"
    )
    bad = runner.invoke(app, ["staff", "limit", "alice", "lots", "--db", db, "--as", "mara"])
    assert bad.exit_code == 2 and "is not an amount" in bad.stderr
    demo.db.close()

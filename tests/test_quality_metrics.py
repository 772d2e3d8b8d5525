"""The quality measures over a hand-built week; every expected figure is worked out by hand."""

from __future__ import annotations

from datetime import timedelta

import pytest

from svcdesk_tui.complaints import compensation, feedback
from svcdesk_tui.complaints import lifecycle as complaints
from svcdesk_tui.complaints import measures as qm
from svcdesk_tui.core.periods import Period
from svcdesk_tui.core.settings import CenterSettings

from .conftest import MORNING

SETTINGS = CenterSettings()
WEEK = Period(MORNING, MORNING + timedelta(days=7))


def at(center, hours):
    center.clock.at = MORNING + timedelta(hours=hours)
    return center.clock.at


@pytest.fixture
def week(center):
    c = center
    people = {n: c.customer(n) for n in ("ann", "bob", "carl", "dana", "eve")}
    alice, bert = c.staff("alice", limit_cents=5000), c.staff("bert")
    lena = c.staff("lena", "lead", limit_cents=20000)
    mara = c.staff("mara", "manager", limit_cents=100000)
    queue = c.queue("Support")
    call = c.call(queue, entered=MORNING, customer=people["ann"], talk=60)

    def with_session(move):
        with c.db.write() as session:
            result = move(session)
            session.flush()
            return result

    def open_(who, customer, category, hours):
        now = at(c, hours)
        return with_session(
            lambda s: complaints.open_complaint(
                s, who, SETTINGS, now=now, customer_id=people[customer], category=category
            )
        ).id

    def resolve(who, cid, hours):
        now = at(c, hours)
        with_session(lambda s: complaints.resolve(s, who, cid, SETTINGS, now=now))

    def attempt(who, cid, result, hours):
        now = at(c, hours)
        with_session(lambda s: complaints.log_attempt(s, who, cid, result, now=now))

    # C6 (eve, billing, Lena): closed the day before the week: outside both cohorts.
    c6 = open_(lena, "eve", "billing", -30)
    resolve(lena, c6, -26)
    attempt(lena, c6, "confirmed", -25)
    # C1 (ann, billing, Alice): resolved and confirmed.
    c1 = open_(alice, "ann", "billing", 0)
    resolve(alice, c1, 1)
    attempt(alice, c1, "confirmed", 2)
    # C2 (bob, billing, Bert): not solved once, resolved again, confirmed.
    c2 = open_(bert, "bob", "billing", 0)
    resolve(bert, c2, 1)
    attempt(bert, c2, "not_solved", 2)
    resolve(bert, c2, 3)
    attempt(bert, c2, "confirmed", 4)
    # C3 (carl, delivery, Bert): three failed attempts, closed unconfirmed by the lead.
    c3 = open_(bert, "carl", "delivery", 0)
    resolve(bert, c3, 1)
    for hour in (2, 3, 4):
        attempt(bert, c3, "no_answer", hour)
    now = at(c, 5)
    with_session(lambda s: complaints.close_unconfirmed(s, lena, c3, SETTINGS, now=now))
    # C4 (dana, fault, Alice): resolved at +1 h, awaiting confirmation, due at +49 h.
    c4 = open_(alice, "dana", "fault", 0)
    resolve(alice, c4, 1)
    # C5 (ann, fault): still open.
    open_(alice, "ann", "fault", 0)
    # Repeats: ann/billing 3 days after C1's close (against Alice); eve/billing after C6.
    c.repeat_ann = open_(bert, "ann", "billing", 74)
    c.repeat_eve = open_(alice, "eve", "billing", 80)
    # bob/billing 31 days after C2's close: too late to count as a repeat of it.
    open_(alice, "bob", "billing", 4 + 31 * 24)

    # Feedback: one the day before, six in the week.
    def answer(hours, **scores):
        now = at(c, hours)
        return with_session(
            lambda s: feedback.record_feedback(
                s, None, SETTINGS, now=now, customer_id=people["ann"], call_id=call, **scores
            )
        ).id

    answer(-5, nps=0)
    answer(1, csat=5, nps=10)
    answer(1, csat=4, nps=9)
    f3 = answer(2, csat=2)
    f4 = answer(2, csat=1, nps=9)
    answer(3, nps=7)
    answer(3, nps=3)
    for fid, hours in ((f3, 2 + 47), (f4, 2 + 49)):
        now = at(c, hours)
        with_session(
            lambda s, fid=fid, now=now: feedback.record_followup(
                s, mara, fid, SETTINGS, now=now, outcome="called"
            )
        )

    # Compensation.
    def give(who, cents, kind, hours):
        now = at(c, hours)
        return with_session(
            lambda s: compensation.request(
                s, who, now=now, customer_id=people["ann"], kind=kind, amount_cents=cents
            )
        ).id

    def decide(who, cid, approve, hours):
        now = at(c, hours)
        with_session(
            lambda s: compensation.decide(s, who, cid, now=now, approve=approve, note="ok")
        )

    give(alice, 3000, "refund", 1)
    give(alice, 2000, "refund", 2)
    give(alice, 1000, "credit", 2)
    give(alice, 4000, "refund", -10)  # before the week
    decide(lena, give(alice, 10000, "replacement", 3), True, 4)
    decide(mara, give(bert, 30000, "refund", 3), False, 4)
    give(bert, 500, "refund", 5)  # Bert's limit is 0: pending
    return c


def test_close_the_loop_unconfirmed_and_reopen_rates(week):
    with week.db.read() as session:
        quality = qm.complaint_quality(session, WEEK)
    assert (quality.resolved, quality.confirmed, quality.unconfirmed, quality.reopened) == (
        4,
        2,
        1,
        1,
    )
    assert quality.close_the_loop_rate == 0.5
    assert quality.unconfirmed_close_rate == 0.25
    assert quality.reopen_rate == 0.25


def test_followups_overdue(week):
    with week.db.read() as session:
        assert qm.followups_overdue(session, now=MORNING + timedelta(hours=49)) == 0
        assert qm.followups_overdue(session, now=MORNING + timedelta(hours=49, seconds=1)) == 1


def test_repeat_complaint_rate_per_owner_and_category(week):
    with week.db.read() as session:
        rates = qm.repeat_rates(session, WEEK, SETTINGS)
    assert [(r.owner, r.category, r.closed, r.repeated) for r in rates] == [
        ("Alice", "billing", 1, 1),
        ("Bert", "billing", 1, 0),
        ("Bert", "delivery", 1, 0),
        ("All owners", "all", 3, 1),
    ]
    assert rates[-1].rate == pytest.approx(1 / 3)


def test_repeat_flags_count_against_the_earlier_owner(week):
    with week.db.read() as session:
        assert qm.repeat_flags_by_owner(session, WEEK) == [("Alice", 1), ("Lena", 1)]


def test_csat_nps_and_detractor_follow_up(week):
    with week.db.read() as session:
        scores = qm.feedback_scores(session, WEEK, SETTINGS)
    assert (scores.csat_responses, scores.csat_satisfied) == (4, 2)
    assert (scores.nps_responses, scores.promoters, scores.nps_detractors) == (5, 3, 1)
    assert (scores.detractors, scores.followed_up_in_time) == (3, 1)
    assert scores.csat == 0.5
    assert scores.nps == 40.0
    assert scores.detractor_followup_rate == pytest.approx(1 / 3)


def test_compensation_granted_by_person_and_kind(week):
    with week.db.read() as session:
        rows = qm.compensation_granted(session, WEEK)
    assert [(r.person, r.kind, r.count, r.amount_cents) for r in rows] == [
        ("Alice", "credit", 1, 1000),
        ("Alice", "refund", 2, 5000),
        ("Lena", "replacement", 1, 10000),
    ]


def test_an_empty_period_has_no_rates():
    quality, scores = qm.ComplaintQuality(), qm.FeedbackScores()
    assert quality.close_the_loop_rate is None and scores.nps is None and scores.csat is None

"""Quality monitoring through its services on a real store: forms, scoring, roles,
disputes, calibration, sampling and the measures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import func, select

from svcdesk_tui.core.errors import Conflict, InvalidInput, PermissionDenied
from svcdesk_tui.core.periods import Period
from svcdesk_tui.models import (
    AuditEntry,
    Evaluation,
    EvaluationState,
    MonitoringForm,
    MonitoringItem,
    MonitoringSample,
)
from svcdesk_tui.monitoring import evaluations, sampling
from svcdesk_tui.monitoring.forms import (
    DEFAULT_FORM_CSV,
    FormRejected,
    export_form,
    import_form,
    require_form,
)
from svcdesk_tui.monitoring.measures import (
    calibration_by_team,
    center_calibration,
    missed_by_agent,
    most_missed,
    quality_by_agent,
    quality_by_team,
)

from .conftest import MORNING
from .monitoring_helpers import WEEK, WEEK_START, answers, build_floor, settings_of

NOW = MORNING
LAST_MONTH = Period(MORNING - timedelta(days=30), MORNING + timedelta(days=1))


@pytest.fixture
def floor(center):
    return build_floor(center)


def evaluate(center, who, call_id, **changed):
    with center.db.write() as session:
        return evaluations.evaluate(
            session, who, call_id, answers(**changed), now=NOW, comment="ok", coaching="keep on"
        ).id


# --- forms -------------------------------------------------------------------------------


def test_a_changed_form_is_a_new_version_and_the_same_form_adds_none(floor):
    changed = DEFAULT_FORM_CSV.replace("yes_no,1,no,", "yes_no,2,no,")
    with floor.db.write() as session:
        again = import_form(session, floor.mara, DEFAULT_FORM_CSV, now=NOW)
        newer = import_form(session, floor.mara, changed, now=NOW + timedelta(seconds=1))
    assert again.version == 1 and again.form_id == floor.form.form_id
    assert newer.version == 2
    with floor.db.read() as session:
        assert require_form(session).version == 2
        assert require_form(session, "Service call", 1).form_id == floor.form.form_id
        assert export_form(require_form(session, "Service call", 1)) == DEFAULT_FORM_CSV


def test_an_evaluation_keeps_the_form_version_it_was_made_with(floor):
    first = evaluate(floor, floor.lena, floor.calls["ann"][5])
    with floor.db.write() as session:
        import_form(
            session, floor.mara, DEFAULT_FORM_CSV.replace("Tone and courtesy", "Tone"), now=NOW
        )
    second = evaluate(floor, floor.lena, floor.calls["bo"][5])
    with floor.db.read() as session:
        kept = session.get(Evaluation, first).form_id
        used = session.get(Evaluation, second).form_id
        versions = {f.id: f.version for f in session.exec(select(MonitoringForm))}
    assert (versions[kept], versions[used]) == (1, 2)


def test_a_broken_form_csv_names_every_bad_line_and_writes_nothing(floor):
    broken = (
        "form,section,code,text,kind,weight,critical,scale_max\n"
        "Bad,Listening,listened,Listened,yes_no,3,no,\n"
        "Bad,Listening,Listened!,Bad code,yes_no,3,no,\n"  # line 3
        "Bad,Listening,listened,Twice,yes_no,3,no,\n"  # line 4
        "Bad,Manner,tone,Tone,scale,2,no,\n"  # line 5: no scale_max
        "Bad,Manner,kind,Kind,maybe,2,no,\n"  # line 6
        "Bad,Manner,heavy,Heavy,yes_no,500,no,\n"  # line 7
        "Bad,Manner,crit,Crit,yes_no,1,perhaps,\n"  # line 8
    )
    with floor.db.write() as session, pytest.raises(FormRejected) as refused:
        import_form(session, floor.mara, broken, now=NOW)
    assert [line for line, _ in refused.value.errors] == [3, 4, 5, 6, 7, 8]
    assert "scale_max" in dict(refused.value.errors)[5]
    with floor.db.read() as session:
        assert session.exec(select(func.count()).select_from(MonitoringForm)).one() == 1
        assert session.exec(select(func.count()).select_from(MonitoringItem)).one() == 9


def test_a_form_csv_without_its_columns_is_refused_whole(floor):
    with floor.db.write() as session, pytest.raises(InvalidInput, match="missing: kind"):
        import_form(session, floor.mara, "form,section,code,text\nA,B,c,d\n", now=NOW)


def test_agents_may_not_import_forms(floor):
    with floor.db.write() as session, pytest.raises(PermissionDenied):
        import_form(session, floor.ann, DEFAULT_FORM_CSV, now=NOW)


# --- scoring ------------------------------------------------------------------------------


def test_the_score_is_the_weighted_share_earned_and_n_a_leaves_the_base(floor):
    # weights: listened 3, reflected 3, thanked 1, can_do 3, checked 3, compensation 2,
    # identified 2, reason 2, courtesy 2 (scale of 5): 21 in all
    call = floor.calls["ann"][5]
    evaluation_id = evaluate(
        floor, floor.lena, call, reflected="partly", thanked="n/a", courtesy="3"
    )
    with floor.db.read() as session:
        done = session.get(Evaluation, evaluation_id)
    earned = 3 + 1.5 + 3 + 3 + 2 + 2 + 2 + 2 * 3 / 5
    assert done.score == pytest.approx(earned / 20)
    assert not done.critical_failed


def test_a_critical_item_missed_fails_the_whole_call(floor):
    evaluation_id = evaluate(floor, floor.lena, floor.calls["ann"][5], can_do="no")
    with floor.db.read() as session:
        done = session.get(Evaluation, evaluation_id)
    assert done.critical_failed and done.score == 0
    assert done.raw_score == pytest.approx(18 / 21)


@pytest.mark.parametrize(
    ("changed", "words"),
    [
        ({"can_do": "n/a"}, "can_do: n/a is no answer; say yes or no"),
        ({"thanked": "partly"}, "thanked: partly is no answer"),
        ({"courtesy": "9"}, "say 0 to 5"),
        ({"courtesy": ""}, "missing: courtesy"),
        ({"nonsense": "yes"}, "has no item nonsense"),
    ],
)
def test_bad_answers_are_refused_in_words(floor, changed, words):
    with pytest.raises(InvalidInput, match=words):
        evaluate(floor, floor.lena, floor.calls["ann"][5], **changed)


# --- roles --------------------------------------------------------------------------------


def test_agents_may_not_evaluate_and_the_refusal_is_audited(floor):
    with pytest.raises(PermissionDenied, match="may not evaluate calls"):
        evaluate(floor, floor.bo, floor.calls["ann"][5])
    with floor.db.read() as session:
        refused = session.exec(
            select(AuditEntry).where(AuditEntry.action == "permission.refused")
        ).all()
    assert [entry.actor_login for entry in refused] == ["bo"]


def test_nobody_evaluates_their_own_call(floor):
    lenas_call = floor.call(
        floor.queue_id, entered=WEEK_START, wait=5, talk=60, wrap=5, agent=floor.lena
    )
    with pytest.raises(PermissionDenied, match="may not evaluate their own call"):
        evaluate(floor, floor.lena, lenas_call)


def test_an_evaluator_scores_a_call_once(floor):
    evaluate(floor, floor.lena, floor.calls["ann"][5])
    with pytest.raises(Conflict, match="already evaluated"):
        evaluate(floor, floor.lena, floor.calls["ann"][5])


# --- the agent's word, disputes ------------------------------------------------------------


def test_the_agent_accepts_their_own_evaluation_only(floor):
    evaluation_id = evaluate(floor, floor.lena, floor.calls["ann"][5])
    with floor.db.write() as session, pytest.raises(PermissionDenied, match="not of your call"):
        evaluations.accept(session, floor.bo, evaluation_id, now=NOW)
    with floor.db.write() as session:
        evaluations.accept(session, floor.ann, evaluation_id, now=NOW)
    with floor.db.write() as session, pytest.raises(Conflict, match="already accepted"):
        evaluations.dispute(session, floor.ann, evaluation_id, "no", now=NOW)


def test_a_dispute_goes_to_a_manager_who_is_not_the_evaluator_and_is_settled(floor):
    evaluation_id = evaluate(floor, floor.mara, floor.calls["ann"][5], reflected="no")
    with floor.db.write() as session:
        disputed = evaluations.dispute(
            session, floor.ann, evaluation_id, "I did reflect back", now=NOW
        )
        assert disputed.dispute_owner_id == floor.max.id  # Mara evaluated: Max settles
    with floor.db.write() as session, pytest.raises(PermissionDenied, match="their own work"):
        evaluations.settle(session, floor.mara, evaluation_id, uphold=True, note="x", now=NOW)
    with floor.db.write() as session, pytest.raises(PermissionDenied):
        evaluations.settle(session, floor.lena, evaluation_id, uphold=True, note="x", now=NOW)
    with floor.db.write() as session:
        evaluations.settle(
            session, floor.max, evaluation_id, uphold=False, note="She did, at 2:10", now=NOW
        )
    with floor.db.read() as session:
        assert session.get(Evaluation, evaluation_id).state == EvaluationState.OVERTURNED
        assert quality_by_agent(session, LAST_MONTH) == []  # an overturned score counts nowhere
    with pytest.raises(Conflict, match=r"already evaluated .* \(overturned on dispute\)"):
        evaluate(floor, floor.mara, floor.calls["ann"][5])  # someone else looks again
    fresh = evaluate(floor, floor.lena, floor.calls["ann"][5])
    with floor.db.read() as session:
        assert not session.get(Evaluation, fresh).calibration  # the first that counts


def test_a_dispute_needs_a_reason(floor):
    evaluation_id = evaluate(floor, floor.lena, floor.calls["ann"][5])
    with floor.db.write() as session, pytest.raises(InvalidInput, match="say why"):
        evaluations.dispute(session, floor.ann, evaluation_id, "  ", now=NOW)


# --- calibration and the measures -----------------------------------------------------------


def test_a_second_evaluator_calibrates_and_the_spread_is_reported(floor):
    call = floor.calls["ann"][5]
    evaluate(floor, floor.lena, call)  # 1.0
    second = evaluate(floor, floor.lars, call, listened="no", reflected="no")  # 15/21
    evaluate(floor, floor.lars, floor.calls["bo"][5])
    evaluate(floor, floor.lena, floor.calls["bo"][5], can_do="no")  # 1.0 against 0.0
    with floor.db.read() as session:
        assert session.get(Evaluation, second).calibration
        teams = calibration_by_team(session, LAST_MONTH)
        agents = {q.name: q for q in quality_by_agent(session, LAST_MONTH)}
    assert [(t.name, t.calls) for t in teams] == [("Lena Lead", 2)]
    assert teams[0].spread == pytest.approx((6 / 21 + 1.0) / 2)
    assert teams[0].widest == pytest.approx(1.0)
    assert center_calibration(teams).calls == 2
    assert agents["Ann Agent"].evaluations == 1 and agents["Ann Agent"].score == 1.0
    assert agents["Bo Agent"].score == 1.0  # Lars was first; Lena's look was a calibration


def test_quality_per_agent_and_team_critical_fails_and_the_items_most_missed(floor):
    evaluate(floor, floor.lena, floor.calls["ann"][5], reflected="no")
    evaluate(floor, floor.lena, floor.calls["ann"][6], reflected="no", identified="no")
    evaluate(floor, floor.lena, floor.calls["bo"][5])
    evaluate(floor, floor.lars, floor.calls["cy"][5], reflected="partly")
    with floor.db.read() as session:
        agents = {q.name: q for q in quality_by_agent(session, LAST_MONTH)}
        teams = {q.name: q for q in quality_by_team(session, LAST_MONTH)}
        missed = most_missed(missed_by_agent(session, LAST_MONTH))
    assert agents["Ann Agent"].score == pytest.approx((18 / 21 + 0) / 2)
    assert agents["Ann Agent"].critical_fail_rate == 0.5
    assert teams["Lena Lead"].evaluations == 3
    assert teams["Lena Lead"].critical_fails == 1
    assert teams["Lars Lead"].score == pytest.approx(19.5 / 21)
    assert (missed[0].code, missed[0].missed, missed[0].answered) == ("reflected", 3, 4)
    assert (missed[1].code, missed[1].missed) == ("identified", 1)
    assert len(missed) == 2  # items always met are not listed


# --- the weekly sample ----------------------------------------------------------------------


def draw(center, who=None, week=WEEK):
    with center.db.write() as session:
        return sampling.draw_week(session, who or center.lena, settings_of(center), week, now=NOW)


def test_each_agent_gets_the_configured_calls_always_with_complaints_and_escalations(floor):
    drawn = draw(floor)
    by_agent: dict[int, dict[int, str]] = {}
    for d in drawn:
        by_agent.setdefault(d.agent_id, {})[d.call_id] = d.reason
    assert {a: len(calls) for a, calls in by_agent.items()} == {
        floor.ann.id: 4, floor.bo.id: 4, floor.cy.id: 4
    }  # fmt: skip
    ann = floor.calls["ann"]
    assert by_agent[floor.ann.id][ann[0]] == "complaint"
    assert by_agent[floor.ann.id][ann[1]] == "escalation"
    assert sorted(by_agent[floor.ann.id].values()) == [
        "complaint",
        "escalation",
        "random",
        "repeat",
    ]
    assert "long" in by_agent[floor.cy.id].values()  # Cy's third call ran 20 minutes
    assert all(call in floor.calls["cy"] for call in by_agent[floor.cy.id])


def test_drawing_a_week_again_draws_nothing_new(floor):
    first = draw(floor)
    assert draw(floor) == []
    with floor.db.read() as session:
        stored = session.exec(select(func.count()).select_from(MonitoringSample)).one()
    assert stored == len(first) == 12


def test_the_configured_number_of_calls_is_drawn(floor):
    from svcdesk_tui.core.settings import save_setting

    with floor.db.write() as session:
        save_setting(session, "monitoring_calls_per_week", 2)
    drawn = draw(floor)
    assert len(drawn) == 6
    ann = sorted(d.reason for d in drawn if d.agent_id == floor.ann.id)
    assert ann == ["complaint", "random"]  # one kind, and one left to chance


def test_the_sample_is_for_leads_and_managers_and_whole_weeks(floor):
    with pytest.raises(PermissionDenied):
        draw(floor, floor.ann)
    with pytest.raises(InvalidInput, match="starts on a Monday"):
        draw(floor, week=WEEK + timedelta(days=1))
    with pytest.raises(InvalidInput, match="has not begun"):
        draw(floor, week=WEEK + timedelta(days=14))

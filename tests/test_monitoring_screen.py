"""The Monitoring screen driven with keys: a lead evaluates a drawn call and plays its
recording; the agent accepts one evaluation and disputes another; a manager settles it."""

from __future__ import annotations

import pytest
from sqlmodel import select

from svcdesk_tui.core.settings import save_setting
from svcdesk_tui.models import Evaluation, EvaluationState
from svcdesk_tui.monitoring import evaluations, sampling
from svcdesk_tui.screens.monitoring.forms import DisputeScreen, EvaluateScreen, SettleScreen
from svcdesk_tui.screens.monitoring.screen import MonitoringScreen

from .conftest import MORNING
from .monitoring_helpers import WEEK, answers, build_floor, settings_of
from .pilot import desk_for, rows, until

SIZE = (120, 40)


@pytest.fixture
def floor(center):
    built = build_floor(center)
    with built.db.write() as session:
        sampling.draw_week(session, built.lena, settings_of(built), WEEK, now=MORNING)
    return built


def notes(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def state_of(app, evaluation_id: int) -> str:
    return next(row[5] for row in rows(app, "#mon-evals") if row[0] == f"#{evaluation_id}")


async def to_monitoring(pilot, app) -> None:
    await pilot.press("5")
    await until(pilot, lambda: isinstance(app.screen, MonitoringScreen))
    await until(pilot, lambda: app.screen.desk is not None)


def stored(center) -> list[Evaluation]:
    with center.db.read() as session:
        return list(session.exec(select(Evaluation).order_by(Evaluation.id)).all())


async def test_a_lead_evaluates_a_drawn_call_of_her_team(floor):
    app = desk_for(floor, floor.lena)
    async with app.run_test(size=SIZE) as pilot:
        await to_monitoring(pilot, app)
        queue = rows(app, "#mon-queue")
        assert len(queue) == 8  # Ann's and Bo's four each; Cy is Lars's
        assert {row[2] for row in queue} == {"Ann Agent", "Bo Agent"}
        first_call = int(queue[0][0][1:])
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, EvaluateScreen))
        for answer in ("y", "n", "y", "y", "y", "n/a", "y", "y"):  # the form's order
            await pilot.press(*answer, "tab")
        await pilot.press("4", "tab", *"calm", "tab", *"reflect back", "ctrl+s")
        await until(pilot, lambda: len(rows(app, "#mon-queue")) == 7)
        await until(pilot, lambda: len(rows(app, "#mon-evals")) == 1)
        shown = rows(app, "#mon-evals")[0]
        assert shown[1:5] == [f"#{first_call}", "Ann Agent", "Lena Lead", "82%"]
        assert shown[6] == "reflect back"
    made = stored(floor)[0]
    assert (made.call_id, made.evaluator_id, made.coaching) == (
        first_call,
        floor.lena.id,
        "reflect back",
    )
    assert made.score == pytest.approx((21 - 3 - 2 - 2 * 1 / 5) / 19)


async def test_a_bad_answer_is_refused_in_the_form(floor):
    app = desk_for(floor, floor.lena)
    async with app.run_test(size=SIZE) as pilot:
        await to_monitoring(pilot, app)
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, EvaluateScreen))
        await pilot.press(*"maybe", "ctrl+s")
        await until(pilot, lambda: any("maybe is no answer" in n for n in notes(app)))
        assert isinstance(app.screen, EvaluateScreen)
    assert stored(floor) == []


async def test_play_says_why_it_cannot_and_plays_with_the_player(floor, tmp_path):
    folder = tmp_path / "recordings"
    folder.mkdir()
    recording = folder / "call.wav"
    recording.write_bytes(b"RIFF")
    heard = tmp_path / "heard"
    with floor.db.write() as session:
        save_setting(session, "recording_folder", str(folder))
        save_setting(session, "recording_player", f"cp {{path}} {heard}")
    app = desk_for(floor, floor.lena)
    async with app.run_test(size=SIZE) as pilot:
        await to_monitoring(pilot, app)
        await pilot.press("p")
        await until(pilot, lambda: any("has no recording" in n for n in notes(app)))
        first_call = int(rows(app, "#mon-queue")[0][0][1:])
        from svcdesk_tui.monitoring.recordings import attach

        with floor.db.write() as session:
            attach(session, floor.mara, settings_of(floor), first_call, "call.wav", now=MORNING)
        app.screen.reread()
        await until(pilot, lambda: rows(app, "#mon-queue")[0][6] == "♪ yes")
        await pilot.press("p")
        await until(pilot, heard.exists)
        assert f"Playing call #{first_call}" in notes(app)
        app.settings = settings_of(floor).__class__(
            recording_folder=str(folder), recording_player="no-such-player {path}"
        )
        await pilot.press("p")
        await until(
            pilot, lambda: any("'no-such-player' is not installed" in n for n in notes(app))
        )


async def test_the_agent_accepts_one_disputes_another_and_a_manager_settles(floor):
    ann = floor.calls["ann"]
    with floor.db.write() as session:
        first = evaluations.evaluate(session, floor.lena, ann[5], answers(), now=MORNING).id
        second = evaluations.evaluate(
            session, floor.lena, ann[6], answers(can_do="no"), now=MORNING
        ).id
    app = desk_for(floor, floor.ann)
    async with app.run_test(size=SIZE) as pilot:
        await to_monitoring(pilot, app)
        assert not app.screen.query_one("#mon-queue-box").display
        shown = rows(app, "#mon-evals")
        assert [row[0] for row in shown] == [f"#{first}", f"#{second}"]
        assert all(row[5] == "yours to answer" for row in shown)
        await pilot.press("enter")  # the whole comment and coaching note
        await until(pilot, lambda: "No comment.\nCoaching: —" in notes(app))
        await pilot.press("a")
        await until(pilot, lambda: state_of(app, first) == "accepted")
        assert rows(app, "#mon-evals")[0][0] == f"#{second}"  # still to answer: on top
        await pilot.press("up", "d")
        await until(pilot, lambda: isinstance(app.screen, DisputeScreen))
        await pilot.press(*"I offered a call-back", "ctrl+s")
        await until(pilot, lambda: state_of(app, second) == "DISPUTED")
        await pilot.press("v")  # agents may not evaluate: said, and audited
        await until(pilot, lambda: any("may not evaluate calls" in n for n in notes(app)))
    states = {e.id: e for e in stored(floor)}
    assert states[first].state == EvaluationState.ACCEPTED
    assert states[second].dispute_owner_id == floor.mara.id

    boss = desk_for(floor, floor.mara)
    async with boss.run_test(size=SIZE) as pilot:
        await to_monitoring(pilot, boss)
        assert rows(boss, "#mon-evals")[0][5] == "DISPUTED (yours)"
        await pilot.press("tab")  # from the queue to the evaluations
        await pilot.press("s")
        await until(pilot, lambda: isinstance(boss.screen, SettleScreen))
        await pilot.press("down", "enter", "tab", *"she did offer it", "ctrl+s")
        await until(pilot, lambda: state_of(boss, second) == "overturned")
    assert {e.id: e.state for e in stored(floor)}[second] == EvaluationState.OVERTURNED


async def test_the_customer_card_plays_a_call_it_marks_as_recorded(floor, tmp_path):
    from svcdesk_tui.models import Call
    from svcdesk_tui.monitoring.recordings import attach
    from svcdesk_tui.screens.queue.customer_card import CustomerCardScreen

    folder = tmp_path / "recordings"
    folder.mkdir()
    (folder / "call.wav").write_bytes(b"RIFF")
    heard = tmp_path / "heard"
    call_id = floor.calls["ann"][0]
    with floor.db.write() as session:
        save_setting(session, "recording_folder", str(folder))
        save_setting(session, "recording_player", f"cp {{path}} {heard}")
    with floor.db.write() as session:
        attach(session, floor.mara, settings_of(floor), call_id, "call.wav", now=MORNING)
        customer = session.get(Call, call_id).customer_id
    app = desk_for(floor, floor.lena)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(CustomerCardScreen(customer))
        await until(pilot, lambda: isinstance(app.screen, CustomerCardScreen))
        table = app.screen.query_one("#card-calls")
        await until(pilot, lambda: table.row_count > 0)
        marks = {key.value: table.get_row(key)[-1] for key in table.rows}
        assert marks[str(call_id)] == "♪"
        table.move_cursor(row=table.get_row_index(str(call_id)))
        await pilot.press("p")
        await until(pilot, heard.exists)
        table.move_cursor(row=next(i for i, k in enumerate(table.rows) if k.value != str(call_id)))
        await pilot.press("p")
        await until(pilot, lambda: any("has no recording" in n for n in notes(app)))

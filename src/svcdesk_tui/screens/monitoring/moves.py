"""What the Monitoring screen does: evaluate, play, accept, dispute, settle.

Reads and writes run in workers (the form is read off the event loop, each move
is one write transaction); playing hands the terminal to the player and takes
it back, or plays without a terminal where the desk cannot lend it.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session
from textual import work

from svcdesk_tui.core.formatting import percent
from svcdesk_tui.monitoring import evaluations
from svcdesk_tui.monitoring.desk import EvaluationRow, MonitoringDesk, QueuedCall
from svcdesk_tui.monitoring.forms import require_form
from svcdesk_tui.screens.common.desk import DeskScreen
from svcdesk_tui.screens.common.failures import guarded
from svcdesk_tui.screens.monitoring.forms import (
    Answers,
    DisputeScreen,
    EvaluateScreen,
    Settlement,
    SettleScreen,
)
from svcdesk_tui.screens.monitoring.player import play_call
from svcdesk_tui.widgets.live_table import LiveTable


class MonitoringMoves(DeskScreen[MonitoringDesk]):
    """The Monitoring screen's keys; the screen itself lays out and shows the desk."""

    def __init__(self) -> None:
        super().__init__()
        self.desk: MonitoringDesk | None = None

    # --- what is selected --------------------------------------------------------

    def _queued(self) -> QueuedCall | None:
        key = self.query_one("#mon-queue", LiveTable).selected_key
        if self.desk is None or key is None:
            return None
        return next((q for q in self.desk.queue if str(q.call_id) == key), None)

    def _evaluation(self, *, say: bool = True) -> EvaluationRow | None:
        key = self.query_one("#mon-evals", LiveTable).selected_key
        found = None
        if self.desk is not None and key is not None:
            found = next((e for e in self.desk.evaluations if str(e.evaluation_id) == key), None)
        if found is None and say:
            self.notify("Select an evaluation first", severity="warning")
        return found

    def _in_queue(self) -> bool:
        return self.focused is self.query_one("#mon-queue", LiveTable)

    def _selected_call(self) -> tuple[int, str | None] | None:
        """The call under the cursor of the table in focus, and its recording."""
        if self._in_queue():
            queued = self._queued()
            if queued is not None:
                return queued.call_id, queued.recording_path
        else:
            row = self._evaluation(say=False)
            if row is not None:
                return row.call_id, row.recording_path
        self.notify("Select a call first", severity="warning")
        return None

    # --- play ----------------------------------------------------------------------

    def action_play(self) -> None:
        chosen = self._selected_call()
        if chosen is not None:
            play_call(self, *chosen)

    # --- evaluate ------------------------------------------------------------------

    def action_evaluate(self) -> None:
        call_id: int | None = None
        if self._in_queue():
            queued = self._queued()
            call_id = queued.call_id if queued else None
        else:
            row = self._evaluation(say=False)
            call_id = row.call_id if row else None  # a second look: calibration
        if call_id is None:
            self.notify("Select a call to evaluate first", severity="warning")
            return
        self._ask_answers(call_id)

    @work(thread=True, group="forms")
    @guarded("Could not read the evaluation form")
    def _ask_answers(self, call_id: int) -> None:
        app = self.app
        with app.db.read() as session:
            form = require_form(session)
        actor = app.actor

        def done(given: Answers | None) -> None:
            if given is None:
                return

            def move(session: Session, *, now: datetime) -> str:
                made = evaluations.evaluate(
                    session, actor, call_id, given.answers, now=now, comment=given.comment,
                    coaching=given.coaching, form=form,
                )  # fmt: skip
                words = f"Call #{call_id}: {percent(made.score)}"
                words += " (critical item missed)" if made.critical_failed else ""
                return words + (" — a calibration" if made.calibration else "")

            self.run_move("save the evaluation", move)

        screen = EvaluateScreen(f"Evaluate call #{call_id} with {form.label}", form)
        app.call_from_thread(app.push_screen, screen, done)

    # --- the agent's word, the manager's settlement ------------------------------

    def action_accept(self) -> None:
        if (row := self._evaluation()) is None:
            return
        actor = self.app.actor
        self.run_move(
            "accept the evaluation",
            lambda session, now: (
                evaluations.accept(session, actor, row.evaluation_id, now=now)
                and f"Evaluation #{row.evaluation_id} accepted"
            ),
        )

    def action_dispute(self) -> None:
        if (row := self._evaluation()) is None:
            return
        actor = self.app.actor

        def done(reason: str | None) -> None:
            if reason:

                def move(session: Session, *, now: datetime) -> str:
                    evaluations.dispute(session, actor, row.evaluation_id, reason, now=now)
                    return f"Evaluation #{row.evaluation_id} disputed: a manager will settle it"

                self.run_move("dispute the evaluation", move)

        self.app.push_screen(DisputeScreen(f"Dispute evaluation #{row.evaluation_id}"), done)

    def action_settle(self) -> None:
        if (row := self._evaluation()) is None:
            return
        actor = self.app.actor

        def done(given: Settlement | None) -> None:
            if given is None:
                return

            def move(session: Session, *, now: datetime) -> str:
                made = evaluations.settle(
                    session, actor, row.evaluation_id, uphold=given.uphold, note=given.note,
                    now=now,
                )  # fmt: skip
                return f"Evaluation #{row.evaluation_id} {made.state}"

            self.run_move("settle the dispute", move)

        title = f"Settle the dispute of evaluation #{row.evaluation_id}"
        self.app.push_screen(SettleScreen(title), done)

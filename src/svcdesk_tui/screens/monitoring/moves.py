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
from svcdesk_tui.screens.common.selection import under_cursor
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
        queue = self.desk.queue if self.desk else ()
        return under_cursor(self, "#mon-queue", queue, lambda q: q.call_id)

    def _evaluation(self, *, say: bool = True) -> EvaluationRow | None:
        rows = self.desk.evaluations if self.desk else ()
        missing = "Select an evaluation first" if say else None
        return under_cursor(self, "#mon-evals", rows, lambda e: e.evaluation_id, missing=missing)

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

        def move(session: Session, given: Answers, *, now: datetime) -> str:
            made = evaluations.evaluate(
                session, actor, call_id, given.answers, now=now, comment=given.comment,
                coaching=given.coaching, form=form,
            )  # fmt: skip
            words = f"Call #{call_id}: {percent(made.score)}"
            words += " (critical item missed)" if made.critical_failed else ""
            return words + (" — a calibration" if made.calibration else "")

        screen = EvaluateScreen(f"Evaluate call #{call_id} with {form.label}", form)
        app.call_from_thread(self.move_after, screen, "save the evaluation", move)

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

        def move(session: Session, reason: str, *, now: datetime) -> str:
            evaluations.dispute(session, actor, row.evaluation_id, reason, now=now)
            return f"Evaluation #{row.evaluation_id} disputed: a manager will settle it"

        ask = DisputeScreen(f"Dispute evaluation #{row.evaluation_id}")
        self.move_after(ask, "dispute the evaluation", move)

    def action_settle(self) -> None:
        if (row := self._evaluation()) is None:
            return
        actor = self.app.actor

        def move(session: Session, given: Settlement, *, now: datetime) -> str:
            made = evaluations.settle(
                session, actor, row.evaluation_id, uphold=given.uphold, note=given.note, now=now
            )
            return f"Evaluation #{row.evaluation_id} {made.state}"

        ask = SettleScreen(f"Settle the dispute of evaluation #{row.evaluation_id}")
        self.move_after(ask, "settle the dispute", move)

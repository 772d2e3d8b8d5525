"""What the Complaints desk does: work, resolve, call back, confirm, reopen, close, decide.

Each move asks for what it needs in a form and runs in a worker through
:meth:`MoveRunner.run_move`; the service layer refuses what a role may not do.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session
from textual import work

from svcdesk_tui.complaints import feedback
from svcdesk_tui.complaints import lifecycle as complaints
from svcdesk_tui.complaints.compensation import decide, format_amount
from svcdesk_tui.complaints.desk import ComplaintsDesk, DeskComplaint
from svcdesk_tui.core.formatting import local_time
from svcdesk_tui.models import AttemptResult
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.screens.common.desk import DeskScreen
from svcdesk_tui.screens.common.failures import guarded
from svcdesk_tui.screens.common.forms import unless_cancelled
from svcdesk_tui.screens.complaints.actions import compensate
from svcdesk_tui.screens.complaints.forms import (
    Attempt,
    AttemptScreen,
    Decision,
    DecisionScreen,
    NoteScreen,
    Resolution,
    ResolveScreen,
)
from svcdesk_tui.screens.complaints.rows import kind_words
from svcdesk_tui.widgets.live_table import LiveTable


class ComplaintMoves(DeskScreen[ComplaintsDesk]):
    """The Complaints desk's keys; the screen itself lays out and shows the desk."""

    def __init__(self) -> None:
        super().__init__()
        self.desk: ComplaintsDesk | None = None

    def _selected(self) -> DeskComplaint | None:
        key = self.query_one("#complaints", LiveTable).selected_key
        found = None
        if self.desk is not None and key is not None:
            found = next((c for c in self.desk.complaints if str(c.complaint_id) == key), None)
        if found is None:
            self.notify("Select a complaint first", severity="warning")
        return found

    def action_work(self) -> None:
        if (row := self._selected()) is None:
            return
        actor = self.app.actor
        self.run_move(
            "take the complaint",
            lambda session, now: (
                complaints.start_work(session, actor, row.complaint_id, now=now)
                and f"Complaint #{row.complaint_id} is yours, in progress"
            ),
        )

    def action_resolve(self) -> None:
        if (row := self._selected()) is not None:
            self._ask_resolution(row)

    @work(thread=True, group="forms")
    @guarded("Could not read who may call back")
    def _ask_resolution(self, row: DeskComplaint) -> None:
        app = self.app
        with app.db.read() as session:
            people = complaints.followup_candidates(session)
        actor, settings = app.actor, app.settings
        names = dict(people)

        @unless_cancelled
        def done(res: Resolution) -> None:
            def move(session: Session, *, now: datetime) -> str:
                done_row = complaints.resolve(
                    session,
                    actor,
                    row.complaint_id,
                    settings,
                    now=now,
                    followup_owner_id=res.followup_owner_id,
                    note=res.note,
                )
                due = local_time(done_row.followup_due_at or now, settings.timezone, with_date=True)
                return (
                    f"Complaint #{row.complaint_id} resolved, awaiting the customer's word: "
                    f"{names.get(res.followup_owner_id, 'someone')} calls back by {due}"
                )

            self.run_move("resolve the complaint", move)

        screen = ResolveScreen(f"complaint #{row.complaint_id} ({row.customer})", people, actor.id)
        app.call_from_thread(app.push_screen, screen, done)

    def action_log_attempt(self) -> None:
        if (row := self._selected()) is None:
            return
        actor = self.app.actor

        def done(attempt: Attempt | None) -> None:
            if attempt is not None:
                self.run_move(
                    "log the call-back",
                    lambda session, now: _attempt_move(session, actor, row, attempt, now=now),
                )

        self.app.push_screen(AttemptScreen(f"complaint #{row.complaint_id} ({row.customer})"), done)

    def action_confirm(self) -> None:
        if (row := self._selected()) is None:
            return
        actor = self.app.actor
        attempt = Attempt(AttemptResult.CONFIRMED, "")
        self.run_move(
            "confirm", lambda session, now: _attempt_move(session, actor, row, attempt, now=now)
        )

    def action_reopen(self) -> None:
        if (row := self._selected()) is None:
            return
        actor = self.app.actor

        @unless_cancelled
        def done(note: str) -> None:
            self.run_move(
                "reopen",
                lambda session, now: (
                    complaints.reopen(session, actor, row.complaint_id, now=now, note=note)
                    and f"Complaint #{row.complaint_id} reopened: not solved"
                ),
            )

        title = f"Reopen complaint #{row.complaint_id}: what is not solved?"
        self.app.push_screen(NoteScreen(title, "In the customer's words"), done)

    def action_close_unconfirmed(self) -> None:
        if (row := self._selected()) is None:
            return
        actor, settings = self.app.actor, self.app.settings
        self.run_move(
            "close the complaint",
            lambda session, now: (
                complaints.close_unconfirmed(session, actor, row.complaint_id, settings, now=now)
                and f"Complaint #{row.complaint_id} closed as UNCONFIRMED (customer not reached)"
            ),
        )

    def action_compensate(self) -> None:
        if (row := self._selected()) is None:
            return
        compensate(
            self,
            customer_id=row.customer_id,
            complaint_id=row.complaint_id,
            customer_name=row.customer,
        )

    def action_decide(self) -> None:
        key = self.query_one("#approvals", LiveTable).selected_key
        pending = next(
            (
                a
                for a in (self.desk.approvals if self.desk else ())
                if str(a.compensation_id) == key
            ),
            None,
        )
        if pending is None:
            self.notify("No compensation request is waiting", severity="warning")
            return
        actor = self.app.actor

        @unless_cancelled
        def done(decision: Decision) -> None:
            verdict = "approved" if decision.approve else "rejected"
            self.run_move(
                "decide",
                lambda session, now: (
                    decide(
                        session,
                        actor,
                        pending.compensation_id,
                        now=now,
                        approve=decision.approve,
                        note=decision.note,
                    )
                    and f"Request #{pending.compensation_id} {verdict}"
                ),
            )

        summary = (
            f"Request #{pending.compensation_id}: {kind_words(pending.kind)} "
            f"{format_amount(pending.amount_cents)} for {pending.customer}, "
            f"asked by {pending.requested_by}"
        )
        self.app.push_screen(DecisionScreen(summary), done)

    def action_follow_up(self) -> None:
        key = self.query_one("#detractors", LiveTable).selected_key
        task = next(
            (t for t in (self.desk.detractors if self.desk else ()) if str(t.feedback_id) == key),
            None,
        )
        if task is None:
            self.notify("No detractor is waiting for a call", severity="warning")
            return
        actor, settings = self.app.actor, self.app.settings

        @unless_cancelled
        def done(outcome: str) -> None:
            self.run_move(
                "record the call",
                lambda session, now: (
                    feedback.record_followup(
                        session, actor, task.feedback_id, settings, now=now, outcome=outcome
                    )
                    and f"Your call with {task.customer} is recorded"
                ),
            )

        title = f"You called {task.customer} about their feedback: how did it go?"
        self.app.push_screen(NoteScreen(title, "Outcome (required)", required=True), done)


def _attempt_move(
    session: Session, actor: Actor, row: DeskComplaint, attempt: Attempt, *, now: datetime
) -> str:
    complaint = complaints.log_attempt(
        session,
        actor,
        row.complaint_id,
        attempt.result,
        now=now,
        note=attempt.note,
    )
    if attempt.result == AttemptResult.CONFIRMED:
        return f"Complaint #{row.complaint_id} closed: confirmed by the customer"
    if attempt.result == AttemptResult.NOT_SOLVED:
        return f"Complaint #{row.complaint_id} reopened: not solved"
    failed = complaints.failed_attempts(session, complaint)
    return f"Call-back logged: {failed} failed attempt(s) on #{row.complaint_id}"

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
from svcdesk_tui.screens.common.selection import under_cursor
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


class ComplaintMoves(DeskScreen[ComplaintsDesk]):
    """The Complaints desk's keys; the screen itself lays out and shows the desk."""

    def __init__(self) -> None:
        super().__init__()
        self.desk: ComplaintsDesk | None = None

    def _selected(self) -> DeskComplaint | None:
        rows = self.desk.complaints if self.desk else ()
        missing = "Select a complaint first"
        return under_cursor(self, "#complaints", rows, lambda c: c.complaint_id, missing=missing)

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

        def move(session: Session, res: Resolution, *, now: datetime) -> str:
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

        screen = ResolveScreen(f"complaint #{row.complaint_id} ({row.customer})", people, actor.id)
        app.call_from_thread(self.move_after, screen, "resolve the complaint", move)

    def action_log_attempt(self) -> None:
        if (row := self._selected()) is None:
            return
        actor = self.app.actor

        self.move_after(
            AttemptScreen(f"complaint #{row.complaint_id} ({row.customer})"),
            "log the call-back",
            lambda session, attempt, now: _attempt_move(session, actor, row, attempt, now=now),
        )

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

        title = f"Reopen complaint #{row.complaint_id}: what is not solved?"
        self.move_after(
            NoteScreen(title, "In the customer's words"),
            "reopen",
            lambda session, note, now: (
                complaints.reopen(session, actor, row.complaint_id, now=now, note=note)
                and f"Complaint #{row.complaint_id} reopened: not solved"
            ),
        )

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
        rows = self.desk.approvals if self.desk else ()
        missing = "No compensation request is waiting"
        pending = under_cursor(
            self, "#approvals", rows, lambda a: a.compensation_id, missing=missing
        )
        if pending is None:
            return
        actor = self.app.actor

        def move(session: Session, decision: Decision, *, now: datetime) -> str:
            decide(
                session,
                actor,
                pending.compensation_id,
                now=now,
                approve=decision.approve,
                note=decision.note,
            )
            verdict = "approved" if decision.approve else "rejected"
            return f"Request #{pending.compensation_id} {verdict}"

        summary = (
            f"Request #{pending.compensation_id}: {kind_words(pending.kind)} "
            f"{format_amount(pending.amount_cents)} for {pending.customer}, "
            f"asked by {pending.requested_by}"
        )
        self.move_after(DecisionScreen(summary), "decide", move)

    def action_follow_up(self) -> None:
        rows = self.desk.detractors if self.desk else ()
        missing = "No detractor is waiting for a call"
        task = under_cursor(self, "#detractors", rows, lambda t: t.feedback_id, missing=missing)
        if task is None:
            return
        actor, settings = self.app.actor, self.app.settings

        title = f"You called {task.customer} about their feedback: how did it go?"
        self.move_after(
            NoteScreen(title, "Outcome (required)", required=True),
            "record the call",
            lambda session, outcome, now: (
                feedback.record_followup(
                    session, actor, task.feedback_id, settings, now=now, outcome=outcome
                )
                and f"Your call with {task.customer} is recorded"
            ),
        )


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

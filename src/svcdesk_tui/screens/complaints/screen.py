"""The Complaints desk: call-backs due and overdue first, then the rest of the loop.

Top: complaints (overdue and due call-backs, awaiting confirmation, open, recent
repeats). Below: detractors a manager must call, and compensation waiting for
approval. Reads and moves run in thread workers, like the Queue screen.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from sqlmodel import Session
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Static

from svcdesk_tui.complaints import feedback
from svcdesk_tui.complaints import lifecycle as complaints
from svcdesk_tui.complaints.compensation import KIND_WORDS, PendingApproval, decide, format_amount
from svcdesk_tui.complaints.desk import ComplaintsDesk, DeskComplaint, Section, read_desk
from svcdesk_tui.complaints.feedback import DetractorTask
from svcdesk_tui.core.errors import SvcdeskError
from svcdesk_tui.core.formatting import local_time, percent
from svcdesk_tui.models import AttemptResult
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action
from svcdesk_tui.screens.common.guard import RoleGuard
from svcdesk_tui.screens.common.moves import MoveRunner
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
from svcdesk_tui.screens.queue.customer_card import CustomerCardScreen
from svcdesk_tui.widgets.live_table import LiveTable, Row

ACTION_NEEDS = {
    "work": Action.WORK_COMPLAINT,
    "resolve": Action.WORK_COMPLAINT,
    "log_attempt": Action.WORK_COMPLAINT,
    "confirm": Action.WORK_COMPLAINT,
    "reopen": Action.WORK_COMPLAINT,
    "close_unconfirmed": Action.CLOSE_UNCONFIRMED,
    "compensate": Action.GRANT_COMPENSATION,
    "decide": Action.APPROVE_COMPENSATION,
    "follow_up": Action.FOLLOW_UP_FEEDBACK,
}


class ComplaintsScreen(RoleGuard, MoveRunner, Screen[None]):
    """Complaints that close only when the customer says so."""

    ACTION_NEEDS = ACTION_NEEDS

    BINDINGS = [
        Binding("l", "log_attempt", "Log call-back"),
        Binding("c", "confirm", "Confirm"),
        Binding("r", "resolve", "Resolve"),
        Binding("e", "reopen", "Reopen"),
        Binding("w", "work", "Work on it"),
        Binding("x", "close_unconfirmed", "Close unconfirmed"),
        Binding("g", "compensate", "Compensate"),
        Binding("a", "decide", "Approve/reject"),
        Binding("f", "follow_up", "Detractor call"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.desk: ComplaintsDesk | None = None
        self._reading = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="desk-status")
        yield Static(id="desk-quality")
        with Vertical(id="complaints-box"):
            yield Label("Complaints", id="complaints-title", classes="section-title")
            yield LiveTable(
                "#",
                "Status",
                "Customer",
                "Category",
                "Call-back by",
                "Tries",
                "Flag",
                "Owner",
                id="complaints",
            )
        with Vertical(id="detractors-box"):
            yield Label("Detractors to call", id="detractors-title", classes="section-title")
            yield LiveTable("#", "Due", "Customer", "Score", "Manager", "Comment", id="detractors")
        with Vertical(id="approvals-box"):
            yield Label(
                "Compensation awaiting approval", id="approvals-title", classes="section-title"
            )
            yield LiveTable(
                "#", "Amount", "Kind", "Customer", "Complaint", "Asked by", "You", id="approvals"
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#complaints", LiveTable).focus()
        self.set_interval(self.app.refresh_seconds, self.refresh_desk)  # type: ignore[attr-defined]
        self.refresh_desk()

    # --- reading --------------------------------------------------------

    def refresh_desk(self) -> None:
        """Start a read unless one is under way or another mode's screen is showing."""
        if not self._reading and self in self.app.screen_stack:
            self._reading = True
            self.read_desk()

    def on_screen_resume(self) -> None:
        self.refresh_desk()

    @work(thread=True, group="snapshot")
    def read_desk(self) -> None:
        app = self.app
        try:
            with app.db.read() as session:  # type: ignore[attr-defined]
                desk = read_desk(session, app.actor, app.clock.now(), app.settings)  # type: ignore[attr-defined]
        except SvcdeskError as error:
            app.call_from_thread(self._read_failed, error.message)
            return
        app.call_from_thread(self.show, desk)

    def _read_failed(self, message: str) -> None:
        self._reading = False
        self.notify(message, severity="error", title="Could not read the store")

    def show(self, desk: ComplaintsDesk) -> None:
        self._reading = False
        if not self.is_attached or not self.query("#complaints"):
            return  # the desk is closing while the read was under way
        self.desk = desk
        tz = self.app.settings.timezone  # type: ignore[attr-defined]
        counts = {section: 0 for section in Section}
        for row in desk.complaints:
            counts[row.section] += 1
        status = Text()
        overdue = counts[Section.OVERDUE]
        status.append(
            f"{overdue} OVERDUE" if overdue else "none overdue",
            style="bold red" if overdue else "green",
        )
        status.append(f" · {counts[Section.DUE_TODAY]} due today")
        status.append(f" · {counts[Section.AWAITING]} awaiting")
        status.append(f" · {counts[Section.OPEN]} open")
        status.append(f" · {counts[Section.RECENT_REPEAT]} recent repeats")
        self.query_one("#desk-status", Static).update(status)
        self.query_one("#desk-quality", Static).update(quality_line(desk))
        self.query_one("#complaints-title", Label).update(f"Complaints ({len(desk.complaints)})")
        self.query_one("#complaints", LiveTable).sync(
            [complaint_row(row, desk, tz) for row in desk.complaints]
        )
        overdue = sum(task.overdue(desk.at) for task in desk.detractors)
        in_time = percent(desk.scores.detractor_followup_rate)
        self.query_one("#detractors-title", Label).update(
            f"Detractors to call ({len(desk.detractors)}, {overdue} overdue; "
            f"{desk.window_days}d: {in_time} called in time)"
        )
        self.query_one("#detractors", LiveTable).sync(
            [detractor_row(task, desk.at, tz) for task in desk.detractors]
        )
        self.query_one("#approvals-title", Label).update(
            f"Compensation awaiting approval ({len(desk.approvals)})"
        )
        self.query_one("#approvals", LiveTable).sync([approval_row(a) for a in desk.approvals])

    # --- moves ----------------------------------------------------------

    def after_move(self) -> None:
        self.refresh_desk()

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
        actor = self.app.actor  # type: ignore[attr-defined]
        self.run_move(
            "take the complaint",
            lambda session, now: (
                complaints.start_work(session, actor, row.complaint_id, now)
                and f"Complaint #{row.complaint_id} is yours, in progress"
            ),
        )

    def action_resolve(self) -> None:
        if (row := self._selected()) is not None:
            self._ask_resolution(row)

    @work(thread=True, group="forms")
    def _ask_resolution(self, row: DeskComplaint) -> None:
        app = self.app
        try:
            with app.db.read() as session:  # type: ignore[attr-defined]
                people = complaints.followup_candidates(session)
        except SvcdeskError as error:
            app.call_from_thread(self._read_failed, error.message)
            return
        actor, settings = app.actor, app.settings  # type: ignore[attr-defined]
        names = dict(people)

        def done(res: Resolution | None) -> None:
            if res is None:
                return

            def move(session: Session, now: datetime) -> str:
                done_row = complaints.resolve(
                    session,
                    actor,
                    row.complaint_id,
                    now,
                    settings,
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
        actor = self.app.actor  # type: ignore[attr-defined]

        def done(attempt: Attempt | None) -> None:
            if attempt is not None:
                self.run_move(
                    "log the call-back",
                    lambda session, now: _attempt_move(session, now, actor, row, attempt),
                )

        self.app.push_screen(AttemptScreen(f"complaint #{row.complaint_id} ({row.customer})"), done)

    def action_confirm(self) -> None:
        if (row := self._selected()) is None:
            return
        actor = self.app.actor  # type: ignore[attr-defined]
        attempt = Attempt(AttemptResult.CONFIRMED, "")
        self.run_move(
            "confirm", lambda session, now: _attempt_move(session, now, actor, row, attempt)
        )

    def action_reopen(self) -> None:
        if (row := self._selected()) is None:
            return
        actor = self.app.actor  # type: ignore[attr-defined]

        def done(note: str | None) -> None:
            if note is None:
                return
            self.run_move(
                "reopen",
                lambda session, now: (
                    complaints.reopen(session, actor, row.complaint_id, now, note=note)
                    and f"Complaint #{row.complaint_id} reopened: not solved"
                ),
            )

        title = f"Reopen complaint #{row.complaint_id}: what is not solved?"
        self.app.push_screen(NoteScreen(title, "In the customer's words"), done)

    def action_close_unconfirmed(self) -> None:
        if (row := self._selected()) is None:
            return
        actor, settings = self.app.actor, self.app.settings  # type: ignore[attr-defined]
        self.run_move(
            "close the complaint",
            lambda session, now: (
                complaints.close_unconfirmed(session, actor, row.complaint_id, now, settings)
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
        actor = self.app.actor  # type: ignore[attr-defined]

        def done(decision: Decision | None) -> None:
            if decision is None:
                return
            verdict = "approved" if decision.approve else "rejected"
            self.run_move(
                "decide",
                lambda session, now: (
                    decide(
                        session,
                        actor,
                        pending.compensation_id,
                        now,
                        approve=decision.approve,
                        note=decision.note,
                    )
                    and f"Request #{pending.compensation_id} {verdict}"
                ),
            )

        summary = (
            f"Request #{pending.compensation_id}: {KIND_WORDS.get(pending.kind, pending.kind)} "
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
        actor, settings = self.app.actor, self.app.settings  # type: ignore[attr-defined]

        def done(outcome: str | None) -> None:
            if outcome is None:
                return
            self.run_move(
                "record the call",
                lambda session, now: (
                    feedback.record_followup(
                        session, actor, task.feedback_id, now, settings, outcome=outcome
                    )
                    and f"Your call with {task.customer} is recorded"
                ),
            )

        title = f"You called {task.customer} about their feedback: how did it go?"
        self.app.push_screen(NoteScreen(title, "Outcome (required)", required=True), done)

    @on(LiveTable.RowSelected, "#complaints")
    def open_customer(self, event: LiveTable.RowSelected) -> None:
        row = self._selected()
        if row is not None:
            self.app.push_screen(CustomerCardScreen(row.customer_id))


def _attempt_move(
    session: Session, now: datetime, actor: Actor, row: DeskComplaint, attempt: Attempt
) -> str:
    complaint = complaints.log_attempt(
        session,
        actor,
        row.complaint_id,
        attempt.result,
        now,
        note=attempt.note,  # type: ignore[arg-type]
    )
    if attempt.result == AttemptResult.CONFIRMED:
        return f"Complaint #{row.complaint_id} closed: confirmed by the customer"
    if attempt.result == AttemptResult.NOT_SOLVED:
        return f"Complaint #{row.complaint_id} reopened: not solved"
    failed = complaints.failed_attempts(session, complaint)
    return f"Call-back logged: {failed} failed attempt(s) on #{row.complaint_id}"


# --- rows -------------------------------------------------------------------


def quality_line(desk: ComplaintsDesk) -> Text:
    """The measures of the last days, the same numbers the management report shows."""
    q, f = desk.quality, desk.scores
    nps = "—" if f.nps is None else f"{f.nps:+.0f}"
    return Text(
        f"{desk.window_days}d: loop closed {percent(q.close_the_loop_rate)}  "
        f"unconfirmed {percent(q.unconfirmed_close_rate)}  reopened {percent(q.reopen_rate)}  "
        f"CSAT {percent(f.csat)}  NPS {nps}",
        style="dim",
    )


def short(text: str, width: int = 24) -> str:
    """Keep long names from pushing the other columns off an 80-column terminal."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _ago(seconds: float) -> str:
    hours = int(seconds // 3600)
    return (
        f"{hours // 24}d {hours % 24}h" if hours >= 24 else f"{hours}h {int(seconds % 3600 // 60)}m"
    )


def status_cell(row: DeskComplaint, now: datetime, tz: str) -> Text:
    due = row.followup_due_at
    if row.section == Section.OVERDUE and due is not None:
        return Text(f"OVERDUE {_ago((now - due).total_seconds())}", style="bold red")
    if row.section == Section.DUE_TODAY and due is not None:
        return Text(f"due today {local_time(due, tz)[:5]}", style="yellow")
    if row.section == Section.AWAITING and due is not None:
        return Text(f"awaiting, due {local_time(due, tz, with_date=True)[5:]}", style="green")
    return Text(row.state.replace("_", " "))


def complaint_row(row: DeskComplaint, desk: ComplaintsDesk, tz: str) -> Row:
    awaiting = row.section in (Section.OVERDUE, Section.DUE_TODAY, Section.AWAITING)
    tries = f"{row.failed_attempts}/{desk.max_attempts} failed" if awaiting else "—"
    flag = Text()
    if row.repeat_of_id is not None:
        flag.append(f"REPEAT of #{row.repeat_of_id}", style="bold red")
    if row.reopen_count:
        flag.append(" " if flag else "")
        flag.append(f"reopened ×{row.reopen_count}", style="yellow")
    return (
        str(row.complaint_id),
        (
            f"#{row.complaint_id}",
            status_cell(row, desk.at, tz),
            short(row.customer),
            short(row.category, 18),
            row.followup_owner or "—",
            tries,
            flag,
            row.owner or "—",
        ),
    )


def detractor_row(task: DetractorTask, now: datetime, tz: str) -> Row:
    if task.overdue(now):
        due = Text(f"OVERDUE {_ago((now - task.due_at).total_seconds())}", style="bold red")
    else:
        due = Text(f"due {local_time(task.due_at, tz, with_date=True)[5:]}", style="yellow")
    scores = ", ".join(
        f"{name} {value}"
        for name, value in (("NPS", task.nps), ("CSAT", task.csat))
        if value is not None
    )
    return (
        str(task.feedback_id),
        (
            f"#{task.feedback_id}",
            due,
            short(task.customer),
            scores,
            task.owner or "—",
            task.comment or "",
        ),
    )


def approval_row(pending: PendingApproval) -> Row:
    you = (
        Text("you may decide", style="green") if pending.may_decide else Text("not yours to decide")
    )
    return (
        str(pending.compensation_id),
        (
            f"#{pending.compensation_id}",
            format_amount(pending.amount_cents),
            KIND_WORDS.get(pending.kind, pending.kind),
            short(pending.customer),
            f"#{pending.complaint_id}" if pending.complaint_id else "—",
            pending.requested_by,
            you,
        ),
    )

"""The Complaints desk: call-backs due and overdue first, then the rest of the loop.

Top: complaints (overdue and due call-backs, awaiting confirmation, open, recent
repeats). Below: detractors a manager must call, and compensation waiting for
approval. The desk base reads in a worker; the keys live in :mod:`.moves`.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Header, Label, Static

from svcdesk_tui.complaints.desk import ComplaintsDesk, read_desk
from svcdesk_tui.core.formatting import percent
from svcdesk_tui.people.permissions import Action
from svcdesk_tui.screens.common.desk import Reader
from svcdesk_tui.screens.common.guard import keys_with_needs
from svcdesk_tui.screens.complaints.moves import ComplaintMoves
from svcdesk_tui.screens.complaints.rows import (
    approval_row,
    complaint_row,
    detractor_row,
    quality_line,
    status_line,
)
from svcdesk_tui.screens.queue.customer_card import CustomerCardScreen
from svcdesk_tui.widgets.live_table import LiveTable

KEYS, ACTION_NEEDS = keys_with_needs(
    (Binding("l", "log_attempt", "Log call-back"), Action.WORK_COMPLAINT),
    (Binding("c", "confirm", "Confirm"), Action.WORK_COMPLAINT),
    (Binding("r", "resolve", "Resolve"), Action.WORK_COMPLAINT),
    (Binding("e", "reopen", "Reopen"), Action.WORK_COMPLAINT),
    (Binding("w", "work", "Work on it"), Action.WORK_COMPLAINT),
    (Binding("x", "close_unconfirmed", "Close unconfirmed"), Action.CLOSE_UNCONFIRMED),
    (Binding("g", "compensate", "Compensate"), Action.GRANT_COMPENSATION),
    (Binding("a", "decide", "Approve/reject"), Action.APPROVE_COMPENSATION),
    (Binding("f", "follow_up", "Detractor call"), Action.FOLLOW_UP_FEEDBACK),
)


class ComplaintsScreen(ComplaintMoves):
    """Complaints that close only when the customer says so."""

    ACTION_NEEDS = ACTION_NEEDS
    BINDINGS = KEYS

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

    def reader(self) -> Reader[ComplaintsDesk]:
        actor, settings = self.app.actor, self.app.settings
        return lambda session, now: read_desk(session, actor, settings, now=now)

    def show(self, desk: ComplaintsDesk) -> None:
        self.desk = desk
        tz = self.app.settings.timezone
        self.query_one("#desk-status", Static).update(status_line(desk))
        self.query_one("#desk-quality", Static).update(quality_line(desk))
        self.query_one("#complaints-title", Label).update(f"Complaints ({len(desk.complaints)})")
        self.query_one("#complaints", LiveTable).sync(
            [complaint_row(row, desk, tz) for row in desk.complaints]
        )
        overdue = sum(task.overdue(now=desk.at) for task in desk.detractors)
        in_time = percent(desk.scores.detractor_followup_rate)
        self.query_one("#detractors-title", Label).update(
            f"Detractors to call ({len(desk.detractors)}, {overdue} overdue; "
            f"{desk.window_days}d: {in_time} called in time)"
        )
        self.query_one("#detractors", LiveTable).sync(
            [detractor_row(task, tz, now=desk.at) for task in desk.detractors]
        )
        self.query_one("#approvals-title", Label).update(
            f"Compensation awaiting approval ({len(desk.approvals)})"
        )
        self.query_one("#approvals", LiveTable).sync([approval_row(a) for a in desk.approvals])

    @on(LiveTable.RowSelected, "#complaints")
    def open_customer(self, event: LiveTable.RowSelected) -> None:
        row = self._selected()
        if row is not None:
            self.app.push_screen(CustomerCardScreen(row.customer_id))

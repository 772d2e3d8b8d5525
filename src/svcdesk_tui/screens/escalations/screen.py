"""The Escalations screen (key 2): every open escalation the user may see, by level.

Your own inbox comes first, then the highest rung. Each row shows how long it
has waited on its rung against that rung's limit. The ladder's clock runs in
the app (for any open desk), so overdue ones climb whichever screen is showing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from rich.text import Text
from sqlmodel import Session
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Label, Static

from svcdesk_tui.core.formatting import duration, percent
from svcdesk_tui.core.periods import days_period, local_date
from svcdesk_tui.escalations import moves as esc
from svcdesk_tui.escalations.measures import EscalationMeasures
from svcdesk_tui.escalations.views import Inbox, InboxRow, center_measures, inbox
from svcdesk_tui.models import EscalationState
from svcdesk_tui.people.permissions import Action, allowed
from svcdesk_tui.screens.common.desk import DeskScreen, Reader
from svcdesk_tui.screens.common.selection import under_cursor
from svcdesk_tui.screens.escalations.detail import EscalationDetailScreen
from svcdesk_tui.screens.escalations.moves import MOVE_BINDINGS, EscalationMoves
from svcdesk_tui.widgets.live_table import LiveTable, Row

MEASURES_EVERY = 10  # reads between re-reads of the (heavier) measures
COLUMNS = (
    "Inbox",
    "Level",
    "Waiting / limit",
    "Customer",
    "Anger",
    "State",
    "Reason",
    "Raised by",
    "Owner",
)


Seen = tuple[Inbox, EscalationMeasures | None]


class EscalationsScreen(EscalationMoves, DeskScreen[Seen]):
    """Lanes by level in one table: the manager's own inbox first."""

    READ_FAILED = "Could not read the escalations"
    BINDINGS = [
        Binding("enter", "open", "Open"),
        *MOVE_BINDINGS,
        Binding("h", "toggle_resolved", "Resolved too"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.inbox: Inbox | None = None
        self.measures: EscalationMeasures | None = None
        self.show_resolved = False
        self._reads = 0  # the measures are re-read every MEASURES_EVERY reads
        self._as_read: Inbox | None = None  # the inbox before its clocks moved on

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="esc-summary")
        yield Static(id="esc-measures")
        yield Label("Escalations", id="esc-title", classes="section-title")
        yield LiveTable(*COLUMNS, id="escalations")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#escalations", LiveTable).focus()
        self.query_one("#esc-measures", Static).display = self._sees_measures

    @property
    def _sees_measures(self) -> bool:
        return allowed(self.app.actor, Action.VIEW_ESCALATION_MEASURES)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.move_allowed(action)

    # --- reading ----------------------------------------------------------

    def reader(self) -> Reader[Seen]:
        """The inbox (with the resolved ones if asked), and now and then the measures."""
        actor, settings, show_resolved = self.app.actor, self.app.settings, self.show_resolved
        with_measures = self._reads % MEASURES_EVERY == 0 and self._sees_measures

        def read(session: Session, *, now: datetime) -> Seen:
            since = now - timedelta(days=settings.history_window_days)
            seen = inbox(session, actor, now=now, resolved_since=since if show_resolved else None)
            if not with_measures:
                return seen, None
            today = local_date(now, settings.timezone)
            first = today - timedelta(days=settings.history_window_days - 1)
            period = days_period(first, today + timedelta(days=1), settings.timezone)
            return seen, center_measures(session, actor, period)

        return read

    # --- showing ----------------------------------------------------------

    def show(self, data: Seen) -> None:
        seen, measures = data
        self._reads += 1
        self._as_read = seen
        self._paint(seen)
        if measures is not None:
            self.measures = measures
            days = self.app.settings.history_window_days
            self.say("#esc-measures", measures_line(measures, days))

    def tick(self, *, now: datetime) -> None:
        if self._as_read is not None:
            self._paint(aged(self._as_read, now=now))

    def _paint(self, seen: Inbox) -> None:
        table = self.query_one("#escalations", LiveTable)
        self.inbox = seen
        share = self.app.settings.escalation_at_risk_share
        table.sync([inbox_row(r, share) for r in seen.rows])
        self.sync_bindings()
        self.say("#esc-summary", summary_line(seen, self.show_resolved))

    def focused_row(self) -> InboxRow | None:
        if self.inbox is None:
            return None
        return under_cursor(self, "#escalations", self.inbox.rows, lambda r: r.escalation_id)

    def after_move(self) -> None:
        self._reads = 0  # the next read includes the measures
        self.reread()

    # --- keys ---------------------------------------------------------------

    @on(LiveTable.RowHighlighted, "#escalations")
    def _highlighted(self) -> None:
        self.sync_bindings()

    @on(LiveTable.RowSelected, "#escalations")
    def _selected(self, event: LiveTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        row = self.focused_row()
        if row is None:
            self.notify("No escalation selected", severity="warning")
            return
        self.app.push_screen(EscalationDetailScreen(row.escalation_id), lambda _: self.reread())

    def action_toggle_resolved(self) -> None:
        self.show_resolved = not self.show_resolved
        self.reread()


# --- rows and lines ------------------------------------------------------------


def aged(seen: Inbox, *, now: datetime) -> Inbox:
    """The inbox with the time on each open rung moved on to ``now``, nothing read."""
    gone = int((now - seen.at).total_seconds())
    if gone <= 0:
        return seen
    rows = tuple(
        r
        if r.state == EscalationState.RESOLVED
        else replace(r, waiting_seconds=r.waiting_seconds + gone)
        for r in seen.rows
    )
    return replace(seen, at=now, rows=rows)


def level_cell(row: InboxRow) -> Text:
    if row.level.is_executive:
        return Text(esc.EXECUTIVE_WARNING, style="bold red")
    return Text(row.level.name)


def waiting_cell(row: InboxRow, at_risk_share: float) -> Text:
    if row.state == EscalationState.RESOLVED:
        return Text("resolved", style="green")
    if row.state == EscalationState.ACCEPTED:
        return Text(f"accepted, {duration(row.waiting_seconds)} here")
    text = f"{duration(row.waiting_seconds)} / {duration(row.limit_seconds)}"
    if row.overdue:
        return Text(f"{text} OVERDUE", style="bold red")
    if row.waiting_seconds >= at_risk_share * row.limit_seconds:
        return Text(f"{text} at risk", style="yellow")
    return Text(f"{text} in time", style="green")


def state_words(row: InboxRow) -> str:
    if row.state == EscalationState.RAISED and row.auto_climbed:
        return "waiting (climbed by itself)"
    return {"raised": "waiting", "accepted": "accepted", "resolved": "resolved"}.get(
        row.state, row.state
    )


def inbox_row(row: InboxRow, at_risk_share: float) -> Row:
    return (
        str(row.escalation_id),
        (
            Text("yours", style="bold") if row.mine else Text(""),
            level_cell(row),
            waiting_cell(row, at_risk_share),
            row.customer,
            f"{row.anger}/5",
            state_words(row),
            row.reason,
            row.raised_by,
            row.owner or "—",
        ),
    )


def summary_line(seen: Inbox, show_resolved: bool) -> Text:
    open_rows = [r for r in seen.rows if r.state != EscalationState.RESOLVED]
    mine = sum(r.mine for r in open_rows)
    overdue = sum(r.overdue for r in open_rows)
    executive = sum(r.level.is_executive for r in open_rows)
    line = Text(f"{len(open_rows)} open · {mine} yours · ")
    line.append(f"{overdue} overdue", style="bold red" if overdue else "green")
    line.append(" · ")
    line.append(
        f"{executive} at the executive (counted failure)",
        style="bold red" if executive else "green",
    )
    if show_resolved:
        line.append(" · resolved shown", style="dim")
    return line


def measures_line(m: EscalationMeasures, days: int) -> Text:
    """The hardest-call measures in four short lines (fits 80 columns)."""
    rate = m.per_1000_calls
    line = Text(f"Last {days} days: {m.escalations} escalations", style="bold")
    line.append(f", {rate:.1f} per 1,000 calls" if rate is not None else ", no calls")
    line.append(f" · median to resolution {duration(m.median_resolution_seconds)}")
    shares = " · ".join(
        f"{lvl.name} {percent(m.share_resolved_at(lvl.rank))}"
        for i, lvl in enumerate(m.resolved_by_level)
        if i > 0 or lvl.resolved  # nothing is resolved on the bottom rung, by construction
    )
    line.append(f"\nResolved at: {shares}")
    index = m.hardest_call_index
    line.append(
        f"\nHardest-call index: resolved by the manager {m.resolved_at_manager} of "
        f"{m.reached_manager} = {percent(index)}"
    )
    line.append("\nReached the executive: ")
    line.append(
        f"{m.reached_executive} ({esc.EXECUTIVE_WARNING})"
        if m.reached_executive
        else "0 (target 0)",
        style="bold red" if m.reached_executive else "green",
    )
    return line

"""One escalation's full story: what happened, who did what, and the customer's history."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Label, Static

from svcdesk_tui.core.formatting import local_time
from svcdesk_tui.escalations.moves import EXECUTIVE_WARNING
from svcdesk_tui.escalations.views import InboxRow, Story, story
from svcdesk_tui.screens.common.failures import report
from svcdesk_tui.screens.escalations.moves import MOVE_BINDINGS, EscalationMoves

EVENT_WORDS = {
    "raised": "raised",
    "accepted": "accepted",
    "escalated": "escalated further",
    "auto_escalated": "climbed by itself",
    "resolved": "resolved",
    "called_back": "called back",
    "reopened": "reopened",
}


class EscalationDetailScreen(EscalationMoves, ModalScreen[None]):
    DEFAULT_CSS = """
    EscalationDetailScreen { align: center middle; }
    EscalationDetailScreen DataTable { height: auto; max-height: 10; }
    EscalationDetailScreen .executive { color: $error; text-style: bold; }
    """
    BINDINGS = [Binding("escape", "close", "Close"), *MOVE_BINDINGS]

    def __init__(self, escalation_id: int) -> None:
        super().__init__()
        self.escalation_id = escalation_id
        self.story: Story | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide", id="esc-detail"):
            yield Label(
                f"Escalation {self.escalation_id}", id="esc-detail-title", classes="dialog-title"
            )
            yield Static("Loading…", id="esc-facts")
            yield Label("What happened", classes="section-title")
            yield DataTable(id="esc-events", cursor_type="row", zebra_stripes=True)
            yield Label("The customer's calls", classes="section-title")
            yield DataTable(id="esc-calls", cursor_type="row", zebra_stripes=True)
            yield Label("Complaints, other escalations, compensations", classes="section-title")
            yield Static(id="esc-history")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#esc-events", DataTable).add_columns("When", "What", "Who", "Level", "Note")
        self.query_one("#esc-calls", DataTable).add_columns(
            "When", "Queue", "Reason", "Outcome", "Agent"
        )
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.move_allowed(action)

    @work(thread=True, exclusive=True, group="escalation-detail")
    def load(self) -> None:
        app = self.app
        try:
            with app.db.read() as session:
                told = story(session, app.actor, self.escalation_id, now=app.clock.now())
        except Exception as error:  # said in the status line
            app.call_from_thread(report, self, "Could not open the escalation", error)
            app.call_from_thread(self.dismiss, None)
            return
        app.call_from_thread(self.show, told)

    def show(self, told: Story) -> None:
        try:
            title = self.query_one("#esc-detail-title", Label)
        except NoMatches:  # closed while the worker was reading
            return
        self.story = told
        tz = self.app.settings.timezone
        row = told.row
        title.update(f"Escalation {row.escalation_id}: {row.customer} — {row.level.label}")
        title.set_class(row.level.is_executive, "executive")
        self.query_one("#esc-facts", Static).update(facts(told, tz))
        events = self.query_one("#esc-events", DataTable)
        events.clear()
        for n, e in enumerate(told.events):
            level = e.to_level or "—"
            if e.from_level and e.to_level and e.from_level != e.to_level:
                level = f"{e.from_level} → {e.to_level}"
            level_cell = Text(level, style="bold red" if e.to_executive else "")
            events.add_row(
                local_time(e.at, tz, with_date=True),
                EVENT_WORDS.get(e.kind, e.kind),
                e.actor or ("the clock" if e.kind == "auto_escalated" else "—"),
                level_cell,
                e.note or "",
                key=str(n),
            )
        calls = self.query_one("#esc-calls", DataTable)
        calls.clear()
        for n, (at, queue, reason, outcome, agent) in enumerate(told.calls):
            calls.add_row(
                local_time(at, tz, with_date=True),
                queue,
                reason.replace("_", " "),
                outcome,
                agent,
                key=str(n),
            )
        self.query_one("#esc-history", Static).update(history(told, tz))
        self.sync_bindings()

    def focused_row(self) -> InboxRow | None:
        return self.story.row if self.story else None

    def after_move(self) -> None:
        self.load()

    def action_close(self) -> None:
        self.dismiss(None)


def facts(told: Story, tz: str) -> Text:
    row = told.row
    text = Text()
    if row.level.is_executive:
        text.append(f"{EXECUTIVE_WARNING}\n", style="bold red")
    state = "waiting" if row.state == "raised" else row.state
    if row.state == "raised" and row.overdue:
        text.append(f"State: {state}, OVERDUE on this level\n", style="bold red")
    else:
        text.append(f"State: {state}" + (f" by {row.owner}" if row.owner else "") + "\n")
    text.append(f"Anger: {row.anger}/5   From: {told.origin}\n")
    text.append(f"Raised by {row.raised_by} at {local_time(row.raised_at, tz, with_date=True)}\n")
    text.append(f"Reason: {row.reason}\n")
    if told.resolution_note:
        text.append(f"Resolution: {told.resolution_note}\nPromised: {told.promise}\n")
    if not row.may_act:
        text.append("You may follow this escalation but not act on it at this level.", style="dim")
    return text


def history(told: Story, tz: str) -> Text:
    text = Text()
    text.append("Complaints: ", style="bold")
    text.append(
        "; ".join(
            f"#{cid} {category} ({state.replace('_', ' ')}, {local_time(at, tz, with_date=True)})"
            for cid, at, state, category in told.complaints
        )
        or "none"
    )
    text.append("\nOther escalations of this customer: ", style="bold")
    if not told.escalations:
        text.append("none")
    for i, (eid, at, level, state, reason) in enumerate(told.escalations):
        text.append("; " if i else "")
        text.append(
            f"#{eid} {level} ({state}, {local_time(at, tz, with_date=True)}): {reason}",
            style="bold red" if EXECUTIVE_WARNING in level else "",
        )
    text.append("\nCompensations: ", style="bold")
    text.append(
        "; ".join(
            f"{kind.replace('_', ' ')} {cents / 100:.2f} "
            f"({state}, {local_time(at, tz, with_date=True)})"
            for at, kind, cents, state in told.compensations
        )
        or "none"
    )
    return text

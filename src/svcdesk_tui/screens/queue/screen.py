"""The live queue: waiting calls, the agents board and today's KPIs.

The desk base reads a snapshot of the store in a worker; the tables are updated
in place. The keys (take, complete, pause, assign…) live in :mod:`.moves`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Header, Input, Label, Static

from svcdesk_tui.core.formatting import local_time
from svcdesk_tui.models import AgentStateKind
from svcdesk_tui.people.permissions import Action, allowed
from svcdesk_tui.queue import live as queue_service
from svcdesk_tui.queue.live import AgentRow, QueueSnapshot, WaitingCall
from svcdesk_tui.screens.common.desk import Reader
from svcdesk_tui.screens.common.failures import guarded
from svcdesk_tui.screens.common.guard import keys_with_needs
from svcdesk_tui.screens.queue.moves import QueueMoves
from svcdesk_tui.screens.queue.rows import (
    STATE_STYLE,
    agent_row,
    clocks_at,
    describe_state,
    kpi_row,
    matches,
    seconds_between,
    waiting_row,
)
from svcdesk_tui.widgets.key_footer import KeyFooter
from svcdesk_tui.widgets.live_table import LiveTable

KEYS, ACTION_NEEDS = keys_with_needs(
    (Binding("n", "take_next", "Take next"), Action.TAKE_CALL),
    (Binding("t", "take_selected", "Take this"), Action.TAKE_CALL),
    (Binding("c", "complete", "Complete"), Action.COMPLETE_CALL),
    (Binding("p", "toggle_pause", "Pause/resume"), Action.PAUSE),
    (Binding("a", "assign", "Assign"), Action.ASSIGN_CALL),
    (Binding("o", "open_complaint", "Complaint"), Action.OPEN_COMPLAINT),
    (Binding("g", "compensate", "Compensate"), Action.GRANT_COMPENSATION),
    (Binding("e", "escalate", "Escalate"), Action.RAISE_ESCALATION),
    (Binding("slash", "filter", "Filter"), None),
    (Binding("escape", "clear_filter", "Clear filter", show=False), None),
)


class QueueScreen(QueueMoves):
    """Who is waiting, who is working, and how the day is going."""

    AUTO_FOCUS = "#waiting"
    ACTION_NEEDS = ACTION_NEEDS
    BINDINGS = KEYS

    def __init__(self) -> None:
        super().__init__()
        self.filter_text = ""
        self.queue_reader: queue_service.QueueReader | None = None
        self._as_read: QueueSnapshot | None = None  # the snapshot before its clocks moved on
        self._clocks_at = datetime.min  # the time the clocks shown are at
        self._waiting: Sequence[WaitingCall] = ()  # the rows of each table, in their order
        self._agents: Sequence[AgentRow] = ()

    # --- layout ---------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="me")
        yield LiveTable(
            "Queue", "In", "Ans", "Aband", "SL vs target", "ASA", "AHT", "Max wait", id="kpis"
        )
        with Vertical(id="waiting-box"):
            yield Label("Waiting calls", id="waiting-title", classes="section-title")
            yield Input(placeholder="Filter by queue, customer, caller or request…", id="filter")
            yield LiveTable(
                "Wait",
                "Queue",
                "Customer",
                "30d",
                "Flag",
                "Agreement",
                "Special requests",
                "Caller",
                id="waiting",
            )
        with Vertical(id="agents-box"):
            yield Label("Agents", id="agents-title", classes="section-title")
            yield LiveTable("Agent", "State", "For", "Caller", "Queue", id="agents")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.queue_reader = queue_service.QueueReader(self.app.settings, viewer=self.app.actor)
        self.load_reasons()
        for table in self.query(LiveTable):  # rows scrolled into view get their clocks now
            self.watch(table, "scroll_y", self._tick_rows, init=False)

    # --- reading and showing ----------------------------------------------

    def reader(self) -> Reader[QueueSnapshot]:
        assert self.queue_reader is not None
        return self.queue_reader.read

    def show(self, snapshot: QueueSnapshot) -> None:
        self.snapshot = self._as_read = snapshot
        self._clocks_at = snapshot.at
        self._paint()

    def tick(self, *, now: datetime) -> None:
        """Move the clocks on, repainting only the rows on screen: a queue may hold thousands."""
        if self._as_read is not None:
            self._clocks_at = now
            self._paint_clocks(clocks_at(self._as_read, now=now))
            self._tick_rows()

    def _gone(self) -> int:
        """Seconds the clocks shown have moved on since the snapshot was read."""
        assert self._as_read is not None
        return seconds_between(self._as_read.at, self._clocks_at)

    def _paint(self) -> None:
        """Everything, from the snapshot read, its clocks moved on to ``_clocks_at``."""
        assert self._as_read is not None
        snapshot, gone = self._as_read, self._gone()
        self._paint_clocks(clocks_at(snapshot, now=self._clocks_at))
        waiting = [call for call in snapshot.waiting if matches(call, self.filter_text)]
        shown = f"{len(waiting)} of {len(snapshot.waiting)}" if self.filter_text else len(waiting)
        self.say("#waiting-title", f"Waiting calls ({shown})")
        self._waiting = waiting
        self.query_one("#waiting", LiveTable).sync([waiting_row(c, gone) for c in waiting])
        agents = snapshot.agents
        if not allowed(self.app.actor, Action.VIEW_ALL_AGENTS):
            agents = tuple(a for a in agents if a.staff_id == self.app.actor.id)
        self._agents = agents
        working = sum(a.state != AgentStateKind.OFFLINE for a in agents)
        self.say("#agents-title", f"Agents ({working} logged in)")
        self.query_one("#agents", LiveTable).sync([agent_row(agent, gone) for agent in agents])
        self.say("#me", self._me_line())

    def _paint_clocks(self, snapshot: QueueSnapshot) -> None:
        """The header's time and the KPIs (a few rows: the longest wait of each queue)."""
        tz = self.app.settings.timezone
        self.say_time(f"{local_time(snapshot.at, tz)} {tz}")
        self.query_one("#kpis", LiveTable).sync([kpi_row(k, snapshot) for k in snapshot.kpis])

    def _tick_rows(self) -> None:
        """The waits and times in state of the rows on screen, at ``_clocks_at``."""
        if self._as_read is None:
            return
        gone = self._gone()
        waiting = self.query_one("#waiting", LiveTable)
        span = waiting.on_screen_span()
        waiting.touch([waiting_row(c, gone) for c in self._waiting[span.start : span.stop]])
        agents = self.query_one("#agents", LiveTable)
        span = agents.on_screen_span()
        agents.touch([agent_row(a, gone) for a in self._agents[span.start : span.stop]])

    def _me_line(self) -> Text:
        actor = self.app.actor
        line = Text(f"{actor.name} ({actor.login}, {actor.role})", style="bold")
        if self.app.db.demo:
            line.append("  DEMO CENTER", style="reverse")
        mine = self.my_row()
        if mine is not None:
            line.append("  •  ")
            line.append(describe_state(mine), style=STATE_STYLE.get(mine.state, ""))
            if mine.state == AgentStateKind.ON_CALL:
                line.append("  (c: wrap up)")
            elif mine.state == AgentStateKind.WRAP_UP:
                line.append("  (c: finish wrap-up)")
            elif mine.state == AgentStateKind.PAUSED:
                line.append("  (p: resume)")
        return line

    # --- customer card and filter -----------------------------------------

    @on(LiveTable.RowSelected, "#waiting")
    def open_waiting_customer(self, event: LiveTable.RowSelected) -> None:
        call = self._selected_call()
        if call is None or call.customer_id is None:
            self.notify("Unknown caller: no customer card", severity="warning")
            return
        self.open_card(call.customer_id)

    @on(LiveTable.RowSelected, "#agents")
    def open_agent_customer(self, event: LiveTable.RowSelected) -> None:
        key = event.row_key.value
        agent = next(
            (a for a in (self.snapshot.agents if self.snapshot else ()) if str(a.staff_id) == key),
            None,
        )
        if agent is None or agent.call_id is None:
            self.notify("That agent has no caller", severity="warning")
            return
        self.open_call_customer(agent.call_id)

    @work(thread=True)
    @guarded("Could not open the customer card")
    def open_call_customer(self, call_id: int) -> None:
        with self.app.db.read() as session:
            summary = queue_service.call_summary(session, call_id)
        if summary.customer_id is not None:
            self.app.call_from_thread(self.open_card, summary.customer_id)

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value.strip()
        if self._as_read is not None:
            self._paint()

    @on(Input.Submitted, "#filter")
    def filter_done(self) -> None:
        self.query_one("#waiting", LiveTable).focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = ""
        box.display = False
        self.query_one("#waiting", LiveTable).focus()

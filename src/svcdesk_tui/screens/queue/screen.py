"""The live queue: waiting calls, the agents board and today's KPIs.

A timer starts a worker that reads a snapshot of the store; the tables are
updated in place. Every move (take, complete, pause, assign) runs in a worker
too, so the screen never waits on the database. The dialogs a key opens
(wrap-up, customer card, complaint, escalation) are imported when first
opened: the queue is the desk's first screen and paints sooner without them.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from sqlmodel import Session
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, Label, Static

from svcdesk_tui.core.errors import SvcdeskError
from svcdesk_tui.core.formatting import duration, local_time, percent
from svcdesk_tui.models import AgentStateKind
from svcdesk_tui.people.permissions import Action, allowed
from svcdesk_tui.queue import live as queue_service
from svcdesk_tui.queue.live import AgentRow, QueueSnapshot, WaitingCall
from svcdesk_tui.queue.measures import QueueKpi
from svcdesk_tui.screens.common.choice import ChoiceScreen
from svcdesk_tui.screens.common.guard import RoleGuard
from svcdesk_tui.screens.common.moves import MoveRunner
from svcdesk_tui.widgets.key_footer import KeyFooter
from svcdesk_tui.widgets.live_table import LiveTable, Row

if TYPE_CHECKING:
    from svcdesk_tui.screens.queue.wrap_up import WrapUp

PAUSE_REASONS = [
    ("break", "Break"),
    ("lunch", "Lunch"),
    ("coaching", "Coaching"),
    ("training", "Training"),
    ("admin", "Admin work"),
]

STATE_STYLE = {
    AgentStateKind.AVAILABLE: "green",
    AgentStateKind.ON_CALL: "bold",
    AgentStateKind.WRAP_UP: "cyan",
    AgentStateKind.PAUSED: "yellow",
    AgentStateKind.OFFLINE: "dim",
}

ACTION_NEEDS = {
    "take_next": Action.TAKE_CALL,
    "take_selected": Action.TAKE_CALL,
    "complete": Action.COMPLETE_CALL,
    "toggle_pause": Action.PAUSE,
    "assign": Action.ASSIGN_CALL,
    "open_complaint": Action.OPEN_COMPLAINT,
    "compensate": Action.GRANT_COMPENSATION,
    "escalate": Action.RAISE_ESCALATION,
}


class QueueScreen(RoleGuard, MoveRunner, Screen[None]):
    """Who is waiting, who is working, and how the day is going."""

    AUTO_FOCUS = "#waiting"
    ACTION_NEEDS = ACTION_NEEDS
    BINDINGS = [
        Binding("n", "take_next", "Take next"),
        Binding("t", "take_selected", "Take this"),
        Binding("c", "complete", "Complete"),
        Binding("p", "toggle_pause", "Pause/resume"),
        Binding("a", "assign", "Assign"),
        Binding("o", "open_complaint", "Complaint"),
        Binding("g", "compensate", "Compensate"),
        Binding("e", "escalate", "Escalate"),
        Binding("slash", "filter", "Filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.snapshot: QueueSnapshot | None = None
        self.filter_text = ""
        self._reading = False
        self._reasons: list[tuple[str, str]] = []
        self._open_card_later: int | None = None
        self.reader: queue_service.QueueReader | None = None

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
        self.reader = queue_service.QueueReader(
            self.app.settings,
            viewer=self.app.actor,  # type: ignore[attr-defined]
        )
        self.set_interval(self.app.refresh_seconds, self.refresh_snapshot)  # type: ignore[attr-defined]
        self.refresh_snapshot()
        self.load_reasons()

    # --- reading --------------------------------------------------------

    def refresh_snapshot(self) -> None:
        """Start a read unless one is under way or another screen is in front (not a modal)."""
        if not self._reading and self in self.app.screen_stack:
            self._reading = True
            self.read_snapshot()

    def on_screen_resume(self) -> None:
        self.refresh_snapshot()

    @work(thread=True, group="snapshot")
    def read_snapshot(self) -> None:
        app = self.app
        try:
            with app.db.read() as session:  # type: ignore[attr-defined]
                assert self.reader is not None
                snapshot = self.reader.read(session, app.clock.now())  # type: ignore[attr-defined]
        except SvcdeskError as error:
            app.call_from_thread(self._read_failed, error.message)
            return
        app.call_from_thread(self.show, snapshot)

    def _read_failed(self, message: str) -> None:
        self._reading = False
        self.notify(message, severity="error", title="Could not read the store")

    @work(thread=True)
    def load_reasons(self) -> None:
        with self.app.db.read() as session:  # type: ignore[attr-defined]
            reasons = queue_service.reasons(session)
        self._reasons = reasons

    # --- showing --------------------------------------------------------

    def show(self, snapshot: QueueSnapshot) -> None:
        self._reading = False
        if not self.is_attached or not self.query("#kpis"):
            return  # the desk is closing (or not yet built) while the snapshot was read
        self.snapshot = snapshot
        tz = self.app.settings.timezone  # type: ignore[attr-defined]
        self.sub_title = f"{local_time(snapshot.at, tz)} {tz}"
        self.query_one("#kpis", LiveTable).sync([kpi_row(k, snapshot) for k in snapshot.kpis])
        waiting = [call for call in snapshot.waiting if self._matches(call)]
        shown = f"{len(waiting)} of {len(snapshot.waiting)}" if self.filter_text else len(waiting)
        self.query_one("#waiting-title", Label).update(f"Waiting calls ({shown})")
        self.query_one("#waiting", LiveTable).sync([waiting_row(call) for call in waiting])
        agents = snapshot.agents
        if not allowed(self.app.actor, Action.VIEW_ALL_AGENTS):  # type: ignore[attr-defined]
            agents = tuple(a for a in agents if a.staff_id == self.app.actor.id)  # type: ignore[attr-defined]
        working = sum(a.state != AgentStateKind.OFFLINE for a in agents)
        self.query_one("#agents-title", Label).update(f"Agents ({working} logged in)")
        self.query_one("#agents", LiveTable).sync([agent_row(agent) for agent in agents])
        self.query_one("#me", Static).update(self._me_line(snapshot))

    def _me_line(self, snapshot: QueueSnapshot) -> Text:
        actor = self.app.actor  # type: ignore[attr-defined]
        line = Text(f"{actor.name} ({actor.login}, {actor.role})", style="bold")
        if self.app.db.demo:  # type: ignore[attr-defined]
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

    def my_row(self) -> AgentRow | None:
        if self.snapshot is None:
            return None
        me = self.app.actor.id  # type: ignore[attr-defined]
        return next((a for a in self.snapshot.agents if a.staff_id == me), None)

    def _matches(self, call: WaitingCall) -> bool:
        if not self.filter_text:
            return True
        haystack = " ".join(
            str(part)
            for part in (
                call.queue,
                call.caller_number,
                call.customer_name,
                call.tier,
                call.special_requests,
            )
            if part
        ).lower()
        return self.filter_text.lower() in haystack

    # --- moves ----------------------------------------------------------

    def after_move(self) -> None:
        self.refresh_snapshot()

    def _selected_call(self) -> WaitingCall | None:
        key = self.query_one("#waiting", LiveTable).selected_key
        if self.snapshot is None or key is None:
            return None
        return next((c for c in self.snapshot.waiting if str(c.call_id) == key), None)

    def _took(self, session: Session, call_id: int | None) -> str:
        if call_id is None:
            return "Nobody is waiting"
        card = queue_service.call_summary(session, call_id)
        self._open_card_later = card.customer_id
        return f"On call with {card.caller} ({card.queue})"

    def _open_taken_card(self) -> None:
        customer_id, self._open_card_later = self._open_card_later, None
        if customer_id is not None:
            self.open_card(customer_id)

    def open_card(self, customer_id: int) -> None:
        from svcdesk_tui.screens.queue.customer_card import CustomerCardScreen

        self.app.push_screen(CustomerCardScreen(customer_id))

    def action_take_next(self) -> None:
        actor = self.app.actor  # type: ignore[attr-defined]

        def move(session: Session, now: datetime) -> str:
            call = queue_service.take_call(session, actor, now)
            return self._took(session, call.id if call else None)

        self.run_move("take the next call", move, self._open_taken_card)

    def action_take_selected(self) -> None:
        call = self._selected_call()
        if call is None:
            self.notify("Select a waiting call first", severity="warning")
            return
        actor = self.app.actor  # type: ignore[attr-defined]

        def move(session: Session, now: datetime) -> str:
            taken = queue_service.take_call(session, actor, now, call_id=call.call_id)
            return self._took(session, taken.id if taken else None)

        self.run_move("take that call", move, self._open_taken_card)

    def action_complete(self) -> None:
        mine = self.my_row()
        if mine is None or mine.state not in (AgentStateKind.ON_CALL, AgentStateKind.WRAP_UP):
            self.notify("You have no call in progress", severity="warning")
            return
        actor = self.app.actor  # type: ignore[attr-defined]
        caller = mine.caller or "the caller"
        if mine.state == AgentStateKind.ON_CALL:
            self.run_move(
                "end the talk",
                lambda session, now: queue_service.end_talk(session, actor, now) and None,
                lambda: self._ask_wrap_up(caller),
            )
        else:
            self._ask_wrap_up(caller)

    def _ask_wrap_up(self, caller: str) -> None:
        from svcdesk_tui.queue.completion import complete_call
        from svcdesk_tui.screens.queue.wrap_up import WrapUpScreen

        actor = self.app.actor  # type: ignore[attr-defined]

        def done(wrap: WrapUp | None) -> None:
            if wrap is None:
                self.notify("The call stays in wrap-up; press c to finish it")
                return
            tz = self.app.settings.timezone  # type: ignore[attr-defined]
            self.run_move(
                "complete the call",
                lambda session, now: (
                    complete_call(session, actor, now, wrap, timezone=tz) and "Call completed"
                ),
            )

        self.app.push_screen(WrapUpScreen(caller, self._reasons), done)

    def action_toggle_pause(self) -> None:
        actor = self.app.actor  # type: ignore[attr-defined]
        mine = self.my_row()
        if mine is not None and mine.state == AgentStateKind.PAUSED:
            self.run_move(
                "resume",
                lambda session, now: (
                    queue_service.resume(session, actor, now) or "Back to available"
                ),
            )
            return

        def chosen(reason: str | None) -> None:
            if reason is not None:
                self.run_move(
                    "pause",
                    lambda session, now: (
                        queue_service.pause(session, actor, reason, now) or f"Paused: {reason}"
                    ),
                )

        self.app.push_screen(ChoiceScreen("Pause for…", PAUSE_REASONS), chosen)

    def action_assign(self) -> None:
        call = self._selected_call()
        if call is None:
            self.notify("Select a waiting call to assign", severity="warning")
            return
        self.pick_agent_for(call)

    @work(thread=True, group="moves")
    def pick_agent_for(self, call: WaitingCall) -> None:
        with self.app.db.read() as session:  # type: ignore[attr-defined]
            agents = queue_service.available_agents(session)
        self.app.call_from_thread(self._ask_agent, call, agents)

    def _ask_agent(self, call: WaitingCall, agents: list[tuple[int, str]]) -> None:
        if not agents:
            self.notify("No agent is available right now", severity="warning")
            return
        actor = self.app.actor  # type: ignore[attr-defined]

        def chosen(agent_id: str | None) -> None:
            if agent_id is None:
                return
            name = dict(agents)[int(agent_id)]
            self.run_move(
                "assign the call",
                lambda session, now: (
                    queue_service.assign_call(session, actor, call.call_id, int(agent_id), now)
                    and f"Assigned to {name}"
                ),
            )

        title = f"Assign {call.customer_name or call.caller_number or 'the call'} to…"
        self.app.push_screen(ChoiceScreen(title, [(str(i), n) for i, n in agents]), chosen)

    # --- complaint and compensation during a call ---------------------------

    def _my_call_id(self) -> int | None:
        mine = self.my_row()
        if mine is None or mine.call_id is None:
            self.notify("You have no call in progress", severity="warning")
            return None
        return mine.call_id

    def action_open_complaint(self) -> None:
        from svcdesk_tui.screens.complaints.actions import open_complaint_for_call

        if (call_id := self._my_call_id()) is not None:
            open_complaint_for_call(self, call_id)

    def action_compensate(self) -> None:
        from svcdesk_tui.screens.complaints.actions import compensate

        if (call_id := self._my_call_id()) is not None:
            compensate(self, call_id=call_id)

    def action_escalate(self) -> None:
        from svcdesk_tui.screens.escalations.forms import escalate_from

        if (call_id := self._my_call_id()) is not None:
            mine = self.my_row()
            escalate_from(self, (mine.caller if mine else None) or "your caller", call_id=call_id)

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
    def open_call_customer(self, call_id: int) -> None:
        with self.app.db.read() as session:  # type: ignore[attr-defined]
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
        if self.snapshot is not None:
            self.show(self.snapshot)

    @on(Input.Submitted, "#filter")
    def filter_done(self) -> None:
        self.query_one("#waiting", LiveTable).focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = ""
        box.display = False
        self.query_one("#waiting", LiveTable).focus()


# --- rows -------------------------------------------------------------------


def kpi_row(kpi: QueueKpi, snapshot: QueueSnapshot) -> Row:
    """One KPI line: a breach is red *and* says BREACH."""
    sl = kpi.service_level
    if kpi.sl_target is None:
        sl_cell = Text(percent(sl))
    elif kpi.breached:
        sl_cell = Text(f"{percent(sl)} <{percent(kpi.sl_target)} BREACH", style="bold red")
    elif sl is None:
        sl_cell = Text(f"— (target {percent(kpi.sl_target)})")
    else:
        sl_cell = Text(f"{percent(sl)} ≥{percent(kpi.sl_target)} ok", style="green")
    if kpi.queue_id is None:
        longest = max(snapshot.longest_wait_by_queue.values(), default=0)
    else:
        longest = snapshot.longest_wait_by_queue.get(kpi.queue_name, 0)
    return (
        f"q{kpi.queue_id or 'all'}",
        (
            Text(kpi.queue_name, style="bold" if kpi.queue_id is None else ""),
            str(kpi.offered),
            str(kpi.answered),
            f"{kpi.abandoned} {percent(kpi.abandon_rate)}",
            sl_cell,
            duration(kpi.asa_seconds),
            duration(kpi.aht_seconds),
            duration(longest) if longest else "—",
        ),
    )


def waiting_row(call: WaitingCall) -> Row:
    late = call.sl_threshold_seconds is not None and call.wait_seconds > call.sl_threshold_seconds
    wait = Text(
        duration(call.wait_seconds) + (" late" if late else ""), style="bold red" if late else ""
    )
    flag = Text("NUISANCE", style="bold red") if call.nuisance else Text("")
    agreement = call.tier or "—"
    if call.promise:
        agreement += f": {call.promise}"
    return (
        str(call.call_id),
        (
            wait,
            call.queue,
            call.customer_name or "unknown caller",
            str(call.calls_recent),
            flag,
            agreement,
            call.special_requests or "",
            call.caller_number or "unknown",
        ),
    )


def describe_state(agent: AgentRow) -> str:
    if agent.state == AgentStateKind.PAUSED:
        return f"paused: {agent.reason or 'no reason'}"
    return agent.state.replace("_", " ")


def agent_row(agent: AgentRow) -> Row:
    return (
        str(agent.staff_id),
        (
            agent.name,
            Text(describe_state(agent), style=STATE_STYLE.get(agent.state, "")),
            duration(agent.in_state_seconds) if agent.state != AgentStateKind.OFFLINE else "—",
            agent.caller or "",
            agent.queue or "",
        ),
    )

"""The Monitoring screen: calls to evaluate (leads) and evaluations (everyone's own view).

A lead picks a drawn call, plays its recording (``p``), answers the form's items
with a comment and a coaching note (``v``). An agent sees their own evaluations
and accepts (``a``) or disputes (``d``) one; a manager settles a dispute (``s``).
The services refuse what a role may not do; the keys only hide it.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Header, Label, Static

from svcdesk_tui.monitoring.desk import MonitoringDesk, read_desk
from svcdesk_tui.people.permissions import Action
from svcdesk_tui.screens.common.desk import Reader
from svcdesk_tui.screens.common.guard import keys_with_needs
from svcdesk_tui.screens.monitoring.moves import MonitoringMoves
from svcdesk_tui.screens.monitoring.rows import evaluation_row, queue_row, status_line
from svcdesk_tui.widgets.live_table import LiveTable

KEYS, ACTION_NEEDS = keys_with_needs(
    (Binding("v", "evaluate", "Evaluate"), Action.EVALUATE_CALLS),
    (Binding("p", "play", "Play"), Action.PLAY_RECORDINGS),
    (Binding("a", "accept", "Accept"), None),  # the service says whose evaluation it is
    (Binding("d", "dispute", "Dispute"), None),
    (Binding("s", "settle", "Settle"), Action.SETTLE_DISPUTES),
)


class MonitoringScreen(MonitoringMoves):
    """Listening to the calls."""

    ACTION_NEEDS = ACTION_NEEDS
    BINDINGS = KEYS

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="mon-status")
        with Vertical(id="mon-queue-box"):
            yield Label("To evaluate", id="mon-queue-title", classes="section-title")
            yield LiveTable(
                "Call", "Week", "Agent", "Why", "When", "Length", "Recording", id="mon-queue"
            )
        with Vertical(id="mon-evals-box"):
            yield Label("Evaluations", id="mon-evals-title", classes="section-title")
            yield LiveTable(
                "#", "Call", "Agent", "By", "Score", "State", "Coaching", id="mon-evals"
            )
        yield Footer()

    def on_mount(self) -> None:
        evaluates = self.app.actor.role != "agent"
        self.query_one("#mon-queue-box").display = evaluates
        self.query_one("#mon-queue" if evaluates else "#mon-evals", LiveTable).focus()

    @on(LiveTable.RowSelected, "#mon-evals")
    def open_evaluation(self, event: LiveTable.RowSelected) -> None:
        """enter: the whole comment and coaching note, which the table cuts short."""
        row = self._evaluation()
        if row is not None:
            said = f"{row.comment or 'No comment.'}\nCoaching: {row.coaching or '—'}"
            self.notify(said, title=f"Evaluation #{row.evaluation_id} of call #{row.call_id}",
                        timeout=15)  # fmt: skip

    def reader(self) -> Reader[MonitoringDesk]:
        actor = self.app.actor
        return lambda session, now: read_desk(session, actor, now=now)

    def show(self, desk: MonitoringDesk) -> None:
        self.desk = desk
        tz, me = self.app.settings.timezone, self.app.actor.id
        self.query_one("#mon-queue-box").display = desk.may_evaluate
        self.say("#mon-status", status_line(desk, mine=not desk.may_evaluate))
        self.say("#mon-queue-title", f"To evaluate ({len(desk.queue)}): the weekly sample")
        self.query_one("#mon-queue", LiveTable).sync([queue_row(q, tz) for q in desk.queue])
        title = "Evaluations" if desk.may_evaluate else "Your evaluations"
        self.say("#mon-evals-title", f"{title} ({len(desk.evaluations)})")
        self.query_one("#mon-evals", LiveTable).sync(
            [evaluation_row(e, tz, me) for e in desk.evaluations]
        )

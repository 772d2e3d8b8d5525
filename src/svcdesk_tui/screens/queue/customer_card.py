"""The customer card, opened with enter on a waiting call or an agent's caller."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from svcdesk_tui.core.formatting import duration, local_time
from svcdesk_tui.escalations.moves import EXECUTIVE_WARNING
from svcdesk_tui.people.permissions import Action
from svcdesk_tui.queue.customer_card import CustomerCard, customer_card
from svcdesk_tui.screens.common.failures import in_words, report
from svcdesk_tui.screens.common.guard import RoleGuard, keys_with_needs
from svcdesk_tui.screens.common.moves import MoveRunner
from svcdesk_tui.screens.complaints.actions import compensate, open_complaint_for_customer
from svcdesk_tui.screens.escalations.forms import escalate_from
from svcdesk_tui.screens.monitoring.player import play_call


class CustomerCardScreen(RoleGuard, MoveRunner, ModalScreen[None]):
    """Who is calling: agreement, requests, history; and what to do about it."""

    BINDINGS, ACTION_NEEDS = keys_with_needs(
        (Binding("escape,enter", "close", "Close"), None),
        (Binding("e", "escalate", "Escalate"), Action.RAISE_ESCALATION),
        (Binding("o", "open_complaint", "Complaint"), Action.OPEN_COMPLAINT),
        (Binding("g", "compensate", "Compensate"), Action.GRANT_COMPENSATION),
        (Binding("p", "play", "Play recording"), Action.PLAY_RECORDINGS),
    )

    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide", id="card"):
            yield Label("Loading customer…", id="card-title", classes="dialog-title")
            yield Static(id="card-facts")
            yield Label("Last calls", classes="section-title")
            yield DataTable(id="card-calls", cursor_type="row", zebra_stripes=True)
            yield Label("Open complaints and escalations", classes="section-title")
            yield Static(id="card-cases")

    def on_mount(self) -> None:
        table = self.query_one("#card-calls", DataTable)
        table.add_columns("When", "Queue", "Reason", "Outcome", "Agent", "Wait", "Talk", "Rec.")
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        app = self.app
        try:
            card = self._read()
        except Exception as error:  # said in the card and the status line
            app.call_from_thread(self._failed, error)
            return
        app.call_from_thread(self.show, card)

    def _read(self) -> CustomerCard:
        app = self.app
        with app.db.read() as session:
            card = customer_card(
                session,
                self.customer_id,
                now=app.clock.now(),
                recent_window_days=app.settings.history_window_days,
                viewer=app.actor,
            )
        return card

    def _failed(self, error: BaseException) -> None:
        report(self, "Could not open the customer card", error)
        if self.is_attached:
            self.query_one("#card-title", Label).update(in_words(error, self.app.db.name))

    def action_play(self) -> None:
        """Play the recording of the call under the cursor of the last calls."""
        table = self.query_one("#card-calls", DataTable)
        card: CustomerCard | None = getattr(self, "card", None)
        if card is None or not table.row_count:
            self.notify("No call to play", severity="warning")
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        call = next((c for c in card.last_calls if str(c.call_id) == key), None)
        if call is not None:
            play_call(self, call.call_id, call.recording_path)

    def show(self, card: CustomerCard) -> None:
        self.card = card
        tz = self.app.settings.timezone
        self.customer_name = card.name
        self.query_one("#card-title", Label).update(f"{card.name}  (customer {card.customer_id})")
        facts = Text()
        facts.append(f"Phone: {card.phone or '—'}   Email: {card.email or '—'}\n")
        facts.append(f"Agreement: {card.agreement or 'none'}")
        if card.promise:
            facts.append(f" — promises {card.promise}")
        facts.append(f"\nCalls in the last {card.recent_window_days} days: {card.calls_recent}\n")
        facts.append(f"Special requests: {card.special_requests or 'none'}\n")
        if card.nuisance:
            facts.append("NUISANCE CUSTOMER", style="bold red")
            facts.append(f": {card.nuisance_note or 'no handling note'}\n")
        self.query_one("#card-facts", Static).update(facts)
        table = self.query_one("#card-calls", DataTable)
        table.clear()
        for call in card.last_calls:
            table.add_row(
                local_time(call.entered_at, tz, with_date=True),
                call.queue,
                call.reason or call.state.replace("_", " "),
                call.outcome or "—",
                call.agent or "—",
                duration(call.wait_seconds),
                duration(call.talk_seconds),
                "♪" if call.recording_path else "",
                key=str(call.call_id),
            )
        cases = Text("\n").join(
            Text(
                f"{case.kind} #{case.case_id} ({case.state.replace('_', ' ')}, since "
                f"{local_time(case.opened_at, tz, with_date=True)}): {case.summary}",
                style="bold red" if EXECUTIVE_WARNING in case.summary else "",
            )
            for case in card.open_cases
        )
        self.query_one("#card-cases", Static).update(cases if card.open_cases else "None open.")

    def action_close(self) -> None:
        self.dismiss(None)

    @property
    def about(self) -> str:
        return getattr(self, "customer_name", f"customer {self.customer_id}")

    def action_escalate(self) -> None:
        escalate_from(self, self.about, customer_id=self.customer_id)

    def action_open_complaint(self) -> None:
        open_complaint_for_customer(self, self.customer_id, self.about)

    def action_compensate(self) -> None:
        compensate(self, customer_id=self.customer_id, customer_name=self.about)

    def after_move(self) -> None:
        self.load()

"""The dispatch form: the fault, what fixing it needs, and a technician who can and is free.

Before the agent promises a time, the form shows what the customer's agreement
promises and lists only the technicians with the fault's skill who are free for
the whole visit. The list is re-read in a worker whenever the fault, the
estimate, the senior requirement or the visit time changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Checkbox, Input, Label, Select, Static

from svcdesk_tui.core.errors import InvalidInput
from svcdesk_tui.core.formatting import local_time
from svcdesk_tui.models import Call
from svcdesk_tui.queue import live as queue_service
from svcdesk_tui.screens.common.failures import guarded
from svcdesk_tui.screens.common.forms import FormScreen
from svcdesk_tui.service_desk import dispatch as dispatch_service
from svcdesk_tui.service_desk.dispatch import DispatchRequest, FaultOption, Promise, Technician
from svcdesk_tui.widgets.live_table import LiveTable


@dataclass(frozen=True)
class Choice:
    """The form's values, once they all read correctly."""

    fault_type_id: int
    hours: float
    senior: bool
    visit_at: datetime


class DispatchScreen(FormScreen[DispatchRequest]):
    """Fill in the fault, pick a free technician (enter on the list, or ctrl+s)."""

    SAVE_LABEL = "Dispatch"
    DEFAULT_CSS = """
    DispatchScreen #technicians { height: auto; max-height: 8; }
    """

    def __init__(self, customer_id: int | None = None) -> None:
        super().__init__("Dispatch a technician")
        self._customer_id = customer_id
        self._technicians: list[Technician] = []

    def fields(self) -> ComposeResult:
        yield Static("Reading the agreement…", id="promise")
        yield Select([], id="fault-type", prompt="Fault type")
        yield Input(placeholder="The fault, in the customer's words", id="fault")
        with Horizontal(classes="dialog-row"):
            yield Input("2", placeholder="Hours to fix", id="hours")
            yield Input(placeholder="Visit at (local) YYYY-MM-DD HH:MM", id="visit-at")
        yield Checkbox("Senior technician required", id="senior")
        yield Input(placeholder="Special equipment or parts (optional)", id="equipment")
        yield Label("Technicians with the skill who are free", classes="section-title")
        yield LiveTable("Technician", "Level", id="technicians")
        yield Static("", id="free-note")

    def on_mount(self) -> None:
        app = self.app
        tz = app.settings.timezone
        visit = dispatch_service.next_full_hour(now=app.clock.now())
        self.query_one("#visit-at", Input).value = local_time(visit, tz, with_date=True)
        self.load_reference()

    # --- reading ----------------------------------------------------------

    @work(thread=True, group="dispatch-reference")
    @guarded("Could not read the store")
    def load_reference(self) -> None:
        app = self.app
        with app.db.read() as session:
            customer_id = self._customer_id or _current_customer(session, app.actor.id)
            faults = dispatch_service.fault_types(session)
            promise = dispatch_service.promise_for(session, customer_id)
        app.call_from_thread(self._show_reference, customer_id, faults, promise)

    def _show_reference(
        self, customer_id: int | None, faults: list[FaultOption], promise: Promise
    ) -> None:
        self._customer_id = customer_id
        known = "" if customer_id else "Caller not identified: no technician can be sent. "
        self.query_one("#promise", Static).update(f"{known}Agreement: {promise.text}")
        self.query_one("#fault-type", Select).set_options(
            (f"{f.label} ({f.procedure})", f.fault_type_id) for f in faults
        )

    def _choice(self) -> Choice:
        """The form's values, or :class:`InvalidInput` saying what is wrong with them."""
        picker = self.query_one("#fault-type", Select)
        if picker.is_blank():
            raise InvalidInput("Pick the fault type")
        try:
            hours = float(self.text("hours").replace(",", "."))
        except ValueError:
            raise InvalidInput("The hours to fix must be a number, like 1.5") from None
        dispatch_service.check_hours(hours)
        visit_at = dispatch_service.parse_visit_time(
            self.text("visit-at"),
            self.app.settings.timezone,
            now=self.app.clock.now(),
        )
        senior = self.query_one("#senior", Checkbox).value
        return Choice(int(picker.value), hours, senior, visit_at)  # type: ignore[arg-type]

    @on(Select.Changed, "#fault-type")
    @on(Checkbox.Changed, "#senior")
    @on(Input.Changed, "#hours, #visit-at")
    def refresh_technicians(self) -> None:
        try:
            choice = self._choice()
        except InvalidInput as error:
            self._show_technicians([], error.message)
            return
        self.read_technicians(choice)

    @work(thread=True, exclusive=True, group="dispatch-technicians")
    @guarded("Could not read the store")
    def read_technicians(self, choice: Choice) -> None:
        app = self.app
        with app.db.read() as session:
            free = dispatch_service.free_technicians(
                session,
                fault_type_id=choice.fault_type_id,
                starts=choice.visit_at,
                hours=choice.hours,
                senior=choice.senior,
                timezone=app.settings.timezone,
            )
        note = "" if free else "Nobody with the skill is free then: try another time"
        app.call_from_thread(self._show_technicians, free, note)

    def _show_technicians(self, free: list[Technician], note: str) -> None:
        self._technicians = free
        self.query_one("#technicians", LiveTable).sync(
            [
                (str(t.staff_id), (t.name, "senior (O)" if t.senior else f"alone ({t.level})"))
                for t in free
            ]
        )
        self.query_one("#free-note", Static).update(note)

    # --- acting -----------------------------------------------------------

    def on_data_table_row_selected(self) -> None:
        self.action_save()

    def result(self) -> DispatchRequest:
        if self._customer_id is None:
            raise InvalidInput("A dispatch needs a known customer; identify the caller first")
        choice = self._choice()
        fault = self.required_text("fault", "Describe the fault")
        key = self.query_one("#technicians", LiveTable).selected_key
        if key is None or not self._technicians:
            raise InvalidInput("Pick a free technician")
        return DispatchRequest(
            fault_type_id=choice.fault_type_id,
            fault=fault,
            estimated_fix_hours=choice.hours,
            senior_required=choice.senior,
            equipment=self.text("equipment"),
            technician_id=int(key),
            visit_at=choice.visit_at,
        )


def _current_customer(session: Session, staff_id: int) -> int | None:
    call_id = queue_service.current_call_id(session, staff_id)
    call = session.get(Call, call_id) if call_id else None
    return call.customer_id if call else None

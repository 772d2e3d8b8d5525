"""Small dialogs of the Caribbean screen: what-if, absence, documented, details."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, SelectionList, Static

from svcdesk_tui.core.errors import InvalidInput
from svcdesk_tui.models import AbsenceKind
from svcdesk_tui.screens.common.forms import FormScreen


def parse_day(text: str, what: str) -> date:
    """A YYYY-MM-DD date, or InvalidInput with a message fit for the status line."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{what} must be a date like 2026-01-31") from None


@dataclass(frozen=True)
class WhatIfQuestion:
    away: tuple[str, ...]  # logins
    since: date
    until: date


class WhatIfScreen(FormScreen[WhatIfQuestion]):
    """Pick who is away (space toggles) and the first and last day; ctrl+s asks."""

    SAVE_LABEL = "Ask"

    def __init__(
        self,
        people: Sequence[tuple[str, str]],
        away: Sequence[str],
        since: date,
        until: date,
    ) -> None:
        super().__init__("What if these people are away?")
        self._people, self._away = people, set(away)
        self._since, self._until = since, until

    def fields(self) -> ComposeResult:
        yield SelectionList[str](
            *((f"{name} ({login})", login, login in self._away) for login, name in self._people),
            id="whatif-people",
        )
        with Horizontal(classes="dialog-row"):
            yield Input(self._since.isoformat(), placeholder="From YYYY-MM-DD", id="whatif-from")
            yield Input(self._until.isoformat(), placeholder="To YYYY-MM-DD", id="whatif-to")

    def result(self) -> WhatIfQuestion:
        since = parse_day(self.text("whatif-from"), "From")
        until = parse_day(self.text("whatif-to"), "To")
        if until < since:
            raise InvalidInput("The last day comes before the first")
        chosen = tuple(self.query_one("#whatif-people", SelectionList).selected)
        return WhatIfQuestion(chosen, since, until)


@dataclass(frozen=True)
class NewAbsence:
    login: str
    kind: str
    starts_on: date
    ends_on: date
    note: str


class AbsenceScreen(FormScreen[NewAbsence]):
    """Put someone's absence in the calendar; ctrl+s saves."""

    def __init__(self, people: Sequence[tuple[str, str]], person: str | None, today: date) -> None:
        super().__init__("Add an absence")
        self._people, self._person, self._today = people, person, today

    def fields(self) -> ComposeResult:
        yield Select(
            [(f"{name} ({login})", login) for login, name in self._people],
            value=self._person if self._person else Select.BLANK,
            prompt="Who",
            id="absence-person",
        )
        yield Select(
            [(kind.value, kind.value) for kind in AbsenceKind],
            value=AbsenceKind.VACATION.value,
            allow_blank=False,
            id="absence-kind",
        )
        with Horizontal(classes="dialog-row"):
            yield Input(self._today.isoformat(), placeholder="From YYYY-MM-DD", id="absence-from")
            yield Input(self._today.isoformat(), placeholder="To YYYY-MM-DD", id="absence-to")
        yield Input(placeholder="Note (optional)", id="absence-note")

    def result(self) -> NewAbsence:
        person = self.picked("absence-person", "Pick who is away first")
        starts = parse_day(self.text("absence-from"), "From")
        ends = parse_day(self.text("absence-to"), "To")
        kind = str(self.query_one("#absence-kind", Select).value)
        return NewAbsence(person, kind, starts, ends, self.text("absence-note"))


@dataclass(frozen=True)
class Documentation:
    documented: bool
    location: str


class DocumentedScreen(ModalScreen[Documentation | None]):
    """Say where a procedure is written down (enter), or that it is not (ctrl+n)."""

    BINDINGS = [
        Binding("ctrl+n", "undocumented", "Not documented", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, procedure: str, location: str | None) -> None:
        super().__init__()
        self._procedure, self._location = procedure, location

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Where is '{self._procedure}' written down?", classes="dialog-title")
            yield Input(self._location or "", placeholder="Path or link", id="doc-location")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Documented (enter)", variant="primary", id="documented")
                yield Button("Not documented (ctrl+n)", id="undocumented")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "documented":
            self.on_input_submitted()
        else:
            self.action_undocumented()

    def on_input_submitted(self) -> None:
        location = self.query_one("#doc-location", Input).value.strip()
        self.dismiss(Documentation(True, location))

    def action_undocumented(self) -> None:
        self.dismiss(Documentation(False, ""))

    def action_cancel(self) -> None:
        self.dismiss(None)


class DetailScreen(ModalScreen[None]):
    """Everything about one procedure or approval, in words."""

    BINDINGS = [Binding("escape,enter", "close", "Close")]

    def __init__(self, title: str, body: Text) -> None:
        super().__init__()
        self._title, self._body = title, body

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide"):
            yield Label(self._title, classes="dialog-title", id="detail-title")
            yield Static(self._body, id="detail-body")

    def action_close(self) -> None:
        self.dismiss(None)

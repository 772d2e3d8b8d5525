"""The wrap-up form: contact reason, outcome and a note, filled after the talk."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Select

from ..models import CallOutcome


@dataclass(frozen=True)
class WrapUp:
    reason_code: str
    outcome: str
    note: str


class WrapUpScreen(ModalScreen[WrapUp | None]):
    """Ask how the call ended; ctrl+s saves, escape leaves the call in wrap-up."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Later"),
    ]

    def __init__(self, caller: str, reasons: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self._caller = caller
        self._reasons = reasons

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Wrap up the call with {self._caller}", classes="dialog-title")
            yield Label("Contact reason")
            yield Select(
                [(label, code) for code, label in self._reasons],
                id="reason",
                prompt="Pick the reason",
            )
            yield Label("Was the problem solved on this call?")
            with RadioSet(id="outcome"):
                yield RadioButton(
                    "Yes, solved (first-contact resolution)", id=CallOutcome.RESOLVED, value=True
                )
                yield RadioButton("No, it needs more work", id=CallOutcome.UNRESOLVED)
            yield Input(placeholder="Note (optional)", id="note")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Later (esc)", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def on_input_submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        picker = self.query_one("#reason", Select)
        reason = picker.value
        if picker.is_blank():
            self.notify("Pick the contact reason first", severity="warning")
            picker.focus()
            return
        pressed = self.query_one("#outcome", RadioSet).pressed_button
        outcome = pressed.id if pressed and pressed.id else CallOutcome.RESOLVED
        self.dismiss(WrapUp(str(reason), outcome, self.query_one("#note", Input).value.strip()))

    def action_cancel(self) -> None:
        self.dismiss(None)

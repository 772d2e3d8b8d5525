"""The base of every small form: a titled dialog that only collects input.

ctrl+s saves, enter in a text box moves to the next one (and saves from the
last), escape cancels. A form returns a value; the screen that opened it runs
the change in a worker. Input the form cannot accept is said in the status line
and the offending field gets the focus.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioSet, Select

from svcdesk_tui.core.errors import InvalidInput
from svcdesk_tui.screens.common.node import DeskNode

T = TypeVar("T")
A = TypeVar("A")


class FormScreen(DeskNode, ModalScreen[T | None], Generic[T]):
    """Subclasses compose :meth:`fields` and build the value in :meth:`result`."""

    SAVE_LABEL = "Save"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, title: str) -> None:
        super().__init__()
        self._title = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self._title, classes="dialog-title")
            yield from self.fields()
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.SAVE_LABEL} (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (esc)", id="cancel")

    def fields(self) -> ComposeResult:
        yield from ()

    def result(self) -> T:
        """The form's value; raise :class:`InvalidInput` to refuse it in words."""
        raise NotImplementedError

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "cancel":
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        boxes = list(self.query(Input))
        if event.input is boxes[-1]:
            self.action_save()
        else:
            boxes[boxes.index(event.input) + 1].focus()

    def action_save(self) -> None:
        try:
            self.dismiss(self.result())
        except InvalidInput as error:
            self.notify(error.message, severity="warning")

    def action_cancel(self) -> None:
        self.dismiss(None)

    def text(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def required_text(self, widget_id: str, message: str) -> str:
        """The text of a box that must not be empty; else focus it and refuse."""
        value = self.text(widget_id)
        if not value:
            self.query_one(f"#{widget_id}", Input).focus()
            raise InvalidInput(message)
        return value

    def picked(self, widget_id: str, message: str) -> str:
        """The value picked in a drop-down that must not be blank; else focus it and refuse."""
        picker = self.query_one(f"#{widget_id}", Select)
        if picker.is_blank():
            picker.focus()
            raise InvalidInput(message)
        return str(picker.value)

    def pressed(self, widget_id: str) -> str:
        button = self.query_one(f"#{widget_id}", RadioSet).pressed_button
        if button is None or button.name is None:
            raise InvalidInput("pick one of the options")
        return button.name


def unless_cancelled(then: Callable[[A], None]) -> Callable[[A | None], None]:
    """The callback of a form or a choice: ``then`` with the answer, nothing when cancelled."""

    def answered(answer: A | None) -> None:
        if answer is not None:
            then(answer)

    return answered

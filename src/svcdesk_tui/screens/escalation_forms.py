"""The escalation forms (raise; a note for resolve/pass on/call back/reopen) and `escalate_from`.

The forms only collect input; the move runs in a thread worker of the screen
that asked, so any screen (queue, customer card, complaints) can offer "Escalate".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Label, Select

from ..errors import SvcdeskError
from ..services import escalation as esc

ANGER_CHOICES = [
    ("5 — furious", 5),
    ("4 — very angry", 4),
    ("3 — angry", 3),
    ("2 — annoyed", 2),
    ("1 — calm", 1),
]


@dataclass(frozen=True)
class RaiseRequest:
    reason: str
    anger: int


class EscalationForm(ModalScreen[object]):
    DEFAULT_CSS = """
    EscalationForm { align: center middle; }
    EscalationForm .form-warning { color: $error; text-style: bold; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def buttons(self) -> ComposeResult:
        with Horizontal(classes="dialog-buttons"):
            yield Button("Save (ctrl+s)", variant="primary", id="save")
            yield Button("Cancel (esc)", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def action_cancel(self) -> None:
        self.dismiss(None)


class RaiseEscalationScreen(EscalationForm):
    """Why the customer needs someone higher, and how angry they are."""

    def __init__(self, about: str) -> None:
        super().__init__()
        self._about = about

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Escalate: {self._about}", classes="dialog-title")
            yield Label("Why does this need someone higher? (required)")
            yield Input(placeholder="What the customer wants, what was tried", id="reason")
            yield Label("How angry is the customer?")
            yield Select(ANGER_CHOICES, value=4, allow_blank=False, id="anger")
            yield from self.buttons()

    def on_input_submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        reason = self.query_one("#reason", Input).value.strip()
        if not reason:
            self.notify("Say why it needs escalating", severity="warning")
            self.query_one("#reason", Input).focus()
            return
        anger = self.query_one("#anger", Select).value
        self.dismiss(RaiseRequest(reason, int(anger)))  # type: ignore[arg-type]


class NoteFormScreen(EscalationForm):
    """One or more required text fields; dismisses with {key: text}."""

    def __init__(
        self, title: str, fields: Sequence[tuple[str, str]], *, warning: str | None = None
    ) -> None:
        super().__init__()
        self._title = title
        self._fields = fields
        self._warning = warning

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self._title, classes="dialog-title")
            if self._warning:
                yield Label(self._warning, classes="form-warning", id="form-warning")
            for key, label in self._fields:
                yield Label(label)
                yield Input(id=f"field-{key}")
            yield from self.buttons()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        if event.input is inputs[-1]:
            self.action_save()
        else:
            inputs[inputs.index(event.input) + 1].focus()

    def action_save(self) -> None:
        values = {}
        for key, label in self._fields:
            box = self.query_one(f"#field-{key}", Input)
            if not box.value.strip():
                self.notify(f"{label} is required", severity="warning")
                box.focus()
                return
            values[key] = box.value.strip()
        self.dismiss(values)


def escalate_from(
    screen: Screen[object],
    about: str,
    *,
    call_id: int | None = None,
    customer_id: int | None = None,
    complaint_id: int | None = None,
) -> None:
    """Ask for the reason and anger, then raise the escalation in a thread worker."""
    app = screen.app

    def write(request: RaiseRequest) -> None:
        try:
            with app.db.write() as session:  # type: ignore[attr-defined]
                raised = esc.raise_escalation(
                    session,
                    app.actor,  # type: ignore[attr-defined]
                    app.clock.now(),  # type: ignore[attr-defined]
                    reason=request.reason,
                    anger=request.anger,
                    call_id=call_id,
                    customer_id=customer_id,
                    complaint_id=complaint_id,
                )
                level = esc.ladder(session).get(raised.level_rank)
        except SvcdeskError as error:
            app.call_from_thread(
                app.notify, error.message, title="Could not escalate", severity="error"
            )
            return
        message = f"Escalation {raised.id} is with the {level.label}"
        severity = "error" if level.is_executive else "information"
        app.call_from_thread(app.notify, message, severity=severity)

    def chosen(request: object) -> None:
        if isinstance(request, RaiseRequest):
            screen.run_worker(lambda: write(request), thread=True, group="escalate")

    app.push_screen(RaiseEscalationScreen(about), chosen)

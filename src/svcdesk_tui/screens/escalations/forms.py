"""The escalation forms (raise; a note for resolve/pass on/call back/reopen) and `escalate_from`.

The forms only collect input; the raise runs as a move of the screen that asked,
so any screen (queue, customer card, complaints) can offer "Escalate".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session
from textual.app import ComposeResult
from textual.widgets import Input, Label, Select

from svcdesk_tui.escalations import moves as esc
from svcdesk_tui.screens.common.forms import FormScreen
from svcdesk_tui.screens.common.moves import MoveRunner, Said

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


class RaiseEscalationScreen(FormScreen[RaiseRequest]):
    """Why the customer needs someone higher, and how angry they are."""

    def __init__(self, about: str) -> None:
        super().__init__(f"Escalate: {about}")

    def fields(self) -> ComposeResult:
        yield Label("Why does this need someone higher? (required)")
        yield Input(placeholder="What the customer wants, what was tried", id="reason")
        yield Label("How angry is the customer?")
        yield Select(ANGER_CHOICES, value=4, allow_blank=False, id="anger")

    def result(self) -> RaiseRequest:
        reason = self.required_text("reason", "Say why it needs escalating")
        return RaiseRequest(reason, int(self.query_one("#anger", Select).value))  # type: ignore[arg-type]


class NoteFormScreen(FormScreen[dict[str, str]]):
    """One or more required text fields; dismisses with {key: text}."""

    def __init__(
        self, title: str, fields: Sequence[tuple[str, str]], *, warning: str | None = None
    ) -> None:
        super().__init__(title)
        self._fields = fields
        self._warning = warning

    def fields(self) -> ComposeResult:
        if self._warning:
            yield Label(self._warning, classes="form-warning", id="form-warning")
        for key, label in self._fields:
            yield Label(label)
            yield Input(id=f"field-{key}")

    def result(self) -> dict[str, str]:
        return {
            key: self.required_text(f"field-{key}", f"{label} is required")
            for key, label in self._fields
        }


def escalate_from(
    screen: MoveRunner,
    about: str,
    *,
    call_id: int | None = None,
    customer_id: int | None = None,
    complaint_id: int | None = None,
) -> None:
    """Ask for the reason and anger, then raise the escalation as the screen's move."""
    actor = screen.app.actor

    def chosen(request: object) -> None:
        if not isinstance(request, RaiseRequest):
            return

        def move(session: Session, *, now: datetime) -> Said:
            raised = esc.raise_escalation(
                session,
                actor,
                now=now,
                reason=request.reason,
                anger=request.anger,
                call_id=call_id,
                customer_id=customer_id,
                complaint_id=complaint_id,
            )
            level = esc.ladder(session).get(raised.level_rank)
            return Said(
                f"Escalation {raised.id} is with the {level.label}",
                "error" if level.is_executive else "information",
            )

        screen.run_move("escalate", move)

    screen.app.push_screen(RaiseEscalationScreen(about), chosen)

"""The moves on one escalation, shared by the Escalations screen and its detail view.

The host screen says which escalation is in focus (:meth:`focused_row`) and what
to do after a move (:meth:`after_move`); each move asks for its note in a form
and runs in a thread worker, so the screen never waits on the database.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlmodel import Session
from textual.binding import Binding

from svcdesk_tui.escalations import moves as esc
from svcdesk_tui.escalations.views import InboxRow
from svcdesk_tui.models import EscalationState
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, allowed
from svcdesk_tui.screens.common.forms import unless_cancelled
from svcdesk_tui.screens.common.guard import keys_needing
from svcdesk_tui.screens.common.moves import MoveRunner, Severity
from svcdesk_tui.screens.escalations.forms import NoteFormScreen

MOVE_BINDINGS, MOVE_NEEDS = keys_needing(
    Action.HANDLE_ESCALATION,
    Binding("a", "accept", "Accept"),
    Binding("r", "resolve", "Resolve"),
    Binding("f", "escalate_further", "Escalate further"),
    Binding("b", "call_back", "Call back"),
    Binding("o", "reopen", "Reopen"),
)


class EscalationMove(Protocol):
    """One move on an escalation, by ``actor`` at ``now``."""

    def __call__(self, session: Session, actor: Actor, *, now: datetime) -> object: ...


class NotedMove(Protocol):
    """A move that needs notes the person writes down first (``{field: text}``)."""

    def __call__(
        self, session: Session, actor: Actor, notes: dict[str, str], *, now: datetime
    ) -> object: ...


def fits(row: InboxRow, action: str) -> bool:
    """Whether the move makes sense for this escalation and this person right now."""
    if not row.may_act:
        return False
    resolved = row.state == EscalationState.RESOLVED
    return {
        "accept": row.state == EscalationState.RAISED,
        "resolve": not resolved,
        "escalate_further": not resolved and row.next_level is not None,
        "call_back": True,
        "reopen": resolved,
    }.get(action, True)


class EscalationMoves(MoveRunner):
    """Base for a screen that acts on one escalation; the service layer decides who may."""

    def focused_row(self) -> InboxRow | None:
        raise NotImplementedError

    def after_move(self) -> None:
        raise NotImplementedError

    def move_allowed(self, action: str) -> bool | None:
        """For check_action: hidden if the role never may; greyed out if not for this one."""
        needed = MOVE_NEEDS.get(action)
        if needed is None:
            return True
        if not allowed(self.app.actor, needed):
            return False
        row = self.focused_row()
        return True if row is None or fits(row, action) else None

    def sync_bindings(self) -> None:
        """Refresh the footer only when what the focused escalation allows has changed."""
        row = self.focused_row()
        signature = None if row is None else tuple(fits(row, action) for action in MOVE_NEEDS)
        if signature != self.__dict__.get("_move_signature"):
            self._move_signature = signature
            self.refresh_bindings()

    def _row_or_say(self) -> InboxRow | None:
        row = self.focused_row()
        if row is None:
            self.notify("Select an escalation first", severity="warning")
        return row

    def action_accept(self) -> None:
        row = self._row_or_say()
        if row is not None:
            self.run_escalation_move(
                f"accept escalation {row.escalation_id}",
                lambda s, a, now: esc.accept(s, a, row.escalation_id, now=now),
                f"You accepted escalation {row.escalation_id} ({row.customer})",
            )

    def action_resolve(self) -> None:
        row = self._row_or_say()
        if row is None:
            return
        self.ask_notes(
            NoteFormScreen(
                f"Resolve escalation {row.escalation_id} ({row.customer})",
                [
                    ("note", "How was it resolved? (required)"),
                    ("promise", "What was promised to the customer? (required)"),
                ],
            ),
            f"resolve escalation {row.escalation_id}",
            lambda s, a, notes, now: esc.resolve(
                s, a, row.escalation_id, now=now, note=notes["note"], promise=notes["promise"]
            ),
            f"Escalation {row.escalation_id} resolved at the {row.level.name} level",
        )

    def action_escalate_further(self) -> None:
        row = self._row_or_say()
        if row is None:
            return
        target = row.next_level
        if target is None:
            self.notify(f"{row.level.name} is the top of the ladder", severity="warning")
            return
        self.ask_notes(
            NoteFormScreen(
                f"Pass escalation {row.escalation_id} up to {target.name}",
                [("why", "Why can it not be resolved here? (required)")],
                warning=f"Goes to the {target.label}" if target.is_executive else None,
            ),
            f"escalate {row.escalation_id} further",
            lambda s, a, notes, now: esc.escalate_further(
                s, a, row.escalation_id, now=now, justification=notes["why"]
            ),
            f"Escalation {row.escalation_id} passed to the {target.label}",
            severity="error" if target.is_executive else "information",
        )

    def action_call_back(self) -> None:
        row = self._row_or_say()
        if row is None:
            return
        self.ask_notes(
            NoteFormScreen(
                f"Call back {row.customer} (escalation {row.escalation_id})",
                [("note", "What was said? (required)")],
            ),
            f"record the call back on {row.escalation_id}",
            lambda s, a, notes, now: esc.call_back(
                s, a, row.escalation_id, now=now, note=notes["note"]
            ),
            f"Call back to {row.customer} recorded",
        )

    def action_reopen(self) -> None:
        row = self._row_or_say()
        if row is None:
            return
        if row.state != EscalationState.RESOLVED:
            self.notify(f"Escalation {row.escalation_id} is still open", severity="warning")
            return
        self.ask_notes(
            NoteFormScreen(
                f"Reopen escalation {row.escalation_id}",
                [("why", "Why is it not solved after all? (required)")],
            ),
            f"reopen escalation {row.escalation_id}",
            lambda s, a, notes, now: esc.reopen(
                s, a, row.escalation_id, now=now, note=notes["why"]
            ),
            f"Escalation {row.escalation_id} reopened at the {row.level.name} level",
        )

    def ask_notes(
        self,
        form: NoteFormScreen,
        label: str,
        move: NotedMove,
        done: str,
        severity: Severity = "information",
    ) -> None:
        """Ask for what ``move`` needs written down, then run it with those notes."""

        @unless_cancelled
        def noted(notes: dict[str, str]) -> None:
            self.run_escalation_move(
                label, lambda s, a, *, now: move(s, a, notes, now=now), done, severity
            )

        self.app.push_screen(form, noted)

    def run_escalation_move(
        self, label: str, move: EscalationMove, done: str, severity: Severity = "information"
    ) -> None:
        """Run ``move`` as the desk's actor and say ``done`` when it went through."""
        actor = self.app.actor

        def as_actor(session: Session, *, now: datetime) -> str:
            move(session, actor, now=now)
            return done

        self.run_move(label, as_actor, severity=severity)

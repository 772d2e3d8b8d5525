"""Changing the store from a screen: one move, one write transaction, off the event loop."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Literal, NamedTuple, Protocol, TypeVar

from sqlmodel import Session
from textual import work
from textual.screen import Screen
from textual.worker import get_current_worker

from svcdesk_tui.screens.common.failures import UNAVAILABLE, report, store_unavailable
from svcdesk_tui.screens.common.forms import unless_cancelled
from svcdesk_tui.screens.common.node import DeskNode

Severity = Literal["information", "warning", "error"]


class Said(NamedTuple):
    """What a move tells the user, when its weight depends on what happened."""

    text: str
    severity: Severity


class Move(Protocol):
    """Does one thing in the store at the given time; returns what to tell the user, if anything."""

    def __call__(self, session: Session, *, now: datetime) -> str | Said | None: ...


A = TypeVar("A")
A_contra = TypeVar("A_contra", contravariant=True)


class AnsweredMove(Protocol[A_contra]):
    """A move that needs what the user answered in a form or a choice."""

    def __call__(
        self, session: Session, answer: A_contra, /, *, now: datetime
    ) -> str | Said | None: ...


MOVE_PATIENCE_S = 120.0  # how long a move waits for a store that is busy or away
RETRY_EVERY_S = 1.0


class MoveRunner(DeskNode):
    """Base for screens that change the store.

    A refusal or conflict from the service layer is shown in words in the
    status line, never as a traceback. A store that is busy or away is waited
    for (the status line says so), so what the user typed is not lost; after a
    move the screen re-reads.
    """

    def after_move(self) -> None:
        """Re-read what the move may have changed (each screen says how)."""

    def move_after(self, ask: Screen[A | None], label: str, move: AnsweredMove[A]) -> None:
        """Show ``ask``; once answered (not cancelled), run ``move`` with the answer."""

        @unless_cancelled
        def answered(answer: A) -> None:
            self.run_move(label, lambda session, now: move(session, answer, now=now))

        self.app.push_screen(ask, answered)

    @work(thread=True, group="moves")
    def run_move(
        self,
        label: str,
        move: Move,
        then: Callable[[], None] | None = None,
        severity: Severity = "information",
    ) -> None:
        """Run ``move`` in a write transaction; ``label`` completes "Could not …"."""
        app = self.app
        patience = time.monotonic() + MOVE_PATIENCE_S
        said_waiting = False
        while True:
            try:
                with app.db.write() as session:
                    message = move(session, now=app.clock.now())
                break
            except Exception as error:
                waiting = store_unavailable(error) and time.monotonic() < patience
                if not waiting or get_current_worker().is_cancelled:
                    app.call_from_thread(report, self, f"Could not {label}", error)
                    return
                if not said_waiting:
                    said_waiting = True
                    app.call_from_thread(
                        self.notify, f"{UNAVAILABLE} to {label}", severity="warning"
                    )
                time.sleep(RETRY_EVERY_S)
        if said_waiting:
            app.call_from_thread(self.notify, "The store is back", severity="information")
        if isinstance(message, Said):
            app.call_from_thread(self.notify, message.text, severity=message.severity)
        elif message:
            app.call_from_thread(self.notify, message, severity=severity)
        if then is not None:
            app.call_from_thread(then)
        app.call_from_thread(self.after_move)

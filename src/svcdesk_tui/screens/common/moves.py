"""Changing the store from a screen: one move, one write transaction, off the event loop."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session
from textual import work

from svcdesk_tui.core.errors import SvcdeskError

Move = Callable[[Session, datetime], str | None]
"""Does one thing in the store at the given time; returns what to tell the user, if anything."""


class MoveRunner:
    """Mixin for screens that change the store.

    A refusal or conflict from the service layer is shown in words in the
    status line, never as a traceback; after a move the screen re-reads.
    """

    def after_move(self) -> None:
        """Re-read what the move may have changed (each screen says how)."""

    @work(thread=True, group="moves")
    def run_move(
        self,
        label: str,
        move: Move,
        then: Callable[[], None] | None = None,
        severity: str = "information",
    ) -> None:
        """Run ``move`` in a write transaction; ``label`` completes "Could not …"."""
        app = self.app  # type: ignore[attr-defined]
        try:
            with app.db.write() as session:
                message = move(session, app.clock.now())
        except SvcdeskError as error:
            app.call_from_thread(
                app.notify, error.message, title=f"Could not {label}", severity="error"
            )
            return
        if message:
            app.call_from_thread(app.notify, message, severity=severity)
        if then is not None:
            app.call_from_thread(then)
        app.call_from_thread(self.after_move)

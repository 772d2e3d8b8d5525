"""The base of every live screen: it reads in a thread worker, shows, and survives failures.

A screen says only *what* it reads (:meth:`DeskScreen.reader`, a function run
in a read session off the event loop) and *how* it shows it
(:meth:`DeskScreen.show`, on the event loop). The base owns the rest: the
timer, one read at a time, re-reading after a move, role checks on keys
(:class:`RoleGuard`), and turning a failed read into words and a retry.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import ClassVar, Generic, TypeVar

from sqlmodel import Session
from textual import work
from textual.css.query import NoMatches

from svcdesk_tui.screens.common.failures import report
from svcdesk_tui.screens.common.guard import RoleGuard
from svcdesk_tui.screens.common.moves import MoveRunner

T = TypeVar("T")
Reader = Callable[[Session, datetime], T]
"""Reads what a screen shows, in a read session at the given time (runs in a worker)."""


class DeskScreen(RoleGuard, MoveRunner, Generic[T]):
    """A screen that follows the store: subclasses give :meth:`reader` and :meth:`show`."""

    READ_EVERY_S: ClassVar[float] = 0.0  # the least time between two timer re-reads
    READ_FAILED: ClassVar[str] = "Could not read the store"

    def __init__(self) -> None:
        super().__init__()
        self._reading = False
        self._read_again = False  # a re-read was asked for while one was under way

    # --- what each screen says -------------------------------------------------

    def reader(self) -> Reader[T]:
        """What to read, decided on the event loop (it may capture the screen's choices)."""
        raise NotImplementedError

    def show(self, data: T) -> None:
        """Show what was read (on the event loop; the screen is mounted)."""
        raise NotImplementedError

    # --- the loop ----------------------------------------------------------------

    def on_mount(self) -> None:
        every = max(self.app.refresh_seconds, self.READ_EVERY_S)
        self.set_interval(every, self.refresh_data)
        self.refresh_data()

    def on_screen_resume(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        """The timer's read: skipped while one is under way or another mode is in front."""
        if not self._reading and self in self.app.screen_stack:
            self._start_read()

    def reread(self) -> None:
        """Read now (after a move or a new question); once more if a read is under way."""
        if self._reading:
            self._read_again = True
        else:
            self._start_read()

    def after_move(self) -> None:
        self.reread()

    def _start_read(self) -> None:
        self._reading, self._read_again = True, False
        self._read_in_thread(self.reader())

    @work(thread=True, group="desk-read")
    def _read_in_thread(self, reader: Reader[T]) -> None:
        app = self.app
        try:
            with app.db.read() as session:
                data = reader(session, app.clock.now())
        except Exception as error:
            app.call_from_thread(self._read_failed, error)
            return
        app.call_from_thread(self._arrived, data)

    def _arrived(self, data: T) -> None:
        self._reading = False
        if self._read_again:
            self._start_read()  # what was read may predate the move: show the next one
            return
        if not self.is_attached:
            return  # the desk is closing while the read was under way
        try:
            self.show(data)
        except NoMatches:
            return  # not built yet, or being taken down

    def _read_failed(self, error: BaseException) -> None:
        self._reading = False
        if self.is_attached:
            report(self, self.READ_FAILED, error)
        if self._read_again:
            self._start_read()

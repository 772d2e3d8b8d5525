"""The base of every live screen: it reads in a thread worker, shows, and survives failures.

A screen says only *what* it reads (:meth:`DeskScreen.reader`, a function run
in a read session off the event loop) and *how* it shows it
(:meth:`DeskScreen.show`, on the event loop). The base owns the rest: the
timer, one read at a time, re-reading after a move, role checks on keys
(:class:`RoleGuard`), and turning a failed read into words and a retry.

The store's change watcher (:mod:`svcdesk_tui.core.changes`) follows the
store from a thread of its own and tells the screen when something was
committed (:class:`StoreMoved`); only then does the screen read. Its timer
otherwise only ticks the clocks (:meth:`DeskScreen.tick`: waits, time in
state) from what it last read, on the event loop, with no worker and no
question to the store. Rules that turn on time alone (overdue, due today) are
brought up to date by a re-read once the center's clock has moved
``STALE_AFTER`` since the last one; a failed read is retried every tick.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Hashable
from datetime import datetime, timedelta
from typing import ClassVar, Generic, Protocol, TypeVar

from rich.text import Text
from sqlmodel import Session
from textual import work
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static
from textual.widgets._header import HeaderTitle

from svcdesk_tui.screens.common.failures import UNAVAILABLE, in_words, report, store_unavailable
from svcdesk_tui.screens.common.guard import RoleGuard
from svcdesk_tui.screens.common.moves import MoveRunner

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Reader(Protocol[T_co]):
    """Reads what a screen shows, in a read session at the given time (runs in a worker)."""

    def __call__(self, session: Session, *, now: datetime) -> T_co: ...


STALE_AFTER = timedelta(seconds=60)  # the center's clock time after which a desk re-reads anyway
# The watcher asks the store every tenth of a refresh period (0.1 s by default): one
# question costs about 10 µs of CPU, and a quarter period was up to 0.25 s of every
# new call's way to the screen
HEAR_EVERY = 0.1


class StoreMoved(Message):
    """The store's version moved (or it stopped answering): posted from the watcher's thread."""


class DeskScreen(RoleGuard, MoveRunner, Generic[T]):
    """A screen that follows the store: subclasses give :meth:`reader` and :meth:`show`."""

    READ_EVERY_S: ClassVar[float] = 0.0  # the least time between two timer re-reads
    READ_FAILED: ClassVar[str] = "Could not read the store"

    def __init__(self) -> None:
        super().__init__()
        self._reading = False
        self._read_again = False  # a re-read was asked for while one was under way
        self._version: Hashable | None = None  # the store's version when last read
        self._read_at: datetime | None = None  # the clock's time of the last read
        self._failing = False  # the last read failed; the status line says so
        self._said: dict[str, object] = {}  # what each line last said (see say)
        self._titles: list[tuple[Header, HeaderTitle]] = []  # found once (see say_time)
        self._moved = False  # the store moved since the last read began
        self._read_planned = False  # a read is set for when the gap between reads is over
        self._read_began = -float("inf")  # time.monotonic() when the last read began
        self._unfollow: Callable[[], None] | None = None

    # --- what each screen says -------------------------------------------------

    def reader(self) -> Reader[T]:
        """What to read, decided on the event loop (it may capture the screen's choices)."""
        raise NotImplementedError

    def show(self, data: T) -> None:
        """Show what was read (on the event loop; the screen is mounted)."""
        raise NotImplementedError

    def tick(self, *, now: datetime) -> None:
        """Nothing changed in the store: move the clocks shown (waits, time in state) to ``now``."""

    def say(self, selector: str, text: str | Text) -> None:
        """Update a Static or Label only when what it says changed (each update is a layout)."""
        if self._said.get(selector) != text:
            self._said[selector] = text
            self.query_one(selector, Static).update(text)

    def say_time(self, text: str) -> None:
        """Set the screen's sub-title (the header's clock) repainting only the header's title.

        Setting ``sub_title`` the usual way repaints the whole screen: every widget
        rendered again and sent to the terminal, once a second on an idle desk. The
        header's title is looked up once: searching the screen for it every second
        was a fifth of an idle desk's work on its event loop.
        """
        if self.sub_title == text:
            return
        self.set_reactive(Screen.sub_title, text)
        titles = [(h, t) for h, t in self._titles if h.is_attached]  # none while torn down
        if not titles:
            titles = [(h, h.query_one(HeaderTitle)) for h in self.query(Header)]
        self._titles = titles
        for header, title in titles:
            title.update(header.format_title(), layout=False)

    # --- the loop ----------------------------------------------------------------

    def on_mount(self) -> None:
        self.mount(Static(id="store-status", classes="store-status"))
        every = max(self.app.refresh_seconds, self.READ_EVERY_S)
        self.set_interval(every, self._on_timer)
        self._unfollow = self.app.changes.follow(
            self._tell_moved, every=self.app.refresh_seconds * HEAR_EVERY
        )
        self.refresh_data()

    def on_unmount(self) -> None:
        if self._unfollow is not None:
            self._unfollow()

    def on_screen_resume(self) -> None:
        self.refresh_data()

    def _tell_moved(self) -> None:
        """From the watcher's thread: pass the news on (posting a message is thread-safe)."""
        self.post_message(StoreMoved())

    def on_store_moved(self, message: StoreMoved) -> None:
        """Read at once after a quiet spell; in a busy one, once a refresh period at most.

        A call entering, taken, ended and completed is four commits a second or
        more: each read the whole screen again. What is left is read when the gap is over.
        """
        message.stop()
        self._moved = True
        gap = max(self.app.refresh_seconds, self.READ_EVERY_S)
        wait = self._read_began + gap - time.monotonic()
        if wait <= 0:
            self.refresh_data()
        elif not self._read_planned:
            self._read_planned = True
            self.set_timer(wait, self._planned_read)

    def _planned_read(self) -> None:
        self._read_planned = False
        if self._moved:
            self.refresh_data()  # under way already: the tick after it reads again

    def _on_timer(self) -> None:
        """Read if the store moved, the last read failed or time alone may have changed
        what is shown; otherwise only move the clocks, without asking the store."""
        if self._reading or self not in self.app.screen_stack:
            return
        now = self.app.clock.now()
        if self._moved or self._version is None or self._failing or self._stale(now=now):
            self.refresh_data()
        elif self.is_attached:
            self._shown_safely(lambda: self.tick(now=now))

    def refresh_data(self) -> None:
        """Read if the store changed; not while a read is under way or another mode is in front."""
        if self._reading:
            return  # the change stays noted (_moved): the next tick reads it
        if self in self.app.screen_stack:
            self._start_read(force=False)

    def reread(self) -> None:
        """Read now (after a move or a new question); once more if a read is under way."""
        if self._reading:
            self._read_again = True
        else:
            self._start_read(force=True)

    def after_move(self) -> None:
        self.reread()

    def _start_read(self, *, force: bool) -> None:
        self._reading, self._read_again, self._moved = True, False, False  # noted before the read
        self._read_began = time.monotonic()
        self._read_in_thread(self.reader(), force or self._version is None)

    def _stale(self, *, now: datetime) -> bool:
        """Whether time alone may have changed what the screen shows."""
        last = self._read_at
        return last is None or not last <= now < last + STALE_AFTER

    def _due(self, version: Hashable, *, now: datetime) -> bool:
        """Whether the store changed, or time alone may have changed what the screen shows."""
        return version != self._version or self._stale(now=now)

    @work(thread=True, group="desk-read")
    def _read_in_thread(self, reader: Reader[T], force: bool) -> None:
        app = self.app
        try:
            version = app.changes.version()
            now = app.clock.now()
            if not force and not self._due(version, now=now):
                app.call_from_thread(self._unchanged, now=now)
                return
            with app.db.read() as session:
                data = reader(session, now=now)
        except Exception as error:
            app.call_from_thread(self._read_failed, error)
            return
        app.call_from_thread(self._arrived, data, version, now=now)

    def _unchanged(self, *, now: datetime) -> None:
        self._reading = False
        if self._read_again:
            self._start_read(force=True)
        elif self.is_attached:
            self._shown_safely(lambda: self.tick(now=now))

    def _arrived(self, data: T, version: Hashable, *, now: datetime) -> None:
        self._reading = False
        if self._read_again:
            self._start_read(force=True)  # what was read may predate the move: read again
            return
        self._version, self._read_at = version, now
        if self.is_attached:  # else the desk is closing while the read was under way
            self._set_failing(None)
            self._shown_safely(lambda: self.show(data))

    def _shown_safely(self, paint: Callable[[], None]) -> None:
        with contextlib.suppress(NoMatches):  # not built yet, or being taken down
            paint()

    def _read_failed(self, error: BaseException) -> None:
        self._reading, self._version = False, None  # read afresh once the store answers
        if self.is_attached:
            if not self._failing:
                report(self, self.READ_FAILED, error)  # once; the status line stays
            self._set_failing(error)
        if self._read_again:
            self._start_read(force=True)

    def _set_failing(self, error: BaseException | None) -> None:
        """Show (or clear) the status line that says the store does not answer."""
        if error is None and not self._failing:
            return
        self._failing = error is not None
        status = self.query_one("#store-status", Static)
        status.display = self._failing
        if error is not None:
            words = in_words(error, self.app.db.name)
            status.update(f"{UNAVAILABLE}: {words}" if store_unavailable(error) else words)

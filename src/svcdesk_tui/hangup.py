"""A hang-up ends the desk: log the person out, close the app, never outlive the terminal.

When an SSH line drops or a terminal window closes, the desk gets SIGHUP and its
terminal stops taking output. Textual's own shutdown then writes its last
frames to a terminal that is gone and can wait for ever on its output thread,
keeping the process and the store open. The guard does not depend on it: a
thread of its own notices the hang-up (the signal, or the terminal reporting
that it hung up), logs the person out, asks the app to exit, and ends the
process with :func:`os._exit` if that has not happened within the grace period.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from textual.app import App

from svcdesk_tui.core.clock import SystemClock
from svcdesk_tui.core.db import Database
from svcdesk_tui.core.errors import SvcdeskError
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.queue import live as queue

HANG_UP_EXIT = 129  # 128 + SIGHUP: what a shell reports for a process ended by a hang-up
GRACE_S = 2.0  # from the hang-up to the end of the process, whatever the app is doing
LOG_OUT_S = 1.2  # the part of it the log-out may take (a busy store: the stale limit ends it)


def guard_desk(app: App[Any], database: Database, actor: Actor) -> HangUpGuard:
    """Install the guard for a desk: a hang-up logs ``actor`` out (a call stays theirs)."""

    def log_out() -> None:
        with contextlib.suppress(SvcdeskError), database.write() as session:
            queue.log_out(session, actor, now=SystemClock().now())

    return HangUpGuard(app, log_out).install()


class HangUpGuard:
    """Watches the terminal of one desk; on a hang-up, logs out and ends the process."""

    def __init__(
        self, app: App[Any], log_out: Callable[[], None], *, grace_s: float = GRACE_S
    ) -> None:
        self.app = app
        self.log_out = log_out
        self.grace_s = grace_s
        self._wake_read, self._wake_write = os.pipe()
        self._started = threading.Event()
        self._logged_out = threading.Event()
        self._deadline = 0.0

    def install(self) -> HangUpGuard:
        """Catch SIGHUP and start watching (call from the main thread, before ``app.run``)."""
        if not hasattr(signal, "SIGHUP"):
            return self  # Windows: no hang-up signal, and no poll() on a console
        signal.signal(signal.SIGHUP, self._on_signal)
        threading.Thread(target=self._watch, name="hang-up-guard", daemon=True).start()
        return self

    def settle(self) -> None:
        """After ``app.run``: if the terminal hung up, let the log-out finish, then end."""
        if self._started.is_set():
            self._logged_out.wait(max(0.0, self._deadline - time.monotonic()))
            os._exit(HANG_UP_EXIT)

    def _on_signal(self, _signum: int, _frame: FrameType | None) -> None:
        with contextlib.suppress(OSError):
            os.write(self._wake_write, b"h")  # async-signal safe; the watcher does the rest

    def _watch(self) -> None:
        poller = select.poll()
        poller.register(self._wake_read, select.POLLIN)
        for fd in (0, 1, 2):
            if os.isatty(fd):
                poller.register(fd, 0)  # no events asked: only a hang-up or an error wakes it
        while not poller.poll():
            pass
        self._hang_up()

    def _hang_up(self) -> None:
        self._deadline = time.monotonic() + self.grace_s
        self._started.set()
        _daemon(self._log_out_once).join(LOG_OUT_S)
        _daemon(self._ask_app_to_exit)
        time.sleep(max(0.0, self._deadline - time.monotonic()))
        os._exit(HANG_UP_EXIT)  # Textual's shutdown did not finish in time

    def _log_out_once(self) -> None:
        try:
            with contextlib.suppress(Exception):  # nobody to tell; the stale limit clears them
                self.log_out()
        finally:
            self._logged_out.set()

    def _ask_app_to_exit(self) -> None:
        with contextlib.suppress(Exception):  # not running yet, or already gone
            self.app.call_from_thread(self.app.exit)


def _daemon(target: Callable[[], None]) -> threading.Thread:
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread

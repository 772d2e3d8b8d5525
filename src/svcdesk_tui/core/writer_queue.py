"""Writers of one SQLite file take turns through an advisory lock beside it.

SQLite lets one writer in at a time; the others retry with sleeps that grow
to 100 ms, so with many more writers than cores a waiter can sleep through
free moments again and again until its busy timeout ends in "database is
locked". Here writers first wait on a kernel file lock (``flock``), which
wakes waiters the moment it is released; SQLite's own lock then is almost
always free. The queue only orders writers: if the lock file cannot be
used, or the wait passes half the busy timeout, the write goes on and
SQLite's busy timeout decides as before.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows has no flock: writers rely on SQLite's busy timeout alone
    fcntl = None  # type: ignore[assignment]


SPIN_S = 0.005  # how long a writer keeps trying before it sleeps until woken


class WriterQueue:
    """Take turns with the other writers of ``database`` (all processes, all threads)."""

    def __init__(self, database: Path, wait_s: float) -> None:
        self.path = database.with_name(f".{database.name}-writers")  # hidden, beside it
        self.wait_s = wait_s
        self._threads = threading.Lock()  # threads of one process queue here first

    @contextmanager
    def turn(self) -> Iterator[None]:
        if fcntl is None or not self._threads.acquire(timeout=self.wait_s):
            yield
            return
        try:
            fd = self._open()
            if fd is None:
                yield
                return
            try:
                self._lock(fd)
                yield
            finally:
                os.close(fd)  # closing releases the lock
        finally:
            self._threads.release()

    def _open(self) -> int | None:
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o660)
        except OSError:  # a read-only directory: no queue, SQLite alone decides
            return None

    def _lock(self, fd: int) -> bool:
        """Wait for the lock up to ``wait_s``; False (and carry on) when it did not come."""
        spin_until = time.perf_counter() + SPIN_S
        while True:  # a turn is short: a writer already running takes the next one at once
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.perf_counter() > spin_until:
                    break
                os.sched_yield()
        waiter = _Waiter(fd)
        waiter.start()
        got = waiter.done.wait(self.wait_s)
        if got:
            waiter.join()  # its duplicate closed: the lock is held by ``fd`` alone
        else:
            waiter.abandon()
        return got


class _Waiter(threading.Thread):
    """Blocks in flock on a duplicate of ``fd`` (same open file, same lock).

    Gives the lock back if the caller stopped waiting before it came.
    """

    def __init__(self, fd: int) -> None:
        super().__init__(daemon=True)
        self.fd = os.dup(fd)  # the caller may close its descriptor while this one waits
        self.done = threading.Event()
        self._abandoned = threading.Event()

    def run(self) -> None:
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX)
            if self._abandoned.is_set():
                fcntl.flock(self.fd, fcntl.LOCK_UN)
            else:
                self.done.set()  # the lock stays held through the caller's descriptor
        finally:
            os.close(self.fd)

    def abandon(self) -> None:
        self._abandoned.set()

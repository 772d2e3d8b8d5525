"""Writers of one SQLite file take turns through an advisory lock beside it.

SQLite lets one writer in at a time; the others retry with sleeps that grow
to 100 ms, so with many more writers than cores a waiter can sleep through
free moments again and again until its busy timeout ends in "database is
locked". Here writers first wait on a kernel file lock (``flock``), which
wakes waiters the moment it is released; SQLite's own lock then is almost
always free. The queue only orders writers: if the lock file cannot be
used, or the wait passes half the busy timeout, the write goes on and
SQLite's busy timeout decides as before.

Only one writer waits for the turn itself, the next in line; it keeps trying
for a few milliseconds, so it takes the turn the moment it is free. The
others sleep on a second lock (who is next) and are not woken at every
handover: fifty waiters that all tried for the turn took the cores from the
writer holding it, and each handover woke sleepers that then found the turn
taken. The writer that takes the turn lets the next in line wake while it
writes, so that wake-up costs the turn nothing.
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
        self.next_path = database.with_name(f".{database.name}-next-writer")
        self.wait_s = wait_s
        self._threads = threading.Lock()  # threads of one process queue here first

    @contextmanager
    def turn(self) -> Iterator[None]:
        if fcntl is None or not self._threads.acquire(timeout=self.wait_s):
            yield
            return
        try:
            with _opened(self.next_path) as next_fd, _opened(self.path) as fd:
                if next_fd is None or fd is None:
                    yield
                    return
                deadline = time.perf_counter() + self.wait_s
                if _lock(next_fd, spin_s=0.0, wait_s=self.wait_s):  # next in line
                    _lock(fd, spin_s=SPIN_S, wait_s=deadline - time.perf_counter())
                    fcntl.flock(next_fd, fcntl.LOCK_UN)  # the one after may wake meanwhile
                yield
        finally:
            self._threads.release()


@contextmanager
def _opened(path: Path) -> Iterator[int | None]:
    """A descriptor of the lock file ``path`` (None where it cannot be made: a read-only
    directory has no queue, SQLite alone decides); closing it releases its lock."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o660)
    except OSError:
        yield None
        return
    try:
        yield fd
    finally:
        os.close(fd)


def _lock(fd: int, *, spin_s: float, wait_s: float) -> bool:
    """Take the lock of ``fd``, trying for ``spin_s`` (yielding the core) before sleeping
    until it is free, up to ``wait_s`` in all; False (and carry on) when it did not come."""
    spin_until = time.perf_counter() + spin_s
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.perf_counter() > spin_until:
                break
            os.sched_yield()
    if wait_s <= 0:
        return False
    waiter = _Waiter(fd)
    waiter.start()
    got = waiter.done.wait(wait_s)
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

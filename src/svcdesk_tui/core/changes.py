"""Has the store changed? A cheap question a desk asks every tick instead of re-reading.

The version is the store's change count (:mod:`svcdesk_tui.core.change_count`),
which every svcdesk commit that changed what a screen shows moves, in this
process or another, and a heartbeat does not.

SQLite: ``PRAGMA user_version`` on one long-lived read-only connection of the
watcher's own. The watcher also notices the file being renamed or removed,
which a connection already open would not.

PostgreSQL: the count of ``NOTIFY`` signals heard on a connection of the
watcher's own that LISTENs (a new connection starts a new count: a spare
re-read, never a missed change). Without psycopg 3, the server's WAL insert
position, which moves with every write (heartbeats too).

A version is an opaque value: equal versions mean nothing was committed in between.

:meth:`ChangeWatcher.follow` asks that question from a thread of the watcher's
own and calls back only when the answer moves (or the store stops answering),
so an idle desk's event loop never starts a worker just to learn that nothing
happened.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Hashable
from pathlib import Path

from sqlalchemy import Connection, Engine, text
from sqlalchemy import exc as sa_exc

from svcdesk_tui.core.change_count import CHANNEL
from svcdesk_tui.core.errors import DatabaseError

Version = Hashable


class ChangeWatcher:
    """Tells the store's version; thread-safe, one connection held for the watcher's life."""

    def __init__(self, engine: Engine, where: str) -> None:
        self._engine = engine
        self._where = where
        self._lock = threading.Lock()
        self._sqlite: sqlite3.Connection | None = None
        self._server: Connection | None = None
        self._file: tuple[int, int] | None = None  # (device, inode) the connection opened
        self._opened = 0  # connections opened so far: a new one's count starts anew
        self._heard = 0  # PostgreSQL: NOTIFY signals heard on the current connection
        self._followers: set[Callable[[], None]] = set()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def _path(self) -> Path | None:
        if self._engine.dialect.name != "sqlite" or not self._engine.url.database:
            return None
        return Path(self._engine.url.database)

    def version(self) -> Version:
        """The store's version now, or :class:`DatabaseError` if the store cannot be reached."""
        with self._lock:
            path = self._path
            try:
                if path is not None:
                    return self._sqlite_version(path)
                return self._server_version()
            except (sqlite3.Error, sa_exc.SQLAlchemyError, OSError) as error:
                self._drop()
                raise DatabaseError(f"{self._where} is unavailable: {error}") from None

    def _sqlite_version(self, path: Path) -> Version:
        status = os.stat(path)  # a missing file fails here, before anything is opened
        identity = (status.st_dev, status.st_ino)
        if self._sqlite is None or identity != self._file:
            self._drop()
            # read-only and never created: a missing file is an error, not a new empty store
            self._sqlite = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
            )
            self._file, self._opened = identity, self._opened + 1
        (count,) = self._sqlite.execute("PRAGMA user_version").fetchone()
        return (self._opened, count)

    def _server_version(self) -> Version:
        if self._server is None:
            self._server = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            self._server.exec_driver_sql(f"LISTEN {CHANNEL}")
            self._opened, self._heard = self._opened + 1, 0
        notifies = getattr(self._server.connection.driver_connection, "notifies", None)
        if notifies is None:  # not psycopg 3: the WAL position, which heartbeats move too
            return self._server.execute(text("SELECT pg_current_wal_insert_lsn()::text")).scalar()
        self._heard += sum(1 for _ in notifies(timeout=0))
        return (self._opened, self._heard)

    def _drop(self) -> None:
        if self._sqlite is not None:
            self._sqlite.close()
        if self._server is not None:
            self._server.close()
        self._sqlite, self._server, self._file = None, None, None

    def follow(self, on_change: Callable[[], None], *, every: float) -> Callable[[], None]:
        """Call ``on_change`` whenever the version moves or cannot be told; returns the unfollow.

        One thread per watcher asks every ``every`` seconds (the first follower's
        pace) and calls every follower from that thread: a follower must only
        pass the news on (e.g. post a message), never wait.
        """
        with self._lock:
            self._followers.add(on_change)
            if self._thread is None:
                self._stop.clear()
                self._thread = threading.Thread(
                    target=self._watch, args=(every,), name="store-changes", daemon=True
                )
                self._thread.start()
        return lambda: self._unfollow(on_change)

    def _unfollow(self, on_change: Callable[[], None]) -> None:
        # Without the lock: a screen unfollows on the event loop as it closes, and a
        # question stuck in the store holds the lock. One discard is atomic, and the
        # watcher copies the followers before it calls them.
        self._followers.discard(on_change)

    def _watch(self, every: float) -> None:
        last: Version | None = None
        while not self._stop.wait(every):
            try:
                version = self.version()
            except DatabaseError:
                version = None  # unavailable: followers read, fail, and say so
            if version != last or version is None:
                last = version
                with self._lock:
                    followers = list(self._followers)
                for on_change in followers:
                    on_change()

    def close(self) -> None:
        """Stop watching and close the connection, waiting a second at most.

        Called on the app's event loop as it exits: a question stuck in the store
        (a server that stopped answering) must not hold the exit up, so then the
        thread, a daemon, is left to end with the process.
        """
        self._stop.set()
        if not self._lock.acquire(timeout=1.0):
            return
        try:
            self._drop()
            self._followers.clear()
            thread, self._thread = self._thread, None
        finally:
            self._lock.release()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=1.0)

"""Opening and creating the store: one engine factory for a file path or a URL.

SQLite is shared by many processes (a supervisor's TUI, agents over SSH, cron,
an importer), so every connection runs in WAL mode with foreign keys on and a
busy timeout, and write transactions start with ``BEGIN IMMEDIATE`` so two
writers queue politely instead of failing on a lock upgrade.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_path
from sqlalchemy import Connection, Engine, create_engine, event, inspect, select, text
from sqlalchemy import exc as sa_exc
from sqlmodel import Session, SQLModel

from svcdesk_tui import models  # noqa: F401  (registers every table on the metadata)
from svcdesk_tui.core import intervals  # noqa: F401  (counts every call the ORM writes)
from svcdesk_tui.core.change_count import count_changes
from svcdesk_tui.core.clock import SystemClock
from svcdesk_tui.core.db_server import server_engine, shown
from svcdesk_tui.core.errors import DatabaseError, PermissionDenied
from svcdesk_tui.core.writer_queue import WriterQueue
from svcdesk_tui.models import AuditEntry, SchemaInfo

SCHEMA_VERSION = 1  # the format of the schema_info marker itself; it stays 1
# Schema changes are migrations (svcdesk_tui/migrations, applied by `svcdesk db upgrade`).
BASELINE_REVISION = "0001"  # the schema of stores made before migrations recorded one
SCHEMA_REVISION = "0006"  # the newest migration: the revision this svcdesk reads and writes
# PostgreSQL writers take turns, as SQLite's do: a claim now also adds to its queue's
# interval row and a completion recounts the customer's calls, so two writers would
# otherwise lock rows in opposite orders (a deadlock) or starve on the same hot row. A
# write is a few milliseconds; the lock ends with the transaction.
_WRITERS_TAKE_TURNS = text("SELECT pg_advisory_xact_lock(7321)")
REVISION_TABLE = "alembic_version"
DEFAULT_BUSY_TIMEOUT_S = 10.0
ENV_VAR = "SVCDESK_DB"


def default_location() -> Path:
    """The per-user data file used when neither --db nor SVCDESK_DB is given."""
    return user_data_path("svcdesk", appauthor=False) / "svcdesk.db"


def resolve_target(target: str | os.PathLike[str] | None) -> str:
    """--db if given, else $SVCDESK_DB, else the per-user data file."""
    if target:
        return os.fspath(target)
    return os.environ.get(ENV_VAR) or str(default_location())


def is_url(target: str) -> bool:
    return "://" in target


def _sqlite_engine(path: Path, busy_timeout_s: float) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": busy_timeout_s},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # transactions are begun below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return count_changes(engine)


def _writer_queue(engine: Engine, busy_timeout_s: float) -> WriterQueue | None:
    """A SQLite file's writers queue fairly for half the busy timeout, then SQLite decides."""
    if engine.dialect.name != "sqlite" or not engine.url.database:
        return None
    return WriterQueue(Path(engine.url.database), busy_timeout_s / 2)


def not_a_store(where: str) -> DatabaseError:
    return DatabaseError(f"{where} is not a svcdesk database (create one with `svcdesk db init`)")


def describe_error(error: Exception, where: str) -> DatabaseError:
    text = " ".join(str(getattr(error, "orig", error)).split())  # one line, whatever the driver
    if "locked" in text or "busy" in text or "lock timeout" in text:
        return DatabaseError(f"{where} is busy: another process held it too long ({text})")
    if "not a database" in text or "malformed" in text:
        return DatabaseError(f"{where} is not a readable svcdesk database ({text})")
    if "no such table" in text or ("relation" in text and "does not exist" in text):
        return not_a_store(where)
    if "database" in text and "does not exist" in text:
        return DatabaseError(
            f"{where}: the database does not exist on the server; create it (createdb), "
            "then `svcdesk db init`"
        )
    return DatabaseError(f"{where}: {text}")


@dataclass
class Database:
    """An open store: the engine plus short read and write sessions."""

    engine: Engine
    where: str
    info: SchemaInfo
    writers: WriterQueue | None = None  # SQLite files: writers take turns fairly

    @property
    def name(self) -> str:
        """The store as messages name it: its path, or its URL without the password."""
        return self.where if self.is_sqlite else shown(self.where)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def demo(self) -> bool:
        return self.info.demo

    @classmethod
    def open(
        cls,
        target: str | os.PathLike[str] | None = None,
        *,
        busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S,
    ) -> Database:
        """Open an existing svcdesk store, or raise :class:`DatabaseError` in words."""
        where = resolve_target(target)
        engine = engine_for(where, busy_timeout_s, must_exist=True)
        try:
            with Session(engine) as session:
                info = session.exec(select(SchemaInfo)).scalars().first()  # type: ignore[call-overload]
                revision = recorded_revision(session.connection())
        except sa_exc.SQLAlchemyError as error:
            engine.dispose()
            raise describe_error(error, shown(where)) from None
        if info is None:
            engine.dispose()
            raise DatabaseError(
                f"{shown(where)} is not a svcdesk database (its schema marker is empty)"
            )
        if info.version != SCHEMA_VERSION:
            engine.dispose()
            raise DatabaseError(
                f"{shown(where)} has schema version {info.version}, but this svcdesk reads version "
                f"{SCHEMA_VERSION}; open it with the svcdesk release that wrote it"
            )
        if revision != SCHEMA_REVISION:
            engine.dispose()
            raise DatabaseError(
                f"{shown(where)} is at schema revision {revision}, but this svcdesk needs "
                f"{SCHEMA_REVISION}: back it up, then run `svcdesk db upgrade` (a store written "
                "by a newer svcdesk needs that release)"
            )
        return cls(engine, where, info, _writer_queue(engine, busy_timeout_s))

    @classmethod
    def create(
        cls,
        target: str | os.PathLike[str] | None = None,
        *,
        demo: bool = False,
        center_name: str = "Service center",
        busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S,
    ) -> Database:
        """Create the schema in a new store (an existing svcdesk store is refused)."""
        where = resolve_target(target)
        if not is_url(where):
            path = Path(where)
            if path.exists() and path.stat().st_size > 0:
                raise DatabaseError(f"{where} already exists; choose another path or remove it")
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = engine_for(where, busy_timeout_s, must_exist=False)
        try:
            if inspect(engine).has_table(SchemaInfo.__tablename__):
                engine.dispose()
                raise DatabaseError(f"{shown(where)} already holds a svcdesk store; choose another")
            from svcdesk_tui.core.migrate import build_schema  # Alembic only when a store is made

            with engine.begin() as connection:
                build_schema(connection)
            info = SchemaInfo(
                version=SCHEMA_VERSION,
                demo=demo,
                center_name=center_name,
                created_at=SystemClock().now(),
            )
            with Session(engine, expire_on_commit=False) as session:
                session.add(info)
                session.commit()
        except sa_exc.SQLAlchemyError as error:
            engine.dispose()
            raise describe_error(error, shown(where)) from None
        return cls(engine, where, info, _writer_queue(engine, busy_timeout_s))

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A short read-only session (a consistent snapshot on SQLite WAL)."""
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                yield session
        except sa_exc.OperationalError as error:
            raise describe_error(error, self.name) from None
        except PermissionDenied as refusal:
            self._record_refusal(refusal)
            raise

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A short write transaction, committed on success and rolled back on error.

        A refusal that carries an audit row (``ActionRefused``) is recorded in a
        transaction of its own after the refused one is rolled back.
        """
        turn = self.writers.turn() if self.writers else nullcontext()
        try:
            with turn, Session(self.engine, expire_on_commit=False) as session:
                connection = session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
                if connection.dialect.name == "postgresql":
                    connection.execute(_WRITERS_TAKE_TURNS)
                yield session
                session.commit()
        except sa_exc.OperationalError as error:
            raise describe_error(error, self.name) from None
        except PermissionDenied as refusal:
            self._record_refusal(refusal)
            raise

    def _record_refusal(self, refusal: PermissionDenied) -> None:
        make_entry = getattr(refusal, "audit_entry", None)
        if make_entry is None:
            return
        entry: AuditEntry = make_entry(SystemClock().now())
        try:
            with Session(self.engine) as session:
                session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
                session.add(entry)
                session.commit()
        except sa_exc.OperationalError:
            pass  # a read-only or busy store: the refusal itself still reaches the person

    def size_bytes(self) -> int:
        """How much room the store takes: the file, or the PostgreSQL database."""
        if self.is_sqlite:
            return Path(self.engine.url.database or "").stat().st_size
        with self.engine.connect() as connection:
            return connection.exec_driver_sql(
                "SELECT pg_database_size(current_database())"
            ).scalar_one()

    def destroy(self) -> None:
        """Remove a store that was never finished: the file, or every table in the database."""
        if self.is_sqlite:
            self.engine.dispose()
            remove_sqlite_files(Path(self.engine.url.database or ""))
            return
        SQLModel.metadata.drop_all(self.engine)
        with self.engine.begin() as connection:
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {REVISION_TABLE}")
            connection.exec_driver_sql("DROP FUNCTION IF EXISTS audit_entry_append_only()")
        self.engine.dispose()

    def close(self) -> None:
        self.engine.dispose()


def remove_sqlite_files(path: Path) -> None:
    """Delete a SQLite store with its write-ahead log and shared-memory files."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def recorded_revision(connection: Connection) -> str:
    """The store's schema revision; stores made before migrations hold the baseline."""
    if not inspect(connection).has_table(REVISION_TABLE):
        return BASELINE_REVISION
    recorded = connection.execute(text(f"SELECT version_num FROM {REVISION_TABLE}")).scalar()
    return recorded or BASELINE_REVISION


def engine_for(where: str, busy_timeout_s: float, *, must_exist: bool) -> Engine:
    if is_url(where):
        if where.startswith("sqlite:///"):
            return engine_for(
                where.removeprefix("sqlite:///"), busy_timeout_s, must_exist=must_exist
            )
        return count_changes(server_engine(where, busy_timeout_s))
    path = Path(where).expanduser()
    if must_exist:
        if not path.exists():
            raise DatabaseError(
                f"no database at {path} (create one with `svcdesk db init --db {path}` "
                f"or try the demo: `svcdesk demo-data --out {path}`)"
            )
        if path.is_dir():
            raise DatabaseError(f"{path} is a directory, not a svcdesk database")
        if not os.access(path, os.R_OK):
            raise DatabaseError(f"cannot read {path}: permission denied")
    return _sqlite_engine(path, busy_timeout_s)

"""Where a test keeps its store: a SQLite file, or a PostgreSQL database in the second pass.

The suite runs twice. With ``SVCDESK_TEST_POSTGRES`` unset, every store is a
SQLite file in the test's temporary folder. With it set to the URL of a
PostgreSQL database whose user may create databases, for example::

    SVCDESK_TEST_POSTGRES=postgresql+psycopg://svcdesk:svcdesk@127.0.0.1/postgres pytest

every store is a fresh database on that server, and a copy of a store is a
``CREATE DATABASE … TEMPLATE`` of it. Tests about SQLite files themselves
(locks, permissions, corrupt files) carry ``sqlite_only``, and checks of the
demo's rows written in SQLite's SQL carry ``same_rows_on_postgres``; both say so
when skipped.
"""

from __future__ import annotations

import itertools
import os
import shutil
import time
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, create_engine, make_url, text
from sqlalchemy.exc import DBAPIError, OperationalError

SERVER_URL = os.environ.get("SVCDESK_TEST_POSTGRES", "")
ON_POSTGRES = bool(SERVER_URL)
PREFIX = f"svcdesk_test_{os.getpid()}_"

sqlite_only = pytest.mark.skipif(
    ON_POSTGRES, reason="about SQLite files themselves; the PostgreSQL pass has no such file"
)

same_rows_on_postgres = pytest.mark.skipif(
    ON_POSTGRES,
    reason="reads the demo with SQLite's SQL; test_demo_postgres.py shows PostgreSQL's rows match",
)

_numbers = itertools.count(1)
_server: Engine | None = None


def new_store(folder: Path) -> str:
    """Where a new, empty store goes: a new file in ``folder``, or a new database's URL."""
    if not ON_POSTGRES:
        return str(folder / f"store-{next(_numbers)}.db")
    return _create_database()


def copy_store(source: str | os.PathLike[str], folder: Path) -> str:
    """A copy of a closed store that a test may change freely."""
    if not ON_POSTGRES:
        folder.mkdir(parents=True, exist_ok=True)
        copy = folder / f"store-{next(_numbers)}.db"
        shutil.copyfile(source, copy)
        return str(copy)
    return _create_database(template=make_url(str(source)).database)


def drop_test_databases() -> None:
    """Drop every database this test run created (called once, at the end).

    Not on a server that is thrown away after the run (``SVCDESK_TEST_POSTGRES_KEEP``
    set, as CI does): PostgreSQL forces a checkpoint for each DROP DATABASE, and
    for the ~800 databases of a run that is minutes of nothing.
    """
    if _server is None:
        return
    if os.environ.get("SVCDESK_TEST_POSTGRES_KEEP"):
        _server.dispose()
        return
    with _server.connect() as connection:
        names = connection.execute(
            text("SELECT datname FROM pg_database WHERE datname LIKE :prefix"),
            {"prefix": PREFIX + "%"},
        ).scalars()
        left = [name for name in list(names) if not _dropped(connection, name)]
    _server.dispose()
    if left:
        print(f"\nsvcdesk tests: could not drop {len(left)} test databases: {', '.join(left)}")


def _dropped(connection: Connection, name: str) -> bool:
    """Drop one test database; a session the login may not end (autovacuum) gets a retry."""
    for _ in range(20):
        try:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            return True
        except DBAPIError:
            time.sleep(0.1)
    return False


def _create_database(template: str | None = None) -> str:
    name = f"{PREFIX}{next(_numbers)}"
    with _server_engine().connect() as connection:
        if template is None:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        else:
            _copy_database(connection, template, name)
    return make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)


def _copy_database(connection: Connection, template: str, name: str) -> None:
    """CREATE DATABASE … TEMPLATE, which needs the template to have no other session.

    The tests' own sessions on the template are ended first (only those: the
    test login may not end the server's own processes); a session that is
    still leaving, or autovacuum passing by, makes the copy wait and try again.
    """
    for attempt in range(50):
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :template AND pid <> pg_backend_pid() "
                "AND usename = current_user AND backend_type = 'client backend'"
            ),
            {"template": template},
        )
        try:
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
            return
        except OperationalError as error:
            if "is being accessed by other users" not in str(error) or attempt == 49:
                raise
            time.sleep(0.1)


def _server_engine() -> Engine:
    global _server
    if _server is None:
        _server = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    return _server

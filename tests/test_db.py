"""Opening the store: clear errors for every way a file can be wrong."""

from __future__ import annotations

import sqlite3
import time

import pytest
from sqlalchemy import make_url, text

from svcdesk_tui.core.db import SCHEMA_VERSION, Database
from svcdesk_tui.core.errors import DatabaseError
from svcdesk_tui.models import AuditEntry

from .conftest import MORNING
from .stores import ON_POSTGRES, SERVER_URL, new_store, sqlite_only


@sqlite_only
def test_missing_file_says_how_to_create_one(tmp_path):
    with pytest.raises(DatabaseError, match=r"no database at .*svcdesk db init"):
        Database.open(tmp_path / "nope.db")
    assert not (tmp_path / "nope.db").exists()


@sqlite_only
def test_garbage_file_is_not_a_database(tmp_path):
    path = tmp_path / "garbage.db"
    path.write_bytes(b"this is not sqlite at all, just some text" * 100)
    with pytest.raises(DatabaseError, match="not a readable svcdesk database"):
        Database.open(path)


@sqlite_only
def test_foreign_sqlite_file_is_not_a_svcdesk_database(tmp_path):
    path = tmp_path / "other.db"
    sqlite3.connect(path).execute("create table t (x)").connection.commit()
    with pytest.raises(DatabaseError, match="not a svcdesk database"):
        Database.open(path)


@sqlite_only
def test_other_schema_version_is_refused_in_words(tmp_path):
    path = tmp_path / "old.db"
    Database.create(path).close()
    with sqlite3.connect(path) as raw:
        raw.execute("update schema_info set version = ?", (SCHEMA_VERSION + 1,))
    with pytest.raises(DatabaseError, match=f"schema version {SCHEMA_VERSION + 1}"):
        Database.open(path)


@sqlite_only
def test_unreadable_file(tmp_path):
    path = tmp_path / "locked.db"
    Database.create(path).close()
    path.chmod(0)
    try:
        import os

        if os.access(path, os.R_OK):  # root reads anything
            pytest.skip("running as root: file permissions do not apply")
        with pytest.raises(DatabaseError, match="permission denied"):
            Database.open(path)
    finally:
        path.chmod(0o600)


@sqlite_only
def test_create_refuses_an_existing_store(tmp_path):
    path = tmp_path / "c.db"
    Database.create(path).close()
    with pytest.raises(DatabaseError, match="already exists"):
        Database.create(path)


@sqlite_only
def test_connections_use_wal_foreign_keys_and_busy_timeout(tmp_path):
    db = Database.create(tmp_path / "c.db")
    with db.read() as session:
        pragmas = {
            name: session.execute(text(f"PRAGMA {name}")).scalar_one()
            for name in ("journal_mode", "foreign_keys", "busy_timeout")
        }
    assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 10000}


def test_demo_flag_and_version_are_recorded(tmp_path):
    where = new_store(tmp_path)
    Database.create(where, demo=True).close()
    db = Database.open(where)
    assert db.demo and db.info.version == SCHEMA_VERSION


def test_audit_trail_is_append_only(tmp_path):
    db = Database.create(new_store(tmp_path))
    with db.write() as session:
        session.add(AuditEntry(at=MORNING, actor_login="x", action="t", entity="e"))
    for statement in ("update audit_entry set action = 'changed'", "delete from audit_entry"):
        with pytest.raises(Exception, match="append-only"), db.write() as session:
            session.execute(text(statement))
    with db.read() as session:
        assert session.execute(text("select action from audit_entry")).scalar_one() == "t"


def test_a_writer_that_does_not_let_go_is_an_error_in_words_after_the_busy_timeout(tmp_path):
    """On a server as on a file: nobody waits for ever for the writers' turn."""
    where = new_store(tmp_path)
    Database.create(where).close()
    holder, waiter = Database.open(where), Database.open(where, busy_timeout_s=0.5)
    started = time.monotonic()
    with holder.write() as held:
        held.add(AuditEntry(at=MORNING, actor_login="x", action="held", entity="e"))
        held.flush()
        with pytest.raises(DatabaseError, match="is busy"), waiter.write() as session:
            session.add(AuditEntry(at=MORNING, actor_login="y", action="waited", entity="e"))
    assert time.monotonic() - started < 5
    with waiter.read() as session:
        assert session.execute(text("select action from audit_entry")).scalars().all() == ["held"]
    holder.close()
    waiter.close()


def test_failed_write_leaves_nothing_half_written(tmp_path):
    db = Database.create(new_store(tmp_path))
    with pytest.raises(RuntimeError), db.write() as session:
        session.add(AuditEntry(at=MORNING, actor_login="x", action="t", entity="e"))
        session.flush()
        raise RuntimeError("boom")
    with db.read() as session:
        assert session.execute(text("select count(*) from audit_entry")).scalar_one() == 0


on_postgres_only = pytest.mark.skipif(
    not ON_POSTGRES, reason="needs a PostgreSQL server (set SVCDESK_TEST_POSTGRES)"
)


@on_postgres_only
@pytest.mark.parametrize(
    ("database", "port", "words"),
    [
        ("svcdesk_no_such_database", None, "the database does not exist on the server"),
        (None, 1, "Connection refused"),
    ],
    ids=["missing-database", "no-server"],
)
def test_a_server_store_that_cannot_be_reached_is_one_line_without_the_password(
    database, port, words
):
    url = make_url(SERVER_URL)
    url = url.set(database=database) if database else url.set(port=port)
    with pytest.raises(DatabaseError) as refused:
        Database.open(url.render_as_string(hide_password=False))
    message = str(refused.value)
    assert words in message and "\n" not in message
    assert f":{url.password}@" not in message and ":***@" in message


@on_postgres_only
def test_a_server_urls_own_options_are_kept_beside_the_busy_timeout(tmp_path):
    where = new_store(tmp_path)
    Database.create(where).close()
    db = Database.open(f"{where}?options=-c%20statement_timeout%3D12345", busy_timeout_s=3)
    with db.read() as session:
        shown = [session.execute(text(f"SHOW {name}")).scalar_one() for name in TIMEOUTS]
    assert shown == ["12345ms", "3s"]
    db.close()


TIMEOUTS = ("statement_timeout", "lock_timeout")


@on_postgres_only
def test_a_server_database_without_a_store_says_how_to_make_one(tmp_path):
    with pytest.raises(DatabaseError, match=r"not a svcdesk database .*svcdesk db init"):
        Database.open(new_store(tmp_path))


@on_postgres_only
def test_create_refuses_a_server_database_that_holds_a_store(tmp_path):
    where = new_store(tmp_path)
    Database.create(where).close()
    with pytest.raises(DatabaseError, match="already holds a svcdesk store"):
        Database.create(where)


@on_postgres_only
def test_server_sums_and_averages_come_back_as_sqlite_gives_them(tmp_path):
    """Whole sums are int and averages float on both databases, never Decimal."""
    db = Database.create(new_store(tmp_path))
    with db.read() as session:
        total, mean = session.execute(
            text("SELECT sum(x), avg(x) FROM (VALUES (1), (2), (4)) AS t(x)")
        ).one()
    assert (total, type(total)) == (7, int)
    assert isinstance(mean, float) and abs(mean - 7 / 3) < 1e-9

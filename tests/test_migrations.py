"""Schema migrations: a new store is the models' schema, old stores are upgraded in words.

Runs on whichever database the pass uses (SQLite files, or PostgreSQL).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel
from typer.testing import CliRunner

from svcdesk_tui.cli import app
from svcdesk_tui.core.db import BASELINE_REVISION, SCHEMA_REVISION, Database, is_url
from svcdesk_tui.core.errors import DatabaseError
from svcdesk_tui.core.migrate import head, scripts

from .stores import new_store

runner = CliRunner()


def svcdesk(*args: str):
    return runner.invoke(app, list(args))


def run_sql(where: str, statement: str) -> None:
    db = Database.open(where)
    try:
        with db.write() as session:
            session.execute(text(statement))
    finally:
        db.close()


def test_the_desk_reads_the_newest_migration():
    assert head() == SCHEMA_REVISION
    assert scripts().get_revision(BASELINE_REVISION).down_revision is None


def test_a_new_store_has_exactly_the_schema_of_the_models(tmp_path):
    db = Database.create(new_store(tmp_path))
    try:
        with db.engine.connect() as connection:
            differences = compare_metadata(
                MigrationContext.configure(connection), SQLModel.metadata
            )
            recorded = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    finally:
        db.close()
    assert differences == []
    assert recorded == [(SCHEMA_REVISION,)]


def test_a_store_from_before_migrations_opens_and_upgrade_records_its_revision(tmp_path):
    where = new_store(tmp_path)
    Database.create(where).close()
    for table in (  # the baseline schema: 0003 adds monitoring's tables and the recording
        "evaluation_answer", "evaluation", "monitoring_sample", "monitoring_item",
        "monitoring_form",
    ):  # fmt: skip
        run_sql(where, f"DROP TABLE {table}")
    run_sql(where, "ALTER TABLE call DROP COLUMN recording_path")
    run_sql(where, "DROP INDEX ix_escalation_waiting")  # the baseline schema: 0002 adds it
    for statement in (  # and 0004 the interval statistics and the calls' FCR facts
        "DROP TABLE interval_stat",
        "DROP TABLE handled_day_stat",
        "DROP TABLE interval_staffing",
        "ALTER TABLE call DROP COLUMN next_same_reason_at",
        "ALTER TABLE call DROP COLUMN prev_handled_at",
    ):
        run_sql(where, statement)
    run_sql(where, "DROP TABLE exceptional_day")  # and 0005 this one
    run_sql(where, "DROP TABLE alembic_version")  # as in stores made before migrations
    with pytest.raises(DatabaseError, match=r"schema revision 0001.*svcdesk db upgrade"):
        Database.open(where)  # the baseline is a revision like any other older one

    result = svcdesk("db", "upgrade", "--db", where)

    assert result.exit_code == 0, result.output
    assert f"from schema revision {BASELINE_REVISION} to {SCHEMA_REVISION}" in result.stdout
    db = Database.open(where)
    with db.read() as session:
        assert session.execute(text("SELECT version_num FROM alembic_version")).all() == [
            (SCHEMA_REVISION,)
        ]
    db.close()


def test_a_store_from_a_newer_release_is_refused_in_words(tmp_path):
    where = new_store(tmp_path)
    Database.create(where).close()
    run_sql(where, "UPDATE alembic_version SET version_num = '9999'")

    with pytest.raises(DatabaseError, match=r"schema revision 9999.*svcdesk db upgrade"):
        Database.open(where)
    upgraded = svcdesk("db", "upgrade", "--db", where)
    assert upgraded.exit_code == 1
    assert upgraded.stderr.count("\n") == 1 and "written by a newer release" in upgraded.stderr
    info = svcdesk("db", "info", "--db", where)
    assert info.exit_code == 1 and "svcdesk db upgrade" in info.stderr


def test_upgrade_of_something_that_is_not_a_store_says_so(tmp_path):
    where = new_store(tmp_path)
    if not is_url(where):
        Path(where).write_bytes(b"")  # an empty file: SQLite reads it as an empty database
    result = svcdesk("db", "upgrade", "--db", where)
    assert result.exit_code == 1 and "not a svcdesk database" in result.stderr


def test_db_info_names_the_revision(tmp_path):
    where = new_store(tmp_path)
    Database.create(where).close()
    result = svcdesk("db", "info", "--db", where)
    assert result.exit_code == 0 and f"schema revision {SCHEMA_REVISION}" in result.stdout


def test_the_waiting_calls_index_holds_only_waiting_calls(tmp_path):
    """The live queue's index is partial on both databases (the model says so for SQLite)."""
    db = Database.create(new_store(tmp_path))
    try:
        with db.read() as session:
            if db.is_sqlite:
                sql = "SELECT sql FROM sqlite_master WHERE name = 'ix_call_waiting'"
            else:
                sql = "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_call_waiting'"
            definition = session.execute(text(sql)).scalar_one()
    finally:
        db.close()
    assert "WHERE" in definition.upper() and "waiting" in definition

"""The demo generator on PostgreSQL: the same arguments give the same center as on SQLite."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import SQLModel
from typer.testing import CliRunner

from svcdesk_tui.cli import app
from svcdesk_tui.core.db import Database
from svcdesk_tui.core.errors import DatabaseError
from svcdesk_tui.demo import generate_demo
from svcdesk_tui.models import Customer

from .sql import rows
from .stores import ON_POSTGRES, new_store

pytestmark = pytest.mark.skipif(
    not ON_POSTGRES, reason="needs a PostgreSQL server (set SVCDESK_TEST_POSTGRES)"
)
END = datetime(2026, 1, 7, 10, 30, tzinfo=UTC)


def _key(table) -> str:
    """The table's primary key columns (one row each, in the same order on both)."""
    return ", ".join(f'"{column.name}"' for column in table.primary_key.columns)


def table_rows(where: str) -> dict[str, list[tuple]]:
    db = Database.open(where)
    try:
        return {
            table.name: [
                tuple(round(v, 6) if isinstance(v, float) else v for v in row)
                for row in rows(db, f'SELECT * FROM "{table.name}" ORDER BY {_key(table)}')
            ]
            for table in SQLModel.metadata.sorted_tables
        }
    finally:
        db.close()


def test_the_same_center_on_both_databases(tmp_path: Path) -> None:
    on_file = generate_demo(tmp_path / "demo.db", days=3, agents=6, seed=5, end=END, waiting=4)
    on_server = generate_demo(new_store(tmp_path), days=3, agents=6, seed=5, end=END, waiting=4)
    assert on_server.calls == on_file.calls > 0 and on_server.size_bytes > 0
    expected, got = table_rows(on_file.where), table_rows(on_server.where)
    for name, wanted in expected.items():
        assert got[name] == wanted, f"table {name} differs"


def test_the_server_database_takes_new_rows_after_the_generator(tmp_path: Path) -> None:
    """The generator assigns ids itself; every id sequence must have moved past them."""
    summary = generate_demo(new_store(tmp_path), days=1, agents=4, end=END)
    db = Database.open(summary.where)
    try:
        highest = dict(rows(db, "SELECT 'customer', max(id) FROM customer"))["customer"]
        with db.write() as session:
            added = Customer(name="New customer", phone="+31200000999")
            session.add(added)
            session.flush()
            assert added.id == highest + 1
    finally:
        db.close()


def test_an_existing_server_store_is_never_overwritten(tmp_path: Path) -> None:
    where = new_store(tmp_path)
    generate_demo(where, days=1, agents=4, end=END)
    with pytest.raises(DatabaseError, match="already holds a svcdesk store"):
        generate_demo(where, days=1, agents=4, end=END)


def test_the_whole_report_is_the_same_on_both_databases(tmp_path: Path) -> None:
    """Every section and measure, in JSON: PostgreSQL must give SQLite's numbers."""
    args = {"days": 10, "agents": 6, "seed": 9, "end": END, "waiting": 3}
    stores = [
        generate_demo(tmp_path / "demo.db", **args),
        generate_demo(new_store(tmp_path), **args),
    ]
    reports = []
    for summary in stores:
        result = CliRunner().invoke(
            app,
            ["report", "--db", summary.where, "--period", "week", "--as-of", END.isoformat(),
             "--format", "json"],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        reports.append(json.loads(result.stdout))
    on_file, on_server = reports
    assert on_file["measures"]["offered"] > 0
    assert on_server == on_file

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from svcdesk_tui.core.clock import FrozenClock

from .builders import Center
from .stores import ON_POSTGRES, SERVER_URL, drop_test_databases, new_store

# Monday 5 January 2026, 10:00 UTC: a working morning.
MORNING = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(MORNING)


@pytest.fixture
def center(tmp_path: Path, clock: FrozenClock) -> Center:
    built = Center.create(new_store(tmp_path), clock)
    yield built
    built.db.close()


def pytest_report_header() -> str:
    if ON_POSTGRES:
        return f"svcdesk stores: PostgreSQL databases on {SERVER_URL.rsplit('@', 1)[-1]}"
    return "svcdesk stores: SQLite files (set SVCDESK_TEST_POSTGRES for the PostgreSQL pass)"


def pytest_sessionfinish() -> None:
    drop_test_databases()

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from svcdesk_tui.clock import FrozenClock

from .builders import Center

# Monday 5 January 2026, 10:00 UTC: a working morning.
MORNING = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(MORNING)


@pytest.fixture
def center(tmp_path: Path, clock: FrozenClock) -> Center:
    built = Center.create(tmp_path / "center.db", clock)
    yield built
    built.db.close()

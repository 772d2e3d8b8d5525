"""The one "now" of svcdesk.

Everything that needs the current time asks a :class:`Clock`, so tests can
freeze or advance time and the demo can replay it. Times are aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """Wall-clock time, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC).replace(microsecond=0)


@dataclass
class FrozenClock:
    """A clock that only moves when told to (tests, replays)."""

    at: datetime = field(default_factory=lambda: datetime(2026, 1, 5, 10, 0, tzinfo=UTC))

    def now(self) -> datetime:
        return self.at

    def advance(self, seconds: float = 0, **delta: float) -> datetime:
        self.at = self.at + timedelta(seconds=seconds, **delta)
        return self.at


def to_epoch(moment: datetime) -> int:
    """Whole seconds since 1970 for an aware datetime (naive means UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)

"""What every part of the generator shares: the seed, the clock and the ids."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TIMEZONE = "Europe/Amsterdam"


@dataclass
class World:
    """The demo's frame: its "now", its days, its random streams and the ids written so far."""

    end: datetime
    days: int
    agents: int
    seed: int
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo(TIMEZONE))
    queue_ids: dict[str, int] = field(default_factory=dict)
    reason_ids: dict[str, int] = field(default_factory=dict)
    product_ids: list[int] = field(default_factory=list)

    @property
    def end_s(self) -> int:
        return int(self.end.timestamp())

    @property
    def today(self) -> date:
        """The local calendar day of ``end``."""
        return self.end.astimezone(self.tz).date()

    @property
    def first_day(self) -> date:
        return self.today - timedelta(days=self.days)

    def history_days(self) -> list[date]:
        """Every simulated day: ``days`` full days, then today up to ``end``."""
        return [self.first_day + timedelta(days=i) for i in range(self.days + 1)]

    def rng(self, stream: str) -> random.Random:
        """An independent, reproducible random stream per part of the generator."""
        return random.Random(f"svcdesk-demo:{self.seed}:{stream}")

    def local_epoch(self, day: date, hour: int, minute: int = 0) -> int:
        """Epoch seconds of a local wall-clock time on ``day``."""
        return int(datetime.combine(day, time(hour, minute), self.tz).timestamp())

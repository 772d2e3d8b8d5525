"""The shape of the demo center's traffic: when calls come, what about, how long they take.

One description shared by the demo generator (which writes months of history)
and the live simulator (which feeds calls into a running center), so both
look like the same center. Hours are local to the center. Staffing it (Erlang C)
is :mod:`svcdesk_tui.queue.erlang`, which the load report uses too.
"""

from __future__ import annotations

import math
import random
from bisect import bisect
from dataclasses import dataclass
from itertools import accumulate

OPEN_HOUR = 7
CLOSE_HOUR = 21
CALLS_PER_AGENT_DAY = 16.0
"""Offered calls per agent per calendar day, on average over the week."""
PATIENCE_LIMIT_S = 30 * 60
"""Nobody holds on longer than this: the longest wait a caller accepts."""

# Share of a day's calls per local hour (sums to 1): a mid-morning peak, a dip
# at lunch, a second peak early in the afternoon, a quiet evening.
HOURLY_SHARE: dict[int, float] = {
    7: 0.035,
    8: 0.070,
    9: 0.095,
    10: 0.105,
    11: 0.100,
    12: 0.075,
    13: 0.085,
    14: 0.095,
    15: 0.090,
    16: 0.080,
    17: 0.060,
    18: 0.045,
    19: 0.038,
    20: 0.027,
}

_RAW_WEEKDAY = (1.30, 1.15, 1.10, 1.08, 1.02, 0.45, 0.15)  # Monday .. Sunday
WEEKDAY_FACTOR: tuple[float, ...] = tuple(f * 7 / sum(_RAW_WEEKDAY) for f in _RAW_WEEKDAY)
"""Volume of each weekday relative to the mean day (the mean is 1)."""


@dataclass(frozen=True)
class QueueProfile:
    """A queue of the demo center and its service-level target."""

    name: str
    sl_threshold_seconds: int
    sl_target: float
    description: str
    short_abandon_seconds: int = 5


QUEUES: tuple[QueueProfile, ...] = (
    QueueProfile("Support", 20, 0.80, "General questions: how to use, delivery, other"),
    QueueProfile("Billing", 30, 0.90, "Invoices, payments, refunds"),
    QueueProfile("Technical", 60, 0.70, "Faults and outages; routes to experts and dispatch"),
    QueueProfile("Sales", 15, 0.80, "New contracts, upgrades, cancellations"),
)

# Contact reasons (the seeded codes) and their share of calls. "how_to_use" is
# a large share on purpose: the manual is broken, and the reports must show it.
REASON_SHARE: dict[str, float] = {
    "how_to_use": 0.38,
    "fault": 0.15,
    "billing": 0.13,
    "delivery": 0.08,
    "contract": 0.08,
    "cancel": 0.04,
    "complaint": 0.06,
    "other": 0.08,
}

# Which queue a caller with this reason picks in the menu.
REASON_QUEUES: dict[str, tuple[tuple[str, float], ...]] = {
    "how_to_use": (("Support", 0.8), ("Technical", 0.2)),
    "fault": (("Technical", 0.85), ("Support", 0.15)),
    "billing": (("Billing", 0.9), ("Support", 0.1)),
    "delivery": (("Support", 0.7), ("Sales", 0.3)),
    "contract": (("Sales", 0.7), ("Billing", 0.3)),
    "cancel": (("Sales", 0.9), ("Support", 0.1)),
    "complaint": (("Support", 0.6), ("Billing", 0.2), ("Technical", 0.2)),
    "other": (("Support", 1.0),),
}

# Median talk seconds per reason; talk times are lognormal around it.
TALK_MEDIAN_SECONDS: dict[str, float] = {
    "how_to_use": 260,
    "fault": 360,
    "billing": 210,
    "delivery": 150,
    "contract": 280,
    "cancel": 300,
    "complaint": 420,
    "other": 170,
}

# Share of calls about this reason that the agent resolves on the call.
RESOLVE_RATE: dict[str, float] = {
    "how_to_use": 0.86,
    "fault": 0.62,
    "billing": 0.82,
    "delivery": 0.88,
    "contract": 0.85,
    "cancel": 0.80,
    "complaint": 0.55,
    "other": 0.90,
}


class Picker:
    """Weighted choice from fixed options with one random draw (cumulative weights)."""

    def __init__(self, options: dict[str, float] | tuple[tuple[str, float], ...]) -> None:
        pairs = list(options.items()) if isinstance(options, dict) else list(options)
        self.values = [value for value, _ in pairs]
        self.cumulative = list(accumulate(weight for _, weight in pairs))

    def pick(self, rng: random.Random) -> str:
        return self.values[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


REASON_PICKER = Picker(REASON_SHARE)
QUEUE_PICKERS: dict[str, Picker] = {code: Picker(q) for code, q in REASON_QUEUES.items()}


def reasons_for_queue(queue_name: str) -> Picker:
    """The mix of reasons among calls that arrive in ``queue_name`` (all reasons if unknown)."""
    weights = {
        code: share * dict(REASON_QUEUES[code]).get(queue_name, 0.0)
        for code, share in REASON_SHARE.items()
    }
    weights = {code: w for code, w in weights.items() if w > 0}
    return Picker(weights or REASON_SHARE)


NIGHT_LINE_SHARE = min(HOURLY_SHARE.values())
"""A center that never closes keeps its quietest open hour's share through the night."""


def calls_per_hour(
    agents: int, weekday: int, local_hour: int, *, night_line: bool = False
) -> float:
    """Expected offered calls in one local hour for a center of ``agents`` agents.

    Outside opening hours nobody calls, unless the center keeps a ``night_line``
    (a demo that must look alive at any hour).
    """
    daily = CALLS_PER_AGENT_DAY * agents * WEEKDAY_FACTOR[weekday]
    return daily * HOURLY_SHARE.get(local_hour, NIGHT_LINE_SHARE if night_line else 0.0)


def sample_talk(rng: random.Random, reason: str, pace: float = 1.0) -> int:
    """Talk seconds: lognormal around the reason's median, times the agent's pace."""
    median = TALK_MEDIAN_SECONDS.get(reason, 300) * pace
    return max(20, int(median * math.exp(rng.gauss(0.0, 0.55))))


def sample_wrap(rng: random.Random, pace: float = 1.0) -> int:
    """Wrap-up seconds: typing the notes, a minute or so."""
    return max(5, int(50 * pace * math.exp(rng.gauss(0.0, 0.6))))


def sample_patience(rng: random.Random) -> int:
    """How long a caller holds before hanging up; a few hang up within seconds.

    Never more than :data:`PATIENCE_LIMIT_S`.
    """
    if rng.random() < 0.04:
        return rng.randint(1, 5)
    return min(PATIENCE_LIMIT_S, max(6, int(130 * math.exp(rng.gauss(0.0, 0.85)))))

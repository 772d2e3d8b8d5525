"""Erlang C: the service level a number of agents gives, and the agents a target needs.

Used by the load report (agents each hour needed, docs/measures.md, Service level)
and by the demo's planner when it sizes shifts.
"""

from __future__ import annotations

import math

PLANNING_AHT_SECONDS = 370.0
"""Mean talk + wrap-up the planner assumes when sizing shifts."""


def service_level(agents: int, traffic: float, threshold_s: float, aht_s: float) -> float:
    """Erlang C: share of calls answered within ``threshold_s`` with ``agents`` on the phone."""
    if agents <= traffic:
        return 0.0
    erlang_b = 1.0
    for k in range(1, agents + 1):
        erlang_b = traffic * erlang_b / (k + traffic * erlang_b)
    erlang_c = agents * erlang_b / (agents - traffic * (1 - erlang_b))
    return 1.0 - erlang_c * math.exp(-(agents - traffic) * threshold_s / aht_s)


def agents_needed(
    calls_in_hour: float,
    *,
    aht_s: float = PLANNING_AHT_SECONDS,
    threshold_s: float = 20,
    target: float = 0.8,
) -> int:
    """Fewest agents on the phone that meet ``target`` within ``threshold_s`` (Erlang C)."""
    if calls_in_hour <= 0:
        return 0
    traffic = calls_in_hour * aht_s / 3600
    agents = max(1, math.ceil(traffic))
    while service_level(agents, traffic, threshold_s, aht_s) < target:
        agents += 1
    return agents

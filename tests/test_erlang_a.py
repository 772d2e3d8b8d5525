"""Erlang A against published values and exact identities, and against a simulation.

No table of Erlang A values could be checked here, so the model is pinned three ways:

- with callers who never hang up it is Erlang C, whose values are published
  (Erlang C tables for 10 Erlangs, as in test_load_erlang.py: probability of
  waiting 0.6821, 0.4494, 0.2853, 0.1741 with 11 … 14 agents; 80/20 needs 14);
- with patience equal to the handle time (θ = μ) Palm's queue behaves as an
  infinite-server queue: the number of callers is Poisson with mean λ/μ
  (Mandelbaum & Zeltyn, "The Palm/Erlang-A queue, with applications to call
  centers", 2007, section on θ = μ), so the abandons are θ·E[(N − n)⁺]/λ;
- a seeded event-by-event simulation of M/M/n+M agrees within its noise.
"""

from __future__ import annotations

import heapq
import math
import random

import pytest

from svcdesk_tui.planning.erlang_a import agents_needed, erlang_a, needs, patience_seconds
from svcdesk_tui.queue.erlang import agents_needed as erlang_c_needed


@pytest.mark.parametrize(
    ("agents", "waiting"), [(11, 0.6821), (12, 0.4494), (13, 0.2853), (14, 0.1741)]
)
def test_with_endless_patience_it_is_the_published_erlang_c(agents, waiting):
    figures = erlang_a(agents, 200, 180, 1e9, 20)  # 10 Erlangs
    assert figures.waiting == pytest.approx(waiting, abs=5e-4)
    assert figures.abandon == pytest.approx(0, abs=1e-6)


def test_with_endless_patience_the_textbook_example_needs_14_agents():
    assert agents_needed(200, aht_s=180, patience_s=1e9, threshold_s=20, target=0.8) == 14
    assert erlang_a(13, 200, 180, 1e9, 20).service_level == pytest.approx(0.7956, abs=5e-4)


@pytest.mark.parametrize("agents", [3, 8, 12])
def test_with_patience_equal_to_handle_time_callers_are_poisson(agents):
    calls_per_hour, aht = 200, 180  # 10 Erlangs
    traffic = calls_per_hour * aht / 3600
    excess = sum(
        (k - agents) * math.exp(-traffic + k * math.log(traffic) - math.lgamma(k + 1))
        for k in range(agents + 1, 200)
    )
    figures = erlang_a(agents, calls_per_hour, aht, aht, 20)
    assert figures.abandon == pytest.approx(excess / traffic, rel=1e-6)


def _simulate(agents: int, lam: float, mu: float, theta: float, t: float, n: int, seed: int):
    """Answered within t ÷ callers, and abandons ÷ callers, of n simulated callers."""
    rng = random.Random(seed)
    free_at: list[float] = [0.0] * agents  # when each agent is next free (FCFS queue)
    heapq.heapify(free_at)
    now = 0.0
    within = lost = 0
    waiting: list[tuple[float, float]] = []  # (arrival, gives up at) of callers in line
    for _ in range(n):
        now += rng.expovariate(lam)
        give_up = now + rng.expovariate(theta)
        # agents pick up callers in line until now
        while waiting and free_at[0] <= now:
            arrival, limit = waiting.pop(0)
            start = max(free_at[0], arrival)
            if start > limit:
                lost += 1
                continue
            heapq.heapreplace(free_at, start + rng.expovariate(mu))
            within += start - arrival <= t
        if not waiting and free_at[0] <= now:
            heapq.heapreplace(free_at, now + rng.expovariate(mu))
            within += 1
        else:
            waiting.append((now, give_up))
    return within / n, lost / n


def test_a_simulation_of_impatient_callers_agrees():
    # 30 calls in 15 minutes (120 an hour), AHT 5 min, patience 2 min, 9 agents
    figures = erlang_a(9, 120, 300, 120, 20)
    within, lost = _simulate(9, 120 / 3600, 1 / 300, 1 / 120, 20, 60_000, seed=5)
    assert figures.service_level == pytest.approx(within, abs=0.02)
    assert figures.abandon == pytest.approx(lost, abs=0.01)


def test_impatient_callers_need_no_more_agents_than_erlang_c():
    for calls in (20, 60, 200, 600):
        a = agents_needed(calls, aht_s=300, patience_s=90, threshold_s=20, target=0.8)
        assert a <= erlang_c_needed(calls, aht_s=300, threshold_s=20, target=0.8)
        assert erlang_a(a, calls, 300, 90, 20).service_level >= 0.8
        assert erlang_a(a - 1, calls, 300, 90, 20).service_level < 0.8


def test_patience_is_the_time_waited_per_abandon():
    assert patience_seconds(3000, 20) == 150
    assert patience_seconds(3000, 0) > 86400  # no abandons: as patient as Erlang C


def _fewest(calls_per_hour: float, aht: float, patience: float, threshold: float, target: float):
    """The fewest agents meeting the target, by trying every count from the traffic's floor."""
    agents = max(1, math.floor(calls_per_hour * aht / 3600 * 0.7))
    while erlang_a(agents, calls_per_hour, aht, patience, threshold).service_level < target:
        agents += 1
    return agents


@pytest.mark.parametrize(
    ("aht", "patience", "threshold", "target"),
    [(340, 330, 20, 0.8), (450, 300, 60, 0.7), (180, 1e9, 20, 0.8), (300, 90, 15, 0.9)],
)
def test_the_needs_of_many_rates_are_each_rates_own_fewest(aht, patience, threshold, target):
    rng = random.Random(int(aht))
    rates = [round(rng.uniform(0, 600), 1) for _ in range(150)] + [0.0, 12.5, 12.5, 480.0]
    found = needs(rates, aht_s=aht, patience_s=patience, threshold_s=threshold, target=target)
    assert set(found) == set(rates)
    for rate in rates:
        assert found[rate] == (_fewest(rate, aht, patience, threshold, target) if rate else 0)

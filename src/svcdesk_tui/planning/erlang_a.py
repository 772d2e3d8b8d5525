"""Erlang A (M/M/n+M, Palm's queue with impatient callers): service level and agents needed.

Callers arrive at rate λ, are served at rate μ = 1/AHT by ``n`` agents, and
each waiting caller hangs up at rate θ = 1/patience. The number of callers in
the system is a birth–death chain (birth λ; death kμ for k ≤ n, nμ + (k−n)θ
above), solved here by its balance equations. A caller who arrives to find
``j`` waiting ahead (PASTA: arrivals see the chain's steady state) is answered
only after ``j + 1`` moves of the queue's head, each at rate nμ + iθ with ``i``
still ahead, and only if they outlast each move: answered within ``t`` is

    Π (r_i / (r_i + θ)) · P(Σ Exp(r_i + θ) ≤ t),   r_i = nμ + iθ, i = j … 0,

the sum's distribution taken by uniformisation. With θ → 0 this is Erlang C
(:mod:`svcdesk_tui.queue.erlang`).

Patience is estimated from the queue's own history as the time all callers
waited (answered and abandoned) ÷ the abandons: the maximum-likelihood estimate
of an exponential patience that answered calls cut short.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from svcdesk_tui.core import rates
from svcdesk_tui.queue.erlang import service_level as erlang_c_service_level

TAIL = 1e-10
"""The chain is cut where the rest of its probability is below this."""
MAX_LINE = 200
"""Callers an overloaded queue's line settles at, past which it is taken as never answered
in time (the line alone would take hours to clear)."""
NO_PATIENCE_S = 10 * 86400.0
"""Patience used when a queue never had an abandon: Erlang C for every practical purpose."""


@dataclass(frozen=True)
class ErlangA:
    """What ``agents`` give for the traffic: answered within the threshold, abandons, waiting."""

    agents: int
    service_level: float
    """Callers answered within the threshold ÷ all callers."""
    abandon: float
    """Callers who hang up before an answer ÷ all callers."""
    waiting: float
    """Callers who find every agent busy ÷ all callers."""
    occupancy: float
    """Talk and wrap-up ÷ agents' time: answered traffic per agent."""


def _states(agents: int, traffic: float, patience_ratio: float) -> list[float]:
    """Stationary probabilities of 0, 1, … callers (traffic = λ/μ, patience_ratio = θ/μ)."""
    weights = [1.0]
    norm = 1.0  # the weights' running sum, added in their order (as sum() would)
    k = 0
    while True:
        k += 1
        death = min(k, agents) + max(k - agents, 0) * patience_ratio
        nxt = weights[-1] * traffic / death
        weights.append(nxt)
        norm += nxt
        if k > agents and nxt < TAIL * norm:
            break
    return [w / norm for w in weights]


def _answered_within(agents: int, mu: float, theta: float, t: float, ahead: int) -> list[float]:
    """For j = 0 … ahead callers waiting ahead: P(answered within t, before hanging up)."""
    base = agents * mu
    exits = [base + (i + 1) * theta for i in range(ahead + 1)]  # rate of leaving stage i
    forward = [(base + i * theta) / exits[i] for i in range(ahead + 1)]
    reach = [1.0] * (ahead + 1)  # Π forward over stages j … 0
    for j in range(ahead + 1):
        reach[j] = forward[j] * (reach[j - 1] if j else 1.0)
    if t <= 0:
        return [0.0] * (ahead + 1)
    top = exits[-1] * t  # uniformisation: Poisson(top) steps of a chain that moves at rate exits
    steps = int(top + 10 * math.sqrt(top) + 10)
    # done[j]: P(all stages passed within m steps), from stage j. Passing j + 1 stages takes
    # j + 1 steps at least, so after m steps only the first m can be above zero: the rest
    # stay exactly 0.0 and are not worked out (nor added to ``within``).
    done: list[float] = []
    weight = math.exp(-top)
    within = [0.0] * (ahead + 1)
    moves = [e / exits[-1] for e in exits]  # a step leaves stage j with this chance
    stays = [1 - move for move in moves]
    stages = ahead + 1
    for m in range(1, steps + 1):
        if len(done) < stages:
            done.append(0.0)
        done = [  # stage j passed: moved on from the stage before it, or passed already
            move * before + stay * now
            for move, stay, before, now in zip(moves, stays, [1.0, *done[:-1]], done, strict=False)
        ]
        weight *= top / m
        live = len(done)
        within[:live] = [w + weight * d for w, d in zip(within, done, strict=False)]
    return [r * w for r, w in zip(reach, within, strict=True)]


@lru_cache(maxsize=65536)
def erlang_a(
    agents: int, calls_per_hour: float, aht_s: float, patience_s: float, threshold_s: float
) -> ErlangA:
    """Erlang A's figures for ``agents`` on the phone."""
    if calls_per_hour <= 0:
        return ErlangA(agents, 1.0, 0.0, 0.0, 0.0)
    if agents <= 0:
        return ErlangA(0, 0.0, 1.0, 1.0, 0.0)
    lam, mu, theta = calls_per_hour / 3600, 1 / aht_s, 1 / patience_s
    traffic = lam / mu
    if agents <= traffic and (traffic - agents + 1) * patience_s / aht_s > MAX_LINE:
        # overloaded and hardly anyone hangs up: the line only grows (Erlang C's unstable case)
        return ErlangA(agents, 0.0, 1 - agents / traffic, 1.0, 1.0)
    pi = _states(agents, lam / mu, theta / mu)
    queued = pi[agents:]
    within = _answered_within(agents, mu, theta, threshold_s, len(queued) - 1)
    answered_within = sum(pi[:agents]) + sum(p * w for p, w in zip(queued, within, strict=True))
    mean_queue = sum(j * p for j, p in enumerate(queued))
    abandon = theta * mean_queue / lam
    busy = sum(min(k, agents) * p for k, p in enumerate(pi))
    return ErlangA(agents, answered_within, abandon, sum(queued), busy / agents)


def agents_needed(
    calls_per_hour: float, *, aht_s: float, patience_s: float, threshold_s: float, target: float
) -> int:
    """Fewest agents on the phone for which Erlang A meets ``target`` within ``threshold_s``."""
    needed = needs(
        [calls_per_hour], aht_s=aht_s, patience_s=patience_s, threshold_s=threshold_s, target=target
    )
    return needed[calls_per_hour]


def needs(
    rates: Iterable[float], *, aht_s: float, patience_s: float, threshold_s: float, target: float
) -> dict[float, int]:
    """:func:`agents_needed` for each of ``rates`` (calls per hour) of one queue.

    The rates are taken from the lowest up, each search starting where the one before it
    ended: more calls never need fewer agents, so the answer is found with one evaluation
    of Erlang A for most rates (a day's intervals share a handful of answers), instead of
    climbing from the bottom for each.
    """
    found: dict[float, int] = {}
    agents = 1
    for rate in sorted(set(rates)):
        if rate <= 0:
            found[rate] = 0
            continue
        traffic = rate * aht_s / 3600
        # Erlang A never needs more than Erlang C: climb from low (the lowest start that
        # can meet the target is a little under the traffic, as abandons lift the service
        # level), and never below the rate before's answer
        agents = max(agents, 1, math.floor(traffic * 0.7))
        while erlang_a(agents, round(rate, 2), aht_s, patience_s, threshold_s).service_level < (
            target
        ):
            agents += 1
        found[rate] = agents
    return found


def erlang_c_figures(
    agents: int, calls_per_hour: float, aht_s: float, threshold_s: float
) -> tuple[float, float]:
    """Erlang C's service level and occupancy for ``agents`` (the shared Erlang C)."""
    traffic = calls_per_hour * aht_s / 3600
    if calls_per_hour <= 0:
        return 1.0, 0.0
    return erlang_c_service_level(agents, traffic, threshold_s, aht_s), min(
        1.0, traffic / agents if agents else 1.0
    )


def patience_seconds(waited_seconds: float, abandons: int) -> float:
    """Mean patience: all the time callers waited ÷ the abandons (no abandons: very patient)."""
    estimate = rates.share(waited_seconds, abandons)
    return NO_PATIENCE_S if estimate is None else max(1.0, estimate)

"""The ratios the measures document defines, each written once; every figure that shows one
calls these.

Each takes the counts a measure is made of and returns None when its base is
empty (no calls, no answers), so "no data" never reads as 0 %.
"""

from __future__ import annotations

from dataclasses import dataclass


def share(part: float, whole: float) -> float | None:
    """``part ÷ whole``, or None when there is no whole."""
    return part / whole if whole else None


def service_level(within_threshold: int, answered: int, abandoned: int) -> float | None:
    """docs/measures.md, Service level: answered within T ÷ (answered + counted abandons)."""
    return share(within_threshold, answered + abandoned)


def asa_seconds(wait_seconds: float, answered: int) -> float | None:
    """docs/measures.md, ASA: mean wait of answered calls."""
    return share(wait_seconds, answered)


def aht_seconds(handle_seconds: float, handled: int) -> float | None:
    """docs/measures.md, AHT: mean talk + wrap-up of handled (completed) calls."""
    return share(handle_seconds, handled)


def abandon_rate(abandoned: int, offered: int, short_abandons: int) -> float | None:
    """docs/measures.md, Abandon rate: abandoned (not short) ÷ offered (not short)."""
    return share(abandoned, offered - short_abandons)


def fcr(resolved: int, base: int) -> float | None:
    """docs/measures.md, FCR: handled calls with no repeat in the window ÷ judged calls."""
    return share(resolved, base)


def csat(satisfied: int, responses: int) -> float | None:
    """docs/measures.md, CSAT/NPS: responses of 4 or 5 ÷ all CSAT responses."""
    return share(satisfied, responses)


def nps(promoters: int, detractors: int, responses: int) -> float | None:
    """docs/measures.md, CSAT/NPS: % promoters − % detractors, from −100 to 100."""
    return share(100 * (promoters - detractors), responses)


@dataclass(frozen=True, kw_only=True)
class HandledCounts:
    """Handled (completed) calls and their talk + wrap-up time, and so AHT; a base of the rows
    of measures that count them (keyword-only: it adds its fields after the row's own)."""

    handled: int = 0
    handle_seconds: int = 0

    @property
    def aht_seconds(self) -> float | None:
        return aht_seconds(self.handle_seconds, self.handled)


@dataclass(frozen=True, kw_only=True)
class FcrCounts:
    """Handled calls judged for a repeat and those without one, and so FCR."""

    fcr_base: int = 0
    fcr_resolved: int = 0

    @property
    def fcr(self) -> float | None:
        return fcr(self.fcr_resolved, self.fcr_base)


@dataclass(frozen=True, kw_only=True)
class CsatCounts:
    """CSAT answers and those of 4 or 5, and so CSAT."""

    csat_responses: int = 0
    csat_satisfied: int = 0

    @property
    def csat(self) -> float | None:
        return csat(self.csat_satisfied, self.csat_responses)


def quality_score(earned: float, weight: float) -> float | None:
    """docs/measures.md, Quality score: weight earned ÷ weight of the items that applied."""
    return share(earned, weight)

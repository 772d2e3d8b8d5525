"""Bus factor and truck factor: how few people the center can lose on a day."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from svcdesk_tui.caribbean.team import Team


@dataclass(frozen=True)
class BusFactor:
    """The fewest people whose joint absence leaves a critical function with nobody.

    A set of people uncovers a function exactly when it contains all of the
    function's holders, so the smallest such set is the holders of the function
    with the fewest: the search is exact and needs no enumeration.
    """

    size: int | None  # None when the center has no critical procedure nor approval
    functions: tuple[str, ...]  # every critical function that falls with that many
    people: tuple[tuple[str, ...], ...]  # who, per function (same order)


@dataclass(frozen=True)
class TruckFactor:
    """People removed one by one, the one covering most remaining critical procedures
    first, until at least half of the critical procedures have nobody at U/O."""

    size: int | None  # None when there is no critical procedure
    people: tuple[str, ...]
    critical_procedures: int
    uncovered_after: int


def _critical_functions(team: Team, day: date) -> dict[str, set[int]]:
    active = team.active(day)
    functions = {p.name: team.holders(p.id) & active for p in team.procedures if p.critical}
    for kind, holders in team.authorities.items():
        functions[f"approval: {kind}"] = holders & active
    return functions


def bus_factor(team: Team, day: date) -> BusFactor:
    """Who, structurally (absences aside), the center cannot lose on ``day``."""
    functions = _critical_functions(team, day)
    if not functions:
        return BusFactor(None, (), ())
    size = min(len(holders) for holders in functions.values())
    weakest = sorted(name for name, holders in functions.items() if len(holders) == size)
    return BusFactor(size, tuple(weakest), tuple(tuple(team.names(functions[n])) for n in weakest))


def truck_factor(team: Team, day: date) -> TruckFactor:
    """The truck-factor measure of software teams, applied to critical procedures."""
    active = team.active(day)
    covered = {p.name: team.holders(p.id) & active for p in team.procedures if p.critical}
    total = len(covered)
    if not total:
        return TruckFactor(None, (), 0, 0)
    removed: list[int] = []
    half = math.ceil(total / 2)

    def uncovered() -> int:
        return sum(not holders for holders in covered.values())

    while uncovered() < half:
        load: dict[int, int] = {}
        for holders in covered.values():
            for person in holders:
                load[person] = load.get(person, 0) + 1
        top = min(load, key=lambda s: (-load[s], team.people[s].name))
        removed.append(top)
        for holders in covered.values():
            holders.discard(top)
    return TruckFactor(
        len(removed), tuple(team.people[s].name for s in removed), total, uncovered()
    )

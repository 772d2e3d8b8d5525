"""What if: the gaps on each day of a range when some people are away, on top of the
absences already in the calendar."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from svcdesk_tui.caribbean.coverage import required_depth
from svcdesk_tui.caribbean.team import Team
from svcdesk_tui.core.settings import CenterSettings


@dataclass(frozen=True)
class Gap:
    """A procedure or approval below its required depth on one day."""

    kind: str  # "procedure" or "approval"
    name: str
    critical: bool
    depth: int
    required: int
    from_away: bool  # the what-if people cause it, or deepen it, beyond the calendar alone

    @property
    def uncovered(self) -> bool:
        return self.depth == 0


@dataclass(frozen=True)
class GapDay:
    day: date
    absent: tuple[str, ...]  # everyone away that day, the what-if people included
    gaps: tuple[Gap, ...]

    def uncovered(self, kind: str) -> tuple[str, ...]:
        """Critical procedures (or approvals) nobody can do (or give) that day."""
        return tuple(g.name for g in self.gaps if g.kind == kind and g.critical and g.uncovered)


@dataclass(frozen=True)
class WhatIf:
    away: tuple[str, ...]  # logins
    away_names: tuple[str, ...]
    since: date
    until: date
    days: tuple[GapDay, ...]
    critical_uncovered: tuple[str, ...]  # critical procedures with nobody on some day
    days_critical_uncovered: int
    approvals_uncovered: tuple[str, ...]  # approvals nobody can give on some day
    days_approvals_uncovered: int
    summary: str


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _gaps(
    team: Team, present: set[int], holders: dict[int, set[int]], settings: CenterSettings
) -> list[Gap]:
    """What is below its required depth when only ``present`` can work (worst first)."""
    gaps = []
    for procedure in team.procedures:
        depth, need = len(holders[procedure.id] & present), required_depth(procedure, settings)
        if depth < need:
            gaps.append(Gap("procedure", procedure.name, procedure.critical, depth, need, False))
    need = settings.approval_min_holders
    for kind in sorted(team.authorities):
        depth = len(team.authorities[kind] & present)
        if depth < need:
            gaps.append(Gap("approval", kind, True, depth, need, False))
    return sorted(gaps, key=lambda g: (not g.uncovered, not g.critical, g.kind != "procedure"))


def what_if(
    team: Team,
    away: frozenset[int],
    since: date,
    until: date,
    settings: CenterSettings,
) -> WhatIf:
    """The gaps of each day of [since, until] with ``away`` absent on top of the calendar."""
    days: list[GapDay] = []
    holders = {p.id: team.holders(p.id) for p in team.procedures}
    day = since
    while day <= until:
        active, calendar = team.active(day), team.absent(day)
        present = active - set(calendar)
        before = {(g.kind, g.name): g.depth for g in _gaps(team, present, holders, settings)}
        gaps = tuple(
            replace(g, from_away=g.depth < before.get((g.kind, g.name), g.required))
            for g in _gaps(team, present - away, holders, settings)
        )
        absent = set(calendar) | (away & active)
        days.append(GapDay(day, tuple(team.names(absent)), gaps))
        day += timedelta(days=1)
    procedures = sorted({n for d in days for n in d.uncovered("procedure")})
    procedure_days = sum(bool(d.uncovered("procedure")) for d in days)
    approvals = sorted({n for d in days for n in d.uncovered("approval")})
    approval_days = sum(bool(d.uncovered("approval")) for d in days)
    names = tuple(team.names(away))
    length = _plural((until - since).days + 1, "day")
    verb = "is" if len(names) == 1 else "are"
    who = (
        f"If {' and '.join(names)} {verb} away {length}"
        if names
        else f"With the absences in the calendar, {length} from {since}"
    )
    summary = (
        f"{who}: {_plural(len(procedures), 'critical procedure')} uncovered on "
        f"{_plural(procedure_days, 'day')}"
    )
    if approvals:
        summary += (
            f"; nobody can give {_plural(len(approvals), 'approval')} on "
            f"{_plural(approval_days, 'day')}"
        )
    return WhatIf(
        away=tuple(sorted(team.people[i].login for i in away)),
        away_names=names,
        since=since,
        until=until,
        days=tuple(days),
        critical_uncovered=tuple(procedures),
        days_critical_uncovered=procedure_days,
        approvals_uncovered=tuple(approvals),
        days_approvals_uncovered=approval_days,
        summary=summary,
    )

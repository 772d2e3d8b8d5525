"""The Caribbean test: who can do what when somebody is away.

One definition of each measure, shared by the screen, the CLI and the report:

- **coverage depth** of a procedure on a day: people active and not absent that
  day at level U or O; trainers (O) are counted apart;
- **findings**: a critical procedure below ``critical_min_depth`` or without a
  trainer, any procedure nobody (or only one person) can do alone, an
  undocumented procedure, an approval fewer than ``approval_min_holders`` can give;
- **what if**: the gaps on each day of a range when some people are away, on
  top of the absences already in the calendar;
- **bus factor**: the fewest people whose joint absence leaves a critical
  procedure or an approval with nobody; **truck factor**: people removed
  greedily (the one covering most first) until half the critical procedures
  have nobody;
- **suggestions**: who is closest to closing each finding.

The tables involved are small (tens of procedures, hundreds of people), so the
team is read once and analysed in Python.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from svcdesk_tui.core.errors import InvalidInput, NotFound
from svcdesk_tui.core.settings import CenterSettings
from svcdesk_tui.models import (
    Absence,
    ApprovalAuthority,
    Criticality,
    Procedure,
    Queue,
    Role,
    Skill,
    SkillLevel,
    Staff,
)
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, require

ALONE = frozenset({SkillLevel.U, SkillLevel.O})
BREACH, RISK, FINE = "breach", "risk", "ok"
MAX_RANGE_DAYS = 366
MAX_SUGGESTIONS = 3
_SENIOR_ROLES = (Role.MANAGER, Role.LEAD)  # who may be given an approval right


# --- the team as read from the store ------------------------------------------


@dataclass(frozen=True)
class Person:
    id: int
    login: str
    name: str
    role: str
    hired_on: date
    left_on: date | None

    def active_on(self, day: date) -> bool:
        return self.hired_on <= day and (self.left_on is None or self.left_on > day)


@dataclass(frozen=True)
class ProcedureInfo:
    id: int
    name: str
    criticality: str
    documented: bool
    doc_location: str | None = None
    area: str | None = None
    queue: str | None = None
    frequency: str | None = None
    description: str | None = None

    @property
    def critical(self) -> bool:
        return self.criticality == Criticality.CRITICAL


@dataclass(frozen=True)
class AbsenceSpan:
    staff_id: int
    kind: str
    starts_on: date
    ends_on: date

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass
class Team:
    """Everyone, every procedure, who holds what, and the absences of a range."""

    people: dict[int, Person]
    procedures: list[ProcedureInfo]
    levels: dict[int, dict[int, str]]  # procedure id -> staff id -> I/L/U/O
    authorities: dict[str, set[int]]  # approval kind -> staff ids
    absences: list[AbsenceSpan] = field(default_factory=list)

    def holders(self, procedure_id: int, levels: frozenset[str] = ALONE) -> set[int]:
        return {s for s, lv in self.levels.get(procedure_id, {}).items() if lv in levels}

    def active(self, day: date) -> set[int]:
        return {p.id for p in self.people.values() if p.active_on(day)}

    def absent(self, day: date) -> dict[int, str]:
        """Staff id -> absence kind for everyone the calendar says is away that day."""
        return {a.staff_id: a.kind for a in self.absences if a.covers(day)}

    def available(self, day: date, away: frozenset[int] = frozenset()) -> set[int]:
        return self.active(day) - set(self.absent(day)) - away

    def names(self, ids: Iterable[int]) -> list[str]:
        return sorted(self.people[i].name for i in ids)


def load_team(session: Session, since: date, until: date) -> Team:
    """Read procedures, skills, authorities, staff and the absences touching the range.

    Plain column tuples, not ORM objects: a large center has thousands of skill rows.
    """
    rows = session.execute
    people = {
        row[0]: Person(*row)
        for row in rows(
            select_columns(
                col(Staff.id),
                col(Staff.login),
                col(Staff.name),
                col(Staff.role),
                col(Staff.hired_on),
                col(Staff.left_on),
            )
        )
    }
    queues: dict[int | None, str] = {
        qid: name for qid, name in rows(select(col(Queue.id), col(Queue.name)))
    }
    procedures = [
        ProcedureInfo(
            id=p.id,  # type: ignore[arg-type]
            name=p.name,
            criticality=p.criticality,
            documented=p.documented,
            doc_location=p.doc_location,
            area=p.area,
            queue=queues.get(p.queue_id),
            frequency=p.frequency,
            description=p.description,
        )
        for p in session.exec(select(Procedure).order_by(col(Procedure.name)))
    ]
    levels: dict[int, dict[int, str]] = {}
    for staff_id, procedure_id, level in rows(
        select(col(Skill.staff_id), col(Skill.procedure_id), col(Skill.level))
    ):
        levels.setdefault(procedure_id, {})[staff_id] = level
    authorities: dict[str, set[int]] = {}
    for staff_id, kind in rows(
        select(col(ApprovalAuthority.staff_id), col(ApprovalAuthority.kind))
    ):
        authorities.setdefault(kind, set()).add(staff_id)
    absences = [
        AbsenceSpan(*row)
        for row in rows(
            select(
                col(Absence.staff_id),
                col(Absence.kind),
                col(Absence.starts_on),
                col(Absence.ends_on),
            ).where(col(Absence.ends_on) >= since, col(Absence.starts_on) <= until)
        )
    ]
    return Team(people, procedures, levels, authorities, absences)


# --- coverage and findings on one day -------------------------------------------


@dataclass(frozen=True)
class Finding:
    severity: str  # "breach" (red) or "risk" (yellow)
    reason: str  # in words


@dataclass(frozen=True)
class Coverage:
    """One procedure on one day: depth, trainers, findings and what to do."""

    procedure: ProcedureInfo
    depth: int
    trainers: int
    required: int
    doers: tuple[str, ...]
    levels: dict[str, str]  # login -> level, for everyone active holding one
    findings: tuple[Finding, ...]
    suggestions: tuple[str, ...]

    @property
    def severity(self) -> str:
        return _worst(self.findings)


@dataclass(frozen=True)
class ApprovalCoverage:
    kind: str
    depth: int
    required: int
    holders: tuple[str, ...]
    findings: tuple[Finding, ...]
    suggestions: tuple[str, ...]

    @property
    def severity(self) -> str:
        return _worst(self.findings)


def _worst(findings: tuple[Finding, ...]) -> str:
    severities = {f.severity for f in findings}
    return BREACH if BREACH in severities else RISK if severities else FINE


def required_depth(procedure: ProcedureInfo, settings: CenterSettings) -> int:
    """Critical procedures need ``critical_min_depth`` people; others at least one."""
    return settings.critical_min_depth if procedure.critical else 1


def _who(names: list[str]) -> str:
    return ", ".join(names)


def procedure_findings(
    procedure: ProcedureInfo, doers: list[str], trainers: int, settings: CenterSettings
) -> tuple[Finding, ...]:
    """What is wrong with one procedure, given who can do it alone that day."""
    depth, need = len(doers), required_depth(procedure, settings)
    found: list[Finding] = []
    if depth == 0:
        found.append(Finding(BREACH, "nobody can do it alone"))
    elif depth < need:
        found.append(
            Finding(
                BREACH, f"only {_who(doers)} can do it alone; a critical procedure needs {need}"
            )
        )
    elif depth == 1:
        found.append(Finding(RISK, f"only {doers[0]} can do it alone"))
    if procedure.critical and depth and trainers == 0:
        found.append(Finding(BREACH, "nobody can teach it (no O)"))
    if not procedure.documented:
        found.append(Finding(BREACH if procedure.critical else RISK, "not documented"))
    return tuple(found)


def procedure_suggestions(
    team: Team, procedure: ProcedureInfo, present: set[int], settings: CenterSettings
) -> list[str]:
    """Who is closest to closing the findings: an L to sign off, an O who can teach."""
    levels = {s: lv for s, lv in team.levels.get(procedure.id, {}).items() if s in present}

    def named(level: str) -> list[str]:
        return team.names([s for s, lv in levels.items() if lv == level])

    learners, trainers, doers = named(SkillLevel.L), named(SkillLevel.O), named(SkillLevel.U)
    tips = []
    if not procedure.documented:
        writer = (trainers or doers or ["whoever knows it best"])[0]
        tips.append(f"ask {writer} to write it down")
    if len(trainers) + len(doers) < max(required_depth(procedure, settings), 2):
        tips.extend(f"sign off {name} (L) to U" for name in learners)
        if not learners:
            beginners = named(SkillLevel.I)
            tips.extend(f"{name} (I) is in training" for name in beginners)
            if not beginners:
                tips.append("pick someone to train")
        if trainers:
            tips.append(f"{_who(trainers)} (O) can teach it")
    if procedure.critical and doers and not trainers:
        tips.append(f"make {doers[0]} (U) a trainer (O)")
    return tips[:MAX_SUGGESTIONS]


def coverage_on(
    team: Team, day: date, settings: CenterSettings, away: frozenset[int] = frozenset()
) -> list[Coverage]:
    """Every procedure's depth, findings and suggestions on ``day``."""
    present, active = team.available(day, away), team.active(day)
    people = team.people
    result = []
    for procedure in team.procedures:
        doers = team.names(team.holders(procedure.id) & present)
        trainers = len(team.holders(procedure.id, frozenset({SkillLevel.O})) & present)
        findings = procedure_findings(procedure, doers, trainers, settings)
        result.append(
            Coverage(
                procedure=procedure,
                depth=len(doers),
                trainers=trainers,
                required=required_depth(procedure, settings),
                doers=tuple(doers),
                levels={
                    people[s].login: lv
                    for s, lv in team.levels.get(procedure.id, {}).items()
                    if s in active
                },
                findings=findings,
                suggestions=tuple(procedure_suggestions(team, procedure, present, settings))
                if findings
                else (),
            )
        )
    return result


def approvals_on(
    team: Team, day: date, settings: CenterSettings, away: frozenset[int] = frozenset()
) -> list[ApprovalCoverage]:
    """Every approval kind: who can give it that day, and a finding when too few can."""
    present, need = team.available(day, away), settings.approval_min_holders
    seniors = sorted(
        (p for p in team.people.values() if p.id in present and p.role in _SENIOR_ROLES),
        key=lambda p: (_SENIOR_ROLES.index(Role(p.role)), p.name),
    )
    result = []
    for kind in sorted(team.authorities):
        holders = team.names(team.authorities[kind] & present)
        findings: tuple[Finding, ...] = ()
        tips: list[str] = []
        if len(holders) < need:
            reason = f"only {_who(holders)} can give it" if holders else "nobody can give it"
            if holders and need > 2:
                reason += f"; {need} needed"
            findings = (Finding(BREACH, reason),)
            tips = [
                f"grant it to {p.name} ({p.role}) too"
                for p in seniors
                if p.id not in team.authorities[kind]
            ][:MAX_SUGGESTIONS] or ["grant it to a second person"]
        result.append(
            ApprovalCoverage(kind, len(holders), need, tuple(holders), findings, tuple(tips))
        )
    return result


# --- what if ----------------------------------------------------------------------


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


# --- bus factor and truck factor ----------------------------------------------------


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


# --- the one entry point ----------------------------------------------------------


@dataclass(frozen=True)
class PersonColumn:
    login: str
    name: str
    role: str
    absent: str | None  # absence kind on the day, if away


@dataclass(frozen=True)
class CaribbeanReport:
    on: date
    people: tuple[PersonColumn, ...]
    coverage: tuple[Coverage, ...]
    approvals: tuple[ApprovalCoverage, ...]
    bus_factor: BusFactor
    truck_factor: TruckFactor
    what_if: WhatIf

    @property
    def critical_uncovered(self) -> bool:
        """True when a critical procedure or an approval has nobody on some day of the
        what-if (the CLI's exit 3 for cron)."""
        return bool(self.what_if.critical_uncovered or self.what_if.approvals_uncovered)


def default_away(session: Session, on: date) -> list[str]:
    """The default question's person: the service manager (the first active one)."""
    managers = session.exec(
        select(Staff).where(col(Staff.role) == Role.MANAGER).order_by(col(Staff.id))
    )
    return [
        m.login for m in managers if m.hired_on <= on and (m.left_on is None or m.left_on > on)
    ][:1]


def analyse(
    session: Session,
    *,
    on: date,
    settings: CenterSettings,
    away: list[str] | tuple[str, ...] | None = None,
    from_: date | None = None,
    to: date | None = None,
    actor: Actor | None = None,
) -> CaribbeanReport:
    """The whole Caribbean test on ``on``; what-if defaults to the manager away 14 days."""
    if actor is not None:
        require(actor, Action.VIEW_CARIBBEAN)
    since = from_ or on
    until = to or since + timedelta(days=settings.caribbean_days - 1)
    if until < since:
        raise InvalidInput(f"the what-if ends ({until}) before it starts ({since})")
    if (until - since).days >= MAX_RANGE_DAYS:
        raise InvalidInput(f"a what-if spans at most {MAX_RANGE_DAYS} days")
    logins = list(away) if away is not None else default_away(session, on)
    team = load_team(session, min(on, since), max(on, until))
    by_login = {p.login: p.id for p in team.people.values()}
    unknown = [login for login in logins if login not in by_login]
    if unknown:
        raise NotFound(f"no staff member {', '.join(map(repr, unknown))}")
    away_ids = frozenset(by_login[login] for login in logins)
    absent = team.absent(on)
    people = tuple(
        PersonColumn(p.login, p.name, p.role, absent.get(p.id))
        for p in sorted(team.people.values(), key=lambda p: p.name)
        if p.active_on(on)
    )
    return CaribbeanReport(
        on=on,
        people=people,
        coverage=tuple(coverage_on(team, on, settings)),
        approvals=tuple(approvals_on(team, on, settings)),
        bus_factor=bus_factor(team, on),
        truck_factor=truck_factor(team, on),
        what_if=what_if(team, away_ids, since, until, settings),
    )


def to_json(report: CaribbeanReport) -> dict[str, Any]:
    """A plain structure (str, int, bool, list, dict) for JSON and the report."""

    def plain(value: Any) -> Any:
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value

    data = plain(asdict(report))
    for row, coverage in zip(data["coverage"], report.coverage, strict=True):
        row["severity"] = coverage.severity
    for row, approval in zip(data["approvals"], report.approvals, strict=True):
        row["severity"] = approval.severity
    data["critical_uncovered"] = report.critical_uncovered
    return data


def caribbean_findings(
    session: Session,
    *,
    on: date,
    settings: CenterSettings,
    away: list[str] | tuple[str, ...] | None = None,
    from_: date | None = None,
    to: date | None = None,
    actor: Actor | None = None,
) -> dict[str, Any]:
    """The Caribbean test as JSON-friendly data (for the CLI and the management report)."""
    return to_json(
        analyse(session, on=on, settings=settings, away=away, from_=from_, to=to, actor=actor)
    )

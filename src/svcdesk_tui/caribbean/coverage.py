"""Coverage depth of each procedure and approval on one day, its findings and suggestions.

docs/measures.md, Coverage depth: people active and not absent that day at level
U or O (trainers, O, counted apart).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from svcdesk_tui.caribbean.team import ProcedureInfo, Team
from svcdesk_tui.core.settings import CenterSettings
from svcdesk_tui.models import Role, SkillLevel

BREACH, RISK, FINE = "breach", "risk", "ok"
MAX_SUGGESTIONS = 3
_SENIOR_ROLES = (Role.MANAGER, Role.LEAD)  # who may be given an approval right


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

"""The Caribbean test: who can do what when somebody is away.

One definition of each measure (docs/measures.md, Coverage depth), shared by
the screen, the CLI and the report; this module answers the whole question, the
measures live in ``team`` (what is read), ``coverage`` (depth, findings,
suggestions), ``what_if`` and ``factors`` (bus and truck factor):

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

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any, TypedDict, Unpack

from sqlmodel import Session, col, select

from svcdesk_tui.caribbean.coverage import (
    BREACH,
    FINE,
    RISK,
    ApprovalCoverage,
    Coverage,
    Finding,
    approvals_on,
    coverage_on,
)
from svcdesk_tui.caribbean.factors import BusFactor, TruckFactor, bus_factor, truck_factor
from svcdesk_tui.caribbean.team import load_team
from svcdesk_tui.caribbean.what_if import GapDay, WhatIf, what_if
from svcdesk_tui.core.errors import InvalidInput, NotFound
from svcdesk_tui.core.settings import CenterSettings
from svcdesk_tui.models import Role, Staff
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, require

__all__ = [  # the measures' names are re-exported: the screen and the CLI need only this module
    "BREACH",
    "FINE",
    "RISK",
    "ApprovalCoverage",
    "CaribbeanReport",
    "Coverage",
    "Finding",
    "GapDay",
    "PersonColumn",
    "analyse",
    "caribbean_findings",
    "default_away",
    "to_json",
]

MAX_RANGE_DAYS = 366


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
        if p.employed_on(on)
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


class Question(TypedDict, total=False):
    """What :func:`analyse` takes beyond the day and the settings, each optional."""

    away: list[str] | tuple[str, ...] | None
    from_: date | None
    to: date | None
    actor: Actor | None


def caribbean_findings(
    session: Session, *, on: date, settings: CenterSettings, **question: Unpack[Question]
) -> dict[str, Any]:
    """The Caribbean test as JSON-friendly data (for the CLI and the management report)."""
    return to_json(analyse(session, on=on, settings=settings, **question))

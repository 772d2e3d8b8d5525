"""The people of the demo center: who they are, since when, and when they are away."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from svcdesk_tui.demo import names
from svcdesk_tui.demo.store import BulkWriter
from svcdesk_tui.demo.world import World
from svcdesk_tui.models import Absence, AbsenceKind, Role, Staff
from svcdesk_tui.people.staff import StaffMember

MANAGER_NAME = "Marieke Vos"  # login "mvos", the default identity of the demo
AGENTS_PER_LEAD = 6
AGENT_LIMITS_CENTS = (2500, 3500, 5000)  # by seniority: < 1 year, < 3 years, longer
LEAD_LIMIT_CENTS = 20000
MANAGER_LIMIT_CENTS = 100000
EXECUTIVE_LIMIT_CENTS = 500000


@dataclass
class Person(StaffMember):
    """A staff member, plus how an agent works (pace, skill, contract)."""

    lead_id: int | None = None
    limit_cents: int = 0
    pace: float = 1.0
    skill: float = 0.0
    contract_days: int = 5
    prefers_early: bool = True


@dataclass
class People:
    executive: Person
    manager: Person
    admin: Person
    leads: list[Person]
    agents: list[Person]
    absences: list[tuple[int, str, date, date, str | None]] = field(default_factory=list)
    _away: dict[tuple[int, date], str] = field(default_factory=dict)

    @property
    def everyone(self) -> list[Person]:
        return [self.executive, self.manager, self.admin, *self.leads, *self.agents]

    def by_id(self) -> dict[int, Person]:
        return {p.id: p for p in self.everyone}

    def away(self, staff_id: int, day: date) -> str | None:
        """The kind of absence of ``staff_id`` on ``day``, if any."""
        return self._away.get((staff_id, day))

    def add_absence(
        self, staff_id: int, kind: str, first: date, last: date, note: str | None = None
    ) -> bool:
        """Record an absence unless it overlaps another one of the same person."""
        span = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        if any((staff_id, day) in self._away for day in span):
            return False
        self.absences.append((staff_id, kind, first, last, note))
        for day in span:
            self._away[(staff_id, day)] = kind
        return True


def _tenure_days(rng: random.Random) -> int:
    """Years of service skewed short, as in most centers (median ~2 years)."""
    return max(100, min(4200, int(730 * math.exp(rng.gauss(0.0, 0.8)))))


def _agent_limit(hired_on: date, today: date) -> int:
    years = (today - hired_on).days / 365
    return AGENT_LIMITS_CENTS[0 if years < 1 else 1 if years < 3 else 2]


def build_people(world: World) -> People:
    """Executive, service manager, admin, one lead per six agents, agents and leavers."""
    rng = world.rng("people")
    today = world.today
    taken_logins: set[str] = set()
    taken_names: set[str] = {MANAGER_NAME}
    next_id = iter(range(1, 100_000))

    def person(role: str, hired_days_ago: int, name: str | None = None, **kw: Any) -> Person:
        if name is None:
            name = names.person_name(rng)
            while name in taken_names:
                name = names.person_name(rng)
        taken_names.add(name)
        return Person(
            id=next(next_id),
            login=names.login_for(name, taken_logins),
            name=name,
            role=role,
            hired_on=today - timedelta(days=hired_days_ago),
            **kw,
        )

    executive = person(Role.EXECUTIVE, rng.randint(3000, 5000), limit_cents=EXECUTIVE_LIMIT_CENTS)
    manager = person(Role.MANAGER, 4380, MANAGER_NAME, limit_cents=MANAGER_LIMIT_CENTS)
    admin = person(Role.ADMIN, rng.randint(1500, 2500))
    leads = [
        person(Role.LEAD, rng.randint(1100, 3600), limit_cents=LEAD_LIMIT_CENTS)
        for _ in range(math.ceil(world.agents / AGENTS_PER_LEAD))
    ]
    joiners = max(1, world.agents // 12)
    agents = []
    for i in range(world.agents):
        recent = i >= world.agents - joiners
        agent = person(Role.AGENT, rng.randint(10, 60) if recent else _tenure_days(rng))
        agents.append(agent)
    for _ in range(max(2, world.agents // 7)):
        left_days_ago = rng.randint(7, 330)
        agent = person(Role.AGENT, left_days_ago + rng.randint(150, 1500))
        agent.left_on = today - timedelta(days=left_days_ago)
        agents.append(agent)
    for i, agent in enumerate(agents):
        agent.lead_id = leads[i % len(leads)].id
        agent.limit_cents = _agent_limit(agent.hired_on, agent.left_on or today)
        new = (today - agent.hired_on).days < 90
        agent.pace = math.exp(rng.gauss(0.0, 0.12)) * (1.25 if new else 1.0)
        agent.skill = rng.uniform(-0.05, 0.05) - (0.08 if new else 0.0)
        agent.contract_days = 5 if rng.random() < 0.85 else 4
        agent.prefers_early = rng.random() < 0.5
    people = People(executive, manager, admin, leads, agents)
    _plan_absences(world, people, rng)
    return people


def _plan_absences(world: World, people: People, rng: random.Random) -> None:
    """Vacations (past and upcoming), sick spells, training days, one person leaving."""
    first, today = world.first_day - timedelta(days=14), world.today
    horizon = today + timedelta(days=60)
    people.add_absence(
        people.manager.id,
        AbsenceKind.VACATION,
        today + timedelta(days=21),
        today + timedelta(days=34),
        "Two weeks in the Caribbean",
    )
    current = [a for a in people.agents if a.left_on is None]
    last = today + timedelta(days=25)
    _first_free(
        people, current, len(current) // 3, AbsenceKind.SICK, today, today, "Called in sick"
    )
    _first_free(
        people,
        current,
        len(current) // 2,
        AbsenceKind.LEAVING,
        last + timedelta(days=1),
        last + timedelta(days=365),
        f"Resigned; last working day {last.isoformat()}",
    )
    start = today + timedelta(days=3)
    _first_free(
        people, current, len(current) // 4, AbsenceKind.VACATION, start, start + timedelta(days=9)
    )
    for p in [*people.leads, *people.agents]:
        _vacations(people, p, rng, first, horizon)
        _sick_spells(people, p, rng, first, today)
        day = first + timedelta(days=rng.randint(0, 120))
        while day <= horizon:
            people.add_absence(p.id, AbsenceKind.TRAINING, day, day, "Product training")
            day += timedelta(days=rng.randint(80, 160))


def _first_free(
    people: People,
    candidates: list[Person],
    start: int,
    kind: str,
    first: date,
    last: date,
    note: str | None = None,
) -> None:
    """Give the absence to the first candidate (from ``start`` on) who is free then."""
    for i in range(len(candidates)):
        person = candidates[(start + i) % len(candidates)]
        if people.add_absence(person.id, kind, first, last, note):
            return


def _vacations(people: People, p: Person, rng: random.Random, first: date, horizon: date) -> None:
    """About 25 days a year, in blocks of a few days to two weeks."""
    day = first + timedelta(days=rng.randint(0, 90))
    while day <= horizon:
        length = rng.choice((3, 5, 5, 7, 10, 14))
        people.add_absence(p.id, AbsenceKind.VACATION, day, day + timedelta(days=length - 1))
        day += timedelta(days=length + int(rng.expovariate(1 / 85)) + 20)


def _sick_spells(people: People, p: Person, rng: random.Random, first: date, today: date) -> None:
    """A few short spells a year, only in the past (nobody knows tomorrow's flu)."""
    day = first + timedelta(days=int(rng.expovariate(1 / 60)))
    while day < today:
        length = min(1 + int(rng.expovariate(1 / 1.5)), 7)
        last = min(day + timedelta(days=length - 1), today - timedelta(days=1))
        people.add_absence(p.id, AbsenceKind.SICK, day, last)
        day = last + timedelta(days=1 + int(rng.expovariate(1 / 60)))


def write_people(writer: BulkWriter, people: People, world: World) -> None:
    writer.rows(
        Staff,
        [
            {
                "id": p.id,
                "login": p.login,
                "name": p.name,
                "role": str(p.role),
                "team_lead_id": p.lead_id,
                "hired_on": p.hired_on,
                "left_on": p.left_on,
                "compensation_limit_cents": p.limit_cents,
                "email": f"{p.login}@{names.MAIL_DOMAIN}",
            }
            for p in people.everyone
        ],
    )
    by_id = people.by_id()
    kept = [
        (staff_id, kind, first, last, note)
        for staff_id, kind, first, last, note in people.absences
        if _overlaps_employment(by_id[staff_id], first, last)
    ]
    writer.rows(
        Absence,
        [
            {
                "id": i,
                "staff_id": staff_id,
                "kind": str(kind),
                "starts_on": first,
                "ends_on": last,
                "note": note,
            }
            for i, (staff_id, kind, first, last, note) in enumerate(kept, start=1)
        ],
    )


def _overlaps_employment(p: Person, first: date, last: date) -> bool:
    return last >= p.hired_on and (p.left_on is None or first < p.left_on)

"""The demo's field service: technicians, the procedures they fix faults with, their
skills (I/L/U/O), weekday shifts, and absences, in the same tables the agents use."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from svcdesk_tui.demo import names
from svcdesk_tui.demo.people import People
from svcdesk_tui.demo.store import BulkWriter
from svcdesk_tui.demo.world import World
from svcdesk_tui.models import (
    Absence,
    AbsenceKind,
    FaultType,
    Procedure,
    Role,
    Shift,
    Skill,
    SkillLevel,
    Staff,
)

UPCOMING_DAYS = 14  # technicians' shifts are planned this far ahead of the demo's now
SENIORS = 2  # the first technicians hold every field procedure at O


@dataclass(frozen=True)
class FaultSpec:
    code: str
    label: str
    procedure: str
    critical: bool
    senior_share: float  # share of tickets that need a senior technician
    weight: float  # share of dispatched faults
    hours: tuple[float, float]  # estimated time to fix, lowest and highest
    words: tuple[str, ...]  # how customers describe it


FAULTS: tuple[FaultSpec, ...] = (
    FaultSpec("router", "Router or modem dead", "Router replacement on site", False, 0.0, 0.35,
              (1, 2), ("Router shows no lights", "Modem keeps rebooting", "No internet at all")),
    FaultSpec("fibre", "Fibre line fault", "Fibre line repair", False, 0.2, 0.25, (2, 4),
              ("Fibre light is red", "Line dead since the roadworks", "Very slow and drops")),
    FaultSpec("wiring", "In-house wiring fault", "In-house wiring repair", False, 0.0, 0.2,
              (1, 3), ("Socket in the study gives no signal", "Cable chewed by the dog")),
    FaultSpec("tvbox", "TV box not working", "TV box installation and repair", False, 0.0, 0.1,
              (1, 2), ("TV box stuck on the logo", "No channels after the update")),
    FaultSpec("business", "Business network outage", "Business network repair", True, 1.0,
              0.1, (2, 5), ("Whole office offline", "Card payments down in the shop")),
)  # fmt: skip


@dataclass
class Technician:
    staff_id: int
    name: str
    levels: dict[str, str]  # fault code -> skill level
    shifts: dict[date, tuple[int, int]] = field(default_factory=dict)  # local day: epochs

    def can_fix(self, fault: str, senior: bool) -> str | None:
        """The technician's level for the fault if they may take it, else None."""
        level = self.levels.get(fault)
        if level == SkillLevel.O or (level == SkillLevel.U and not senior):
            return level
        return None


@dataclass
class FieldService:
    technicians: list[Technician]
    fault_type_ids: dict[str, int]


EARLY = ((7, 30), (16, 0))  # local shift hours: half the technicians start early,
LATE = ((11, 30), (20, 0))  # the other half late; a few work Saturdays, early


def write_field_service(writer: BulkWriter, world: World, people: People) -> FieldService:
    """Technicians with skills, shifts and absences; fault types and their procedures."""
    rng = world.rng("field-service")
    first_procedure = writer.next_id(Procedure)
    technical_queue = world.queue_ids.get("Technical")
    writer.rows(
        Procedure,
        [
            {
                "id": first_procedure + i,
                "name": spec.procedure,
                "description": f"Fix on site: {spec.label.lower()}",
                "criticality": "critical" if spec.critical else "important",
                "area": "field service",
                "queue_id": technical_queue,
                "documented": True,
                "doc_location": f"handbook/field/{spec.code}.md",
                "frequency": "daily",
            }
            for i, spec in enumerate(FAULTS)
        ],
    )
    writer.rows(
        FaultType,
        [
            {"id": i + 1, "code": s.code, "label": s.label, "procedure_id": first_procedure + i}
            for i, s in enumerate(FAULTS)
        ],
    )
    technicians = _write_technicians(writer, world, people, rng)
    skills: list[dict[str, Any]] = []
    next_skill = writer.next_id(Skill)
    for tech in technicians:
        for i, spec in enumerate(FAULTS):
            level = tech.levels.get(spec.code)
            if level is not None:
                skills.append(
                    {
                        "id": next_skill + len(skills),
                        "staff_id": tech.staff_id,
                        "procedure_id": first_procedure + i,
                        "level": level,
                    }
                )
    writer.rows(Skill, skills)
    service = FieldService(technicians, {s.code: i + 1 for i, s in enumerate(FAULTS)})
    _write_absences_and_shifts(writer, world, service, rng)
    return service


def _write_technicians(
    writer: BulkWriter, world: World, people: People, rng: random.Random
) -> list[Technician]:
    count = max(4, world.agents // 2)
    taken_logins = {p.login for p in people.everyone}
    taken_names = {p.name for p in people.everyone}
    first_id = writer.next_id(Staff)
    rows, technicians = [], []
    for n in range(count):
        name = names.person_name(rng)
        while name in taken_names:
            name = names.person_name(rng)
        taken_names.add(name)
        login = names.login_for(name, taken_logins)
        levels: dict[str, str] = {}
        for spec in FAULTS:
            roll = rng.random()
            if n < SENIORS:
                levels[spec.code] = SkillLevel.O
            elif spec.code == "router" or roll < 0.55:
                levels[spec.code] = SkillLevel.O if roll < 0.12 else SkillLevel.U
            elif roll < 0.8:
                levels[spec.code] = SkillLevel.L
        rows.append(
            {
                "id": first_id + n,
                "login": login,
                "name": name,
                "role": str(Role.TECHNICIAN),
                "team_lead_id": people.manager.id,
                "hired_on": world.today - timedelta(days=rng.randint(200, 3000)),
                "left_on": None,
                "compensation_limit_cents": 0,
                "email": f"{login}@{names.MAIL_DOMAIN}",
            }
        )
        technicians.append(Technician(first_id + n, name, levels))
    writer.rows(Staff, rows)
    return technicians


def _write_absences_and_shifts(
    writer: BulkWriter, world: World, service: FieldService, rng: random.Random
) -> None:
    """A past vacation each, one technician off sick today, one on leave soon; weekday shifts."""
    today = world.today
    absences: list[tuple[int, str, date, date, str | None]] = []
    for n, tech in enumerate(service.technicians):
        start = world.first_day + timedelta(days=rng.randint(0, max(0, world.days - 10)))
        absences.append(
            (tech.staff_id, AbsenceKind.VACATION, start, start + timedelta(days=6), None)
        )
        if n == len(service.technicians) - 1:
            absences.append((tech.staff_id, AbsenceKind.SICK, today, today, "Called in sick"))
        if n == len(service.technicians) - 2:
            soon = today + timedelta(days=2)
            absences.append(
                (tech.staff_id, AbsenceKind.VACATION, soon, soon + timedelta(days=9), None)
            )
    away = {
        (staff_id, first + timedelta(days=d))
        for staff_id, _, first, last, _ in absences
        for d in range((last - first).days + 1)
    }
    first_absence = writer.next_id(Absence)
    writer.rows(
        Absence,
        [
            {
                "id": first_absence + i,
                "staff_id": staff_id,
                "kind": str(kind),
                "starts_on": first,
                "ends_on": last,
                "note": note,
            }
            for i, (staff_id, kind, first, last, note) in enumerate(absences)
        ],
    )
    shifts: list[tuple[int, int, None, int, int]] = []
    first_shift = writer.next_id(Shift)
    day = world.first_day
    while day <= today + timedelta(days=UPCOMING_DAYS):
        for n, tech in enumerate(service.technicians):
            if (tech.staff_id, day) in away or day.weekday() == 6:
                continue
            if day.weekday() == 5 and (day.toordinal() // 7 + n) % 4:
                continue  # one Saturday in four
            (start_h, start_m), (end_h, end_m) = LATE if n % 2 and day.weekday() < 5 else EARLY
            span = (world.local_epoch(day, start_h, start_m), world.local_epoch(day, end_h, end_m))
            tech.shifts[day] = span
            shifts.append((first_shift + len(shifts), tech.staff_id, None, *span))
        day += timedelta(days=1)
    writer.tuples(Shift, ("id", "staff_id", "queue_id", "starts_at", "ends_at"), shifts)

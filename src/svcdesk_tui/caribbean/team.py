"""The team as the Caribbean test reads it: people, procedures, skills, approvals, absences.

Plain column tuples, not ORM objects, read once per analysis: the tables are small
(tens of procedures, hundreds of people) and analysed in Python.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from svcdesk_tui.models import (
    Absence,
    ApprovalAuthority,
    Criticality,
    Procedure,
    Queue,
    Skill,
    SkillLevel,
    Staff,
)
from svcdesk_tui.people.staff import StaffMember

ALONE = frozenset({SkillLevel.U, SkillLevel.O})


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

    people: dict[int, StaffMember]
    procedures: list[ProcedureInfo]
    levels: dict[int, dict[int, str]]  # procedure id -> staff id -> I/L/U/O
    authorities: dict[str, set[int]]  # approval kind -> staff ids
    absences: list[AbsenceSpan] = field(default_factory=list)

    def holders(self, procedure_id: int, levels: frozenset[str] = ALONE) -> set[int]:
        return {s for s, lv in self.levels.get(procedure_id, {}).items() if lv in levels}

    def active(self, day: date) -> set[int]:
        return {p.id for p in self.people.values() if p.employed_on(day)}

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
        row[0]: StaffMember(*row)
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

"""CSV import and export of the Caribbean data, so a center can fill it from a spreadsheet.

Four tables, one CSV each (first line: the column names):

- ``procedures``: name, criticality, area, queue, documented, doc_location, frequency,
  description
- ``skills``: login, procedure, level (I/L/U/O; empty removes the skill)
- ``authorities``: login, kind, limit (currency units, may be empty)
- ``absences``: login, kind, starts_on, ends_on (YYYY-MM-DD, inclusive), note

An import applies every good line and reports each bad one with its line
number; each line goes in whole or not at all (one savepoint per line).
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from sqlmodel import Session, col, select

from svcdesk_tui.caribbean import skills
from svcdesk_tui.core.csv_import import ImportResult, import_rows
from svcdesk_tui.core.errors import InvalidInput
from svcdesk_tui.models import Absence, ApprovalAuthority, Procedure, Queue, Skill, Staff
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, require

COLUMNS: dict[str, tuple[str, ...]] = {
    "procedures": (
        "name",
        "criticality",
        "area",
        "queue",
        "documented",
        "doc_location",
        "frequency",
        "description",
    ),
    "skills": ("login", "procedure", "level"),
    "authorities": ("login", "kind", "limit"),
    "absences": ("login", "kind", "starts_on", "ends_on", "note"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "procedures": ("name",),
    "skills": ("login", "procedure", "level"),
    "authorities": ("login", "kind"),
    "absences": ("login", "starts_on", "ends_on"),
}
TRUE, FALSE = {"yes", "y", "true", "1", "x"}, {"no", "n", "false", "0", ""}


def _table(name: str) -> str:
    if name not in COLUMNS:
        raise InvalidInput(f"unknown table {name!r}; choose one of {', '.join(COLUMNS)}")
    return name


# --- export ---------------------------------------------------------------------------


def export_csv(session: Session, actor: Actor | None, table: str) -> str:
    """The whole table as CSV text, in the import's format."""
    if actor is not None:
        require(actor, Action.VIEW_CARIBBEAN)
    table = _table(table)
    logins = {s.id: s.login for s in session.exec(select(Staff))}
    procedures = {p.id: p for p in session.exec(select(Procedure).order_by(col(Procedure.name)))}
    rows: list[tuple[object, ...]]
    if table == "procedures":
        queues = {q.id: q.name for q in session.exec(select(Queue))}
        rows = [
            (
                p.name,
                p.criticality,
                p.area or "",
                queues.get(p.queue_id, ""),
                "yes" if p.documented else "no",
                p.doc_location or "",
                p.frequency or "",
                p.description or "",
            )
            for p in procedures.values()
        ]
    elif table == "skills":
        rows = sorted(
            (logins[s.staff_id], procedures[s.procedure_id].name, s.level)
            for s in session.exec(select(Skill))
        )
    elif table == "authorities":
        rows = sorted(
            (
                logins[a.staff_id],
                a.kind,
                "" if a.limit_cents is None else f"{a.limit_cents / 100:.2f}",
            )
            for a in session.exec(select(ApprovalAuthority))
        )
    else:
        rows = [
            (
                logins[a.staff_id],
                a.kind,
                a.starts_on.isoformat(),
                a.ends_on.isoformat(),
                a.note or "",
            )
            for a in session.exec(select(Absence).order_by(col(Absence.starts_on), col(Absence.id)))
        ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS[table])
    writer.writerows(rows)
    return buffer.getvalue()


# --- import ---------------------------------------------------------------------------


def _flag(text: str) -> bool:
    value = text.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise InvalidInput(f"documented must be yes or no, not {text!r}")


def _day(text: str, column: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{column} must be a date like 2026-01-31, not {text!r}") from None


def _cents(text: str) -> int | None:
    if not text.strip():
        return None
    try:
        return int((Decimal(text.strip()) * 100).to_integral_value())
    except InvalidOperation:
        raise InvalidInput(f"limit must be an amount like 250.00, not {text!r}") from None


def _apply_row(
    session: Session, actor: Actor, table: str, row: dict[str, str], *, now: datetime
) -> bool:
    """Apply one line; True if it changed something."""
    if table == "procedures":
        return (
            skills.save_procedure(
                session,
                actor,
                name=row["name"],
                criticality=row.get("criticality") or "routine",
                area=row.get("area"),
                queue=row.get("queue"),
                documented=_flag(row.get("documented", "")),
                doc_location=row.get("doc_location"),
                frequency=row.get("frequency"),
                description=row.get("description"),
                now=now,
            )
            != "unchanged"
        )
    if table == "skills":
        return skills.set_skill(
            session,
            actor,
            person=row["login"],
            procedure=row["procedure"],
            level=row["level"],
            now=now,
        )
    if table == "authorities":
        return skills.set_authority(
            session,
            actor,
            person=row["login"],
            kind=row["kind"],
            limit_cents=_cents(row.get("limit", "")),
            now=now,
        )
    return _import_absence(session, actor, row, now=now)


def _import_absence(session: Session, actor: Actor, row: dict[str, str], *, now: datetime) -> bool:
    starts, ends = _day(row["starts_on"], "starts_on"), _day(row["ends_on"], "ends_on")
    kind = (row.get("kind") or "vacation").strip().lower()
    person = skills.staff_by_login(session, row["login"])
    same = session.exec(
        select(Absence).where(
            col(Absence.staff_id) == person.id,
            col(Absence.kind) == kind,
            col(Absence.starts_on) == starts,
            col(Absence.ends_on) == ends,
        )
    ).first()
    if same is not None:  # re-importing an export changes nothing
        return False
    skills.add_absence(
        session,
        actor,
        person=person.id,  # type: ignore[arg-type]
        kind=kind,
        starts_on=starts,
        ends_on=ends,
        note=row.get("note"),
        now=now,
    )
    return True


def import_csv(
    session: Session, actor: Actor, table: str, text: str, *, now: datetime
) -> ImportResult:
    """Apply a CSV to ``table``; a wrong header refuses the whole file."""
    require(actor, Action.EDIT_SKILLS)
    table = _table(table)
    return import_rows(
        session,
        text,
        ImportResult(table),
        columns=COLUMNS[table],
        required=REQUIRED[table],
        required_values=[name for name in REQUIRED[table] if name != "level"],
        apply=lambda row: _apply_row(session, actor, table, row, now=now),
    )

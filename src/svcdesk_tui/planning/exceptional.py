"""Days the center marks as exceptional (holidays, outages): kept apart by the forecast."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, col, select

from svcdesk_tui.core import audit
from svcdesk_tui.core.errors import InvalidInput
from svcdesk_tui.models import ExceptionalDay
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, require

KINDS = ("holiday", "outage", "campaign", "other")
"""What makes a day exceptional; a forecast day of a kind learns from past days of that kind."""


def exceptional_days(session: Session) -> dict[date, str]:
    """Every exceptional day and its kind."""
    rows = session.exec(select(ExceptionalDay).order_by(col(ExceptionalDay.day))).all()
    return {row.day: row.kind for row in rows}


def list_days(session: Session) -> list[ExceptionalDay]:
    return list(session.exec(select(ExceptionalDay).order_by(col(ExceptionalDay.day))).all())


def mark(
    session: Session, actor: Actor, day: date, kind: str, note: str | None, *, now: datetime
) -> None:
    """Mark ``day`` exceptional (or change its kind and note); a change of settings, audited."""
    require(actor, Action.CHANGE_SETTINGS)
    if kind not in KINDS:
        raise InvalidInput(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    row = session.get(ExceptionalDay, day)
    before = None if row is None else {"kind": row.kind, "note": row.note}
    if row is None:
        session.add(ExceptionalDay(day=day, kind=kind, note=note))
    else:
        row.kind, row.note = kind, note
    after = {"kind": kind, "note": note}
    audit.record(
        session,
        actor,
        "exceptional_day.mark",
        "exceptional_day",
        day,
        at=now,
        before=before,
        after=after,
    )


def unmark(session: Session, actor: Actor, day: date, *, now: datetime) -> None:
    """Make ``day`` an ordinary day again; a day that was not marked is refused."""
    require(actor, Action.CHANGE_SETTINGS)
    row = session.get(ExceptionalDay, day)
    if row is None:
        raise InvalidInput(f"{day} is not marked exceptional")
    before = {"kind": row.kind, "note": row.note}
    session.delete(row)
    audit.record(
        session, actor, "exceptional_day.unmark", "exceptional_day", day, at=now, before=before
    )

"""The steps every escalation move is made of: the permission check, the conditional
UPDATE, the story event and the audit row."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Update, update
from sqlalchemy.engine import CursorResult
from sqlmodel import Session, col

from svcdesk_tui.core import audit
from svcdesk_tui.core.errors import Conflict, PermissionDenied, stripped
from svcdesk_tui.escalations.ladder import EXECUTIVE_WARNING, Level, may_act_at
from svcdesk_tui.models import Escalation, EscalationEvent
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, ActionRefused, allowed


def require_at(actor: Actor, level: Level, what: str) -> None:
    if not may_act_at(actor, level):
        reason = (
            f"{actor.login} ({actor.role}) may not {what} an escalation at the "
            f"{level.name} level (needs {level.role} or higher)"
        )
        if not allowed(actor, Action.HANDLE_ESCALATION):
            raise ActionRefused(actor, Action.HANDLE_ESCALATION, reason)  # audited
        raise PermissionDenied(reason)


def record_event(
    session: Session,
    escalation: Escalation,
    kind: str,
    actor: Actor | None,
    *,
    now: datetime,
    from_rank: int | None = None,
    to_rank: int | None = None,
    note: str | None = None,
) -> None:
    session.add(
        EscalationEvent(
            escalation_id=escalation.id,  # type: ignore[arg-type]
            at=now,
            actor_id=actor.id if actor else None,
            kind=kind,
            from_rank=from_rank,
            to_rank=to_rank,
            note=note,
        )
    )


def record_at(
    session: Session,
    escalation: Escalation,
    kind: str,
    actor: Actor | None,
    level: Level,
    note: str | None = None,
    *,
    now: datetime,
    to: Level | None = None,
) -> None:
    """An event on the escalation's rung ``level``: it stays there (accept, resolve, call back,
    reopen) or climbs ``to`` another."""
    record_event(
        session,
        escalation,
        kind,
        actor,
        now=now,
        from_rank=level.rank,
        to_rank=(to or level).rank,
        note=note,
    )


SNAPSHOT = ("state", "level_rank", "accepted_by_id", "resolved_by_id")
"""What a move changes, as its audit row shows it before and after."""


def snapshot(escalation: Escalation) -> dict[str, object]:
    return {name: getattr(escalation, name) for name in SNAPSHOT}


def audit_move(
    session: Session,
    actor: Actor | None,
    escalation: Escalation,
    verb: str,
    before: dict[str, object],
    extra: dict[str, object] | None = None,
    *,
    now: datetime,
) -> None:
    """The audit row of a move: the escalation before, and after it (plus ``extra``)."""
    after = {**snapshot(escalation), **(extra or {})}
    audit.record(
        session,
        actor,
        f"escalation.{verb}",
        "escalation",
        escalation.id,
        at=now,
        before=before,
        after=after,
    )


def rows_hit(session: Session, statement: Update) -> int:
    """Run a conditional UPDATE; how many rows it changed (0: somebody was first)."""
    result = session.execute(statement.execution_options(synchronize_session=False))
    return cast(CursorResult[Any], result).rowcount


def move(
    session: Session, escalation: Escalation, states: tuple[str, ...], **values: object
) -> None:
    """A conditional UPDATE: only if nobody changed the state or rung meanwhile."""
    hit = rows_hit(
        session,
        update(Escalation)
        .where(
            col(Escalation.id) == escalation.id,
            col(Escalation.state).in_(states),
            col(Escalation.level_rank) == escalation.level_rank,
        )
        .values(**values),
    )
    if not hit:
        raise Conflict(f"escalation {escalation.id} changed meanwhile; look again")
    session.refresh(escalation)


def required(text: str | None, what: str) -> str:
    return stripped(text, f"{what} is required")


def record_climb(
    session: Session,
    escalation: Escalation,
    level: Level,
    target: Level,
    actor: Actor | None,
    kind: str,
    note: str,
    before: dict[str, object],
    *,
    now: datetime,
) -> None:
    """The event and the audit row of a climb (by a person or by the clock)."""
    if target.is_executive:
        note = f"{note} [{EXECUTIVE_WARNING}]"
    record_at(session, escalation, kind, actor, level, note, now=now, to=target)
    audit_move(session, actor, escalation, kind, before, {"note": note}, now=now)

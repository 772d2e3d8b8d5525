"""The append-only audit trail: who did what, when, before and after."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, ClassVar, Protocol

from sqlmodel import Session

from svcdesk_tui.models import AuditEntry
from svcdesk_tui.people.identity import Actor


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, default=str, sort_keys=True)


def record(
    session: Session,
    actor: Actor | None,
    action: str,
    entity: str,
    entity_id: object,
    *,
    at: datetime,
    before: Any = None,
    after: Any = None,
) -> None:
    """Add one audit row to the caller's transaction (written at once: an ORM object would
    cost every move a flush of the unit of work as it commits)."""
    session.execute(
        _INSERT,
        {
            "at": at,
            "actor_id": actor.id if actor else None,
            "actor_login": actor.login if actor else "system",
            "action": action,
            "entity": entity,
            "entity_id": None if entity_id is None else str(entity_id),
            "before": _dump(before),
            "after": _dump(after),
        },
    )


_INSERT = AuditEntry.__table__.insert()  # type: ignore[attr-defined]


class NewRow(Protocol):
    """A table row whose id the store gives it."""

    id: int | None
    __tablename__: ClassVar[Any]


def added(
    session: Session, actor: Actor | None, row: NewRow, action: str, *, at: datetime, after: Any
) -> None:
    """Add a new ``row`` to the caller's transaction (flushed, so it has its id) and audit it as
    ``action`` on the entity its table names."""
    session.add(row)
    session.flush()
    record(session, actor, action, str(row.__tablename__), row.id, at=at, after=after)

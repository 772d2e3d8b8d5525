"""One row by its key, or the words that say it is not there."""

from __future__ import annotations

from typing import TypeVar

from sqlmodel import Session, SQLModel

from svcdesk_tui.core.errors import NotFound

Row = TypeVar("Row", bound=SQLModel)


def existing(session: Session, model: type[Row], key: int, missing: str) -> Row:
    """The ``model`` row whose primary key is ``key``; :class:`NotFound` saying ``missing``."""
    found = session.get(model, key)
    if found is None:
        raise NotFound(missing)
    return found

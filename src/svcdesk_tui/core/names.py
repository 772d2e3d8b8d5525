"""The name a row points to (who raised it, whose customer it is), read in the row's own query."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased
from sqlmodel import col

from svcdesk_tui.models import Customer, Staff


def name_of(model: type[Customer] | type[Staff], key: Any) -> Any:
    """SQL value: the ``name`` of the ``model`` row whose id is ``key`` (NULL when ``key`` is).

    A staff member or customer is read by the key a row holds, in place of a join on an alias
    of that table; the table is aliased here so it never stands for a table of the outer query.
    """
    named = aliased(model)
    return select(col(named.name)).where(col(named.id) == key).scalar_subquery()

"""SQL aggregates the measures are built from: counts and sums under a condition."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func
from sqlalchemy.sql.elements import ColumnElement


def count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """SQL value: the rows of the group for which ``condition`` holds (0, never NULL)."""
    return total(condition, 1)


def total(condition: ColumnElement[bool], value: Any) -> ColumnElement[int]:
    """SQL value: the sum of ``value`` over the rows where ``condition`` holds (0, never NULL)."""
    return func.coalesce(func.sum(case((condition, value), else_=0)), 0)

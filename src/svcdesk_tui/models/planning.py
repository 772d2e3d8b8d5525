"""Planning: the days the center marks as exceptional for its forecast."""

from __future__ import annotations

from datetime import date

from sqlalchemy import String, Text
from sqlmodel import Field, SQLModel


class ExceptionalDay(SQLModel, table=True):
    """A local calendar day unlike the others (a holiday, an outage).

    The forecast leaves it out of the history it learns from, and forecasts it
    apart: from the same kind of day before (``kind``), not from ordinary weeks.
    """

    __tablename__ = "exceptional_day"

    day: date = Field(primary_key=True)
    kind: str = Field(sa_type=String(24), default="holiday")
    note: str | None = Field(default=None, sa_type=Text)

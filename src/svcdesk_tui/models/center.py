"""The center's reference data: queues, customers, agreements, reasons, products."""

from __future__ import annotations

from datetime import date

from sqlalchemy import String, Text
from sqlmodel import Field, SQLModel


class Queue(SQLModel, table=True):
    """A call queue with its own service-level target (e.g. 80 % within 20 s)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(60), unique=True)
    sl_threshold_seconds: int = 20
    sl_target: float = 0.8
    short_abandon_seconds: int = 5
    description: str | None = None


class Agreement(SQLModel, table=True):
    """A service agreement tier and what it promises the customer."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(60), unique=True)
    rank: int = 0
    answer_seconds: int | None = None
    response_hours: float | None = None
    fix_hours: float | None = None
    queue_priority: int = 0
    description: str | None = None


class Customer(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(160), index=True)
    phone: str | None = Field(default=None, sa_type=String(40), index=True)
    email: str | None = Field(default=None, sa_type=String(200))
    agreement_id: int | None = Field(default=None, foreign_key="agreement.id")
    special_requests: str | None = Field(default=None, sa_type=Text)
    nuisance: bool = False
    nuisance_note: str | None = Field(default=None, sa_type=Text)
    customer_since: date | None = None


class ContactReason(SQLModel, table=True):
    __tablename__ = "contact_reason"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_type=String(40), unique=True)
    label: str = Field(sa_type=String(120))


class Product(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(120), unique=True)

"""Leads for sales: a need or an opportunity an agent heard, with the customer and the agent."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from svcdesk_tui.core import audit
from svcdesk_tui.core.errors import InvalidInput, NotFound, stripped
from svcdesk_tui.core.names import name_of
from svcdesk_tui.core.periods import Period, zone
from svcdesk_tui.core.sqltime import within
from svcdesk_tui.models import Customer, Lead, LeadKind, Staff
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, require

MAX_LEAD_CHARS = 2000


def record_lead(
    session: Session,
    actor: Actor,
    *,
    now: datetime,
    customer_id: int | None,
    text: str,
    kind: str = LeadKind.NEED,
    call_id: int | None = None,
) -> Lead:
    """Pass what the agent learned to sales, in the caller's transaction."""
    require(actor, Action.COMPLETE_CALL)
    text = stripped(text, "say what the customer needs or what the opportunity is")
    if len(text) > MAX_LEAD_CHARS:
        raise InvalidInput(f"a lead is at most {MAX_LEAD_CHARS} characters")
    if kind not in set(LeadKind):
        raise InvalidInput(f"lead kind must be one of {', '.join(LeadKind)}")
    if customer_id is None:
        raise InvalidInput("a lead needs a known customer; this caller is not identified")
    if session.get(Customer, customer_id) is None:
        raise NotFound(f"no customer #{customer_id}")
    lead = Lead(
        customer_id=customer_id,
        agent_id=actor.id,
        call_id=call_id,
        kind=kind,
        text=text,
        created_at=now,
    )
    audit.added(session, actor, lead, "lead.record", at=now, after={"kind": kind})
    return lead


@dataclass(frozen=True)
class LeadRow:
    lead_id: int
    created_at: datetime
    customer: str
    phone: str | None
    email: str | None
    agent: str
    kind: str
    text: str


def leads_in(session: Session, period: Period | None = None) -> list[LeadRow]:
    """Leads recorded in the period (all when none), oldest first."""
    query = (
        select(
            col(Lead.id),
            col(Lead.created_at),
            col(Customer.name),
            col(Customer.phone),
            col(Customer.email),
            name_of(Staff, Lead.agent_id),
            col(Lead.kind),
            col(Lead.text),
        )
        .join(Customer, col(Customer.id) == Lead.customer_id)
        .order_by(col(Lead.created_at), col(Lead.id))
    )
    if period is not None:
        query = query.where(within(Lead.created_at, period))
    return [LeadRow(*row) for row in session.execute(query)]


CSV_COLUMNS = ("lead_id", "created_at", "customer", "phone", "email", "agent", "kind", "text")


def leads_csv(rows: list[LeadRow], timezone: str) -> str:
    """The leads as CSV for sales, times in the center's zone."""
    tz = zone(timezone)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(
            [
                row.lead_id,
                row.created_at.astimezone(tz).isoformat(timespec="minutes"),
                row.customer,
                row.phone or "",
                row.email or "",
                row.agent,
                row.kind,
                row.text,
            ]
        )
    return buffer.getvalue()


def leads_per_agent(session: Session, period: Period) -> list[tuple[str, int]]:
    """(agent, leads recorded) in the period, most first."""
    count = func.count(col(Lead.id))
    rows = session.execute(
        select(col(Staff.name), count)
        .join(Lead, col(Lead.agent_id) == Staff.id)
        .where(within(Lead.created_at, period))
        .group_by(col(Staff.id), col(Staff.name))
        .order_by(count.desc(), col(Staff.name))
    )
    return [(name, n) for name, n in rows]

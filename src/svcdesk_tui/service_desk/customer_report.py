"""One customer's operational report (``svcdesk report --customer``), fit to send to them.

It holds only that customer's records, and only what may leave the center: no
internal notes (of calls, tickets or visits), no nuisance flag, no leads, no
staff names. Figures come from the same measure functions as the management
report, filtered to the customer.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlmodel import Session, col

from svcdesk_tui.core.errors import InvalidInput, NotFound, stripped
from svcdesk_tui.core.periods import zone
from svcdesk_tui.core.rows import existing
from svcdesk_tui.core.settings import CenterSettings
from svcdesk_tui.core.sqltime import epoch, within
from svcdesk_tui.models import (
    Agreement,
    Call,
    CallRoute,
    CallRouting,
    CallState,
    ContactReason,
    Customer,
    FaultType,
    ServiceTicket,
    TicketState,
    Visit,
)
from svcdesk_tui.report.model import Column, Figure, Report, ReportPeriod, Section, Table
from svcdesk_tui.service_desk.first_time_fix import first_time_fix
from svcdesk_tui.service_desk.service_times import promises_kept

WHAT_HAPPENED = {
    CallRoute.SOLVED: "solved on the call",
    CallRoute.EXPERT: "passed to a system expert",
    CallRoute.DISPATCH: "technician sent",
    CallRoute.SALES: "solved; passed to our sales team",
}

# The columns of the report's tables, the fault type in two of them.
CALL_COLUMNS = [
    Column("when", "When", "datetime"),
    Column("reason", "About", "text"),
    Column("waited", "Waited", "seconds"),
    Column("what_happened", "What happened", "text"),
]
FAULT_TYPE = Column("fault_type", "Fault", "text")
RECURRING_COLUMNS = [
    FAULT_TYPE,
    Column("tickets", "Times"),
    Column("first", "First", "datetime"),
    Column("last", "Last", "datetime"),
]
FAULT_HISTORY_COLUMNS = [
    Column("opened", "Reported", "datetime"),
    FAULT_TYPE,
    Column("fault", "Described as", "text"),
    Column("visits", "Visits"),
    Column("response", "On site after", "seconds"),
    Column("response_kept", "As promised", "text"),
    Column("fix", "Fixed after", "seconds"),
    Column("fix_kept", "As promised", "text"),
    Column("state", "State", "text"),
]


def find_customer(session: Session, text: str) -> Customer:
    """A customer by id (digits) or by name (exact, any case; else the one name containing it)."""
    wanted = stripped(text, "--customer needs a customer id or name")
    if wanted.isdigit():
        return existing(session, Customer, int(wanted), f"no customer #{wanted}")
    lowered = wanted.lower()
    named = func.lower(col(Customer.name))
    matches = list(session.scalars(select(Customer).where(named == lowered))) or list(
        session.scalars(select(Customer).where(named.contains(lowered, autoescape=True)).limit(6))
    )
    if not matches:
        raise NotFound(f"no customer named {wanted!r}")
    if len(matches) > 1:
        ids = ", ".join(f"#{c.id} {c.name}" for c in matches[:5])
        raise InvalidInput(f"{wanted!r} names several customers ({ids}); give the id")
    return matches[0]


def build_customer_report(
    session: Session,
    *,
    customer: Customer,
    settings: CenterSettings,
    center: str,
    period: ReportPeriod,
    now: datetime,
) -> Report:
    """The customer's calls, service times against their agreement, and fault history."""
    assert customer.id is not None
    agreement = session.get(Agreement, customer.agreement_id) if customer.agreement_id else None
    sections = [
        _summary(session, customer, agreement, period, settings),
        _calls(session, customer.id, period),
        _recurring_faults(session, customer.id, period),
        _fault_history(session, customer.id, period),
    ]
    return Report(
        center=center,
        period=period,
        generated_at=now,
        sections=sections,
        title=f"operational report for {customer.name}",
    )


def _in_period(column: Any, period: ReportPeriod) -> ColumnElement[bool]:
    return within(column, period.period)


def _summary(
    session: Session,
    customer: Customer,
    agreement: Agreement | None,
    period: ReportPeriod,
    settings: CenterSettings,
) -> Section:
    answer_limit = agreement.answer_seconds if agreement else None
    answered = col(Call.answered_at).is_not(None)
    in_time = case((answered & (col(Call.wait_seconds) <= (answer_limit or 0)), 1), else_=0)
    calls, answered_count, mean_wait, answered_in_time = session.execute(
        select(
            func.count(),
            func.count(col(Call.answered_at)),
            func.avg(case((answered, col(Call.wait_seconds)))),
            func.coalesce(func.sum(in_time), 0),
        ).where(col(Call.customer_id) == customer.id, _in_period(col(Call.entered_at), period))
    ).one()
    (fixes,) = first_time_fix(
        session,
        period.period,
        window_days=settings.first_time_fix_window_days,
        customer_id=customer.id,
    )
    kept = promises_kept(session, period.period, customer_id=customer.id)
    responded = sum(row.responded for row in kept)
    fixed = sum(row.fixed for row in kept)
    response_total = sum((r.mean_response_seconds or 0) * r.responded for r in kept)
    fix_total = sum((r.mean_fix_seconds or 0) * r.fixed for r in kept)
    figures = [
        Figure("customer", "Customer", "text", customer.name),
        Figure("agreement", "Service agreement", "text", agreement.name if agreement else None),
        Figure("promised_answer_seconds", "Promised answer within", "seconds", answer_limit),
        Figure(
            "promised_response_seconds",
            "Promised technician on site within",
            "seconds",
            _hours(agreement.response_hours if agreement else None),
        ),
        Figure(
            "promised_fix_seconds",
            "Promised fix within",
            "seconds",
            _hours(agreement.fix_hours if agreement else None),
        ),
        Figure("calls", "Your calls", "count", calls),
        Figure("answered", "Answered", "count", answered_count),
        Figure("mean_wait_seconds", "Mean wait before an answer", "seconds", mean_wait),
        Figure(
            "answered_in_time",
            "Answered within the promise",
            "rate",
            answered_in_time / answered_count if answer_limit and answered_count else None,
        ),
        Figure("tickets", "Service tickets opened", "count", sum(r.tickets for r in kept)),
        Figure(
            "mean_response_seconds",
            "Mean time to a technician on site",
            "seconds",
            response_total / responded if responded else None,
        ),
        Figure(
            "mean_fix_seconds",
            "Mean time to fix",
            "seconds",
            fix_total / fixed if fixed else None,
        ),
        Figure("first_time_fix", "Fixed on the first visit", "rate", fixes.rate),
    ]
    return Section("summary", "Your service", figures=figures)


def _hours(hours: float | None) -> float | None:
    return None if hours is None else hours * 3600


def _calls(session: Session, customer_id: int, period: ReportPeriod) -> Section:
    tz = zone(period.timezone)
    rows = session.execute(
        select(
            col(Call.entered_at),
            col(Call.state),
            col(Call.wait_seconds),
            col(Call.outcome),
            col(ContactReason.label),
            col(CallRouting.route),
        )
        .outerjoin(ContactReason, col(ContactReason.id) == Call.reason_id)
        .outerjoin(CallRouting, col(CallRouting.call_id) == Call.id)
        .where(col(Call.customer_id) == customer_id, _in_period(col(Call.entered_at), period))
        .order_by(col(Call.entered_at), col(Call.id))
    )
    listed = [
        {
            "when": entered.astimezone(tz),
            "reason": reason or "—",
            "waited": wait,
            "what_happened": _what_happened(state, outcome, route),
        }
        for entered, state, wait, outcome, reason, route in rows
    ]
    table = Table("calls", "Your calls", CALL_COLUMNS, listed)
    return Section("calls", "Calls", tables=[table])


def _what_happened(state: str, outcome: str | None, route: str | None) -> str:
    if state == CallState.ABANDONED:
        return "ended before we answered"
    if state != CallState.COMPLETED:
        return "in progress"
    if route in WHAT_HAPPENED:
        return WHAT_HAPPENED[CallRoute(route)]
    return "solved on the call" if outcome == "resolved" else "followed up"


def _recurring_faults(session: Session, customer_id: int, period: ReportPeriod) -> Section:
    tz = zone(period.timezone)
    count = func.count(col(ServiceTicket.id))
    rows = session.execute(
        select(
            col(FaultType.label),
            count,
            func.min(col(ServiceTicket.opened_at)),
            func.max(col(ServiceTicket.opened_at)),
        )
        .join(FaultType, col(FaultType.id) == ServiceTicket.fault_type_id)
        .where(
            col(ServiceTicket.customer_id) == customer_id,
            col(ServiceTicket.state) != TicketState.CANCELLED,
            _in_period(col(ServiceTicket.opened_at), period),
        )
        .group_by(col(FaultType.id), col(FaultType.label))
        .having(count > 1)
        .order_by(count.desc(), col(FaultType.label))
    )
    table = Table(
        "recurring_faults",
        "Faults that came back",
        RECURRING_COLUMNS,
        [
            {
                "fault_type": label,
                "tickets": n,
                "first": first.astimezone(tz),
                "last": last.astimezone(tz),
            }
            for label, n, first, last in rows
        ],
    )
    return Section("recurring_faults", "Recurring faults", tables=[table])


def _fault_history(session: Session, customer_id: int, period: ReportPeriod) -> Section:
    tz = zone(period.timezone)
    visits = (
        select(
            col(Visit.ticket_id),
            func.count(col(Visit.outcome)).label("visits"),
            func.min(epoch(col(Visit.arrived_at))).label("arrived_s"),
        )
        .group_by(col(Visit.ticket_id))
        .subquery()
    )
    opened = epoch(col(ServiceTicket.opened_at))
    rows = session.execute(
        select(
            col(ServiceTicket.opened_at),
            col(FaultType.label),
            col(ServiceTicket.fault),
            func.coalesce(visits.c.visits, 0),
            visits.c.arrived_s - opened,
            epoch(col(ServiceTicket.fixed_at)) - opened,
            col(ServiceTicket.promised_response_hours),
            col(ServiceTicket.promised_fix_hours),
            col(ServiceTicket.state),
        )
        .join(FaultType, col(FaultType.id) == ServiceTicket.fault_type_id)
        .outerjoin(visits, visits.c.ticket_id == col(ServiceTicket.id))
        .where(
            col(ServiceTicket.customer_id) == customer_id,
            _in_period(col(ServiceTicket.opened_at), period),
        )
        .order_by(col(ServiceTicket.opened_at), col(ServiceTicket.id))
    )
    listed = [
        {
            "opened": opened_at.astimezone(tz),
            "fault_type": label,
            "fault": fault,
            "visits": n,
            "response": response,
            "response_kept": _kept(response, promised_response),
            "fix": fix,
            "fix_kept": _kept(fix, promised_fix),
            "state": state,
        }
        for opened_at, label, fault, n, response, fix, promised_response, promised_fix, state in (
            rows
        )
    ]
    table = Table("fault_history", "Fault history", FAULT_HISTORY_COLUMNS, listed)
    return Section("fault_history", "Fault history", tables=[table])


def _kept(actual: int | None, promised_hours: float | None) -> str | None:
    if actual is None or promised_hours is None:
        return None
    return "yes" if actual <= promised_hours * 3600 else "no"

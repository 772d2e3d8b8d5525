"""The technical service desk in the report's quality section: first-time fix, promised
against actual per agreement tier, and leads passed to sales per agent."""

from __future__ import annotations

from svcdesk_tui.report.context import ReportContext
from svcdesk_tui.report.model import Column, Figure, Section, Table
from svcdesk_tui.service_desk.first_time_fix import FirstTimeFix, first_time_fix_cuts
from svcdesk_tui.service_desk.leads import leads_per_agent
from svcdesk_tui.service_desk.service_times import PromiseKept, promises_kept


def first_time_fix_figure(cuts: dict[str | None, list[FirstTimeFix]]) -> Figure:
    (center,) = cuts[None]
    return Figure("first_time_fix", "First-time fix (service tickets)", "rate", center.rate)


def first_time_fix_tables(cuts: dict[str | None, list[FirstTimeFix]]) -> list[Table]:
    """First-time fix per technician, fault type and agreement tier."""
    tables = []
    for by, title in (
        ("technician", "First-time fix per technician"),
        ("fault_type", "First-time fix per fault type"),
        ("tier", "First-time fix per agreement tier"),
    ):
        columns = [
            Column("name", by.replace("_", " ").capitalize(), "text"),
            Column("judged", "Judged"),
            Column("fixed", "Fixed first time"),
            Column("rate", "First-time fix", "rate"),
        ]
        body = [
            {"name": r.label, "judged": r.judged, "fixed": r.fixed_first_time, "rate": r.rate}
            for r in cuts[by]
        ]
        tables.append(Table(f"first_time_fix_by_{by}", title, columns, body))
    return tables


def first_time_fix_note(ctx: ReportContext) -> str:
    return (
        "First-time fix: tickets whose first visit ended in the period, fixed on that visit "
        f"with no new fault of the same kind for the customer within "
        f"{ctx.settings.first_time_fix_window_days} days."
    )


PROMISE_COLUMNS = [
    Column("tier", "Agreement", "text"),
    Column("tickets", "Tickets"),
    Column("promised_response", "Response promised", "seconds"),
    Column("actual_response", "Response actual", "seconds"),
    Column("response_gap", "Gap", "seconds"),
    Column("response_in_time", "In time", "rate"),
    Column("promised_fix", "Fix promised", "seconds"),
    Column("actual_fix", "Fix actual", "seconds"),
    Column("fix_gap", "Gap", "seconds"),
    Column("fix_in_time", "In time", "rate"),
]


def promise_row(row: PromiseKept) -> dict[str, object]:
    return {
        "tier": row.tier,
        "tickets": row.tickets,
        "promised_response": row.promised_response_seconds,
        "actual_response": row.mean_response_seconds,
        "response_gap": row.response_gap_seconds,
        "response_in_time": row.response_in_time_rate,
        "promised_fix": row.promised_fix_seconds,
        "actual_fix": row.mean_fix_seconds,
        "fix_gap": row.fix_gap_seconds,
        "fix_in_time": row.fix_in_time_rate,
    }


PROMISE_NOTE = (
    "Promised against actual: service tickets opened in the period; means over the tickets "
    "reached or fixed so far. A positive gap is later than promised."
)


def technical_service(ctx: ReportContext) -> Section:
    """First-time fix, promised against actual per tier and leads per agent, for the
    quality section (returned as a section so the caller can merge its parts)."""
    period = ctx.period.period
    promises = Table(
        "promised_vs_actual",
        "Promised against actual, per agreement tier",
        PROMISE_COLUMNS,
        [promise_row(row) for row in promises_kept(ctx.session, period)],
    )
    per_agent = leads_per_agent(ctx.session, period)
    leads = Table(
        "leads_by_agent",
        "Leads passed to sales, per agent",
        [Column("agent", "Agent", "text"), Column("leads", "Leads")],
        [{"agent": name, "leads": count} for name, count in per_agent],
    )
    cuts = first_time_fix_cuts(
        ctx.session, period, window_days=ctx.settings.first_time_fix_window_days
    )
    figures = [
        first_time_fix_figure(cuts),
        Figure("leads", "Leads passed to sales", "count", sum(n for _, n in per_agent)),
    ]
    return Section(
        "service",
        "Technical service",
        figures=figures,
        tables=[*first_time_fix_tables(cuts), promises, leads],
        notes=[first_time_fix_note(ctx), PROMISE_NOTE],
    )

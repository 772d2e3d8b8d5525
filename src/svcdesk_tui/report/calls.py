"""Report sections about the calls: queues, load against staffing, agents, reasons."""

from __future__ import annotations

import heapq
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from svcdesk_tui.models import ContactReason
from svcdesk_tui.queue.agent_measures import AgentKpi, agent_kpis
from svcdesk_tui.queue.interval_stats import calls_per_hour, staffing_per_hour
from svcdesk_tui.queue.load import HourLoad, hourly_load
from svcdesk_tui.queue.measures import QueueKpi
from svcdesk_tui.queue.resolution import roll_up
from svcdesk_tui.report.context import ReportContext
from svcdesk_tui.report.model import Column, Figure, Section, Table

HOURLY_UP_TO_DAYS = 2
"""Load is shown per hour for periods up to this many days, per day beyond."""
UNDERSTAFFED_LISTED = 100


# Columns that stand in more than one table, each defined once.
OFFERED = Column("offered", "Offered")
ABANDONED = Column("abandoned", "Abandoned")
AHT = Column("aht_seconds", "AHT", "seconds")
FCR = Column("fcr", "FCR", "rate")

# --- queues -------------------------------------------------------------------------------

QUEUE_COLUMNS = [
    Column("queue", "Queue", "text"),
    OFFERED,
    Column("answered", "Answered"),
    ABANDONED,
    Column("short_abandons", "Short ab."),
    Column("service_level", "SL", "rate"),
    Column("sl_target", "Target", "rate"),
    Column("sl_status", "SL status", "status"),
    Column("asa_seconds", "ASA", "seconds"),
    AHT,
    Column("abandon_rate", "Aband. %", "rate"),
    Column("longest_wait_seconds", "Longest wait", "seconds"),
]


def _queue_row(kpi: QueueKpi) -> dict:
    status = None
    if kpi.sl_target is not None and kpi.service_level is not None:
        status = "breach" if kpi.breached else "ok"
    return {
        "queue": kpi.queue_name,
        "offered": kpi.offered,
        "answered": kpi.answered,
        "abandoned": kpi.abandoned,
        "short_abandons": kpi.short_abandons,
        "service_level": kpi.service_level,
        "sl_target": kpi.sl_target,
        "sl_status": status,
        "asa_seconds": kpi.asa_seconds,
        "aht_seconds": kpi.aht_seconds,
        "abandon_rate": kpi.abandon_rate,
        "longest_wait_seconds": kpi.longest_wait_seconds,
    }


QUEUE_MEASURES = (
    "offered",
    "answered",
    "abandoned",
    "short_abandons",
    "service_level",
    "asa_seconds",
    "aht_seconds",
    "abandon_rate",
    "longest_wait_seconds",
)
"""The center totals the queues section puts among the report's measures."""


def queues_section(ctx: ReportContext) -> Section:
    *queues, center = ctx.queues
    table = Table("queues", "Per queue", QUEUE_COLUMNS, [_queue_row(q) for q in queues])
    table.total = _queue_row(center)
    measures = {key: table.total[key] for key in QUEUE_MEASURES}
    measures["queues_breached"] = sum(q.breached for q in queues)
    return Section(
        "queues",
        "Queues",
        tables=[table],
        measures=measures,
        notes=[
            "Service level: answered within the queue's threshold ÷ (answered + abandoned "
            "after the short-abandon threshold). The total applies each queue's own threshold."
        ],
    )


# --- load ---------------------------------------------------------------------------------


def load_section(ctx: ReportContext) -> Section:
    period, tz = ctx.period.period, ctx.period.timezone
    load = hourly_load(
        ctx.session,
        period,
        tz,
        now=ctx.now,
        queues=ctx.queues,
        calls=calls_per_hour(ctx.session, period, tz),
        staffing=staffing_per_hour(ctx.session, period, tz),
    )
    short = load.understaffed
    figures = [
        Figure("understaffed_hours", "Hours understaffed", "count", len(short)),
        Figure(
            "peak_needed_agents",
            "Most agents needed in an hour",
            "count",
            max((h.needed for h in load.hours), default=0),
        ),
    ]
    notes = [
        "On shift and logged in: mean agents over the hour (agent-hours). Needed: Erlang C "
        "per queue for its target, with the queue's AHT of the period. Understaffed: fewer "
        "agents logged in than needed."
    ]
    hour_columns = [
        Column("hour", "Hour", "datetime"),
        OFFERED,
        ABANDONED,
        Column("on_shift", "On shift", "number"),
        Column("logged_in", "Logged in", "number"),
        Column("needed", "Needed"),
        Column("staffing", "Staffing", "status"),
    ]

    def hour_row(h: HourLoad) -> dict[str, Any]:
        return {
            "hour": h.start,
            "offered": h.offered,
            "abandoned": h.abandoned,
            "on_shift": round(h.on_shift, 2),
            "logged_in": round(h.logged_in, 2),
            "needed": h.needed,
            "staffing": "understaffed" if h.understaffed else "ok",
        }

    if ctx.period.days <= HOURLY_UP_TO_DAYS:
        tables = [Table("hours", "Per hour", hour_columns, [hour_row(h) for h in load.hours])]
    else:
        day_columns = [
            Column("day", "Day", "date"),
            OFFERED,
            ABANDONED,
            Column("on_shift_hours", "On shift (agent-h)", "number"),
            Column("logged_in_hours", "Logged in (agent-h)", "number"),
            Column("needed_hours", "Needed (agent-h)", "number"),
            Column("understaffed_hours", "Hours short"),
        ]
        days = [
            {
                "day": d.day,
                "offered": d.offered,
                "abandoned": d.abandoned,
                "on_shift_hours": round(d.on_shift_hours, 1),
                "logged_in_hours": round(d.logged_in_hours, 1),
                "needed_hours": round(d.needed_hours, 1),
                "understaffed_hours": d.understaffed_hours,
            }
            for d in load.days()
        ]
        worst = heapq.nlargest(UNDERSTAFFED_LISTED, short, key=lambda h: h.needed - h.logged_in)
        listed = Table(
            "understaffed",
            "Understaffed hours",
            hour_columns,
            [hour_row(h) for h in sorted(worst, key=lambda h: h.start)],
        )
        if len(short) > len(worst):
            listed.note = f"The {len(worst)} largest shortfalls of {len(short)} understaffed hours."
        tables = [Table("days", "Per day", day_columns, days), listed]
    return Section("load", "Load and staffing", figures=figures, tables=tables, notes=notes)


# --- agents -------------------------------------------------------------------------------

AGENT_COLUMNS = [
    Column("agent", "Agent", "text"),
    Column("login", "Login", "text"),
    Column("handled", "Handled"),
    Column("calls_per_logged_in_hour", "Per hour", "number"),
    Column("calls_per_shift", "Per shift", "number"),
    AHT,
    Column("occupancy", "Occupancy", "rate"),
    FCR,
    Column("csat", "CSAT", "rate"),
    Column("logged_in_seconds", "Logged in", "seconds"),
    Column("shifts", "Shifts"),
]


def _agent_row(kpi: AgentKpi) -> dict[str, Any]:
    per_hour, per_shift = kpi.calls_per_logged_in_hour, kpi.calls_per_shift
    return {
        "agent": kpi.name,
        "login": kpi.login or None,
        "handled": kpi.handled,
        "calls_per_logged_in_hour": None if per_hour is None else round(per_hour, 2),
        "calls_per_shift": None if per_shift is None else round(per_shift, 2),
        "aht_seconds": kpi.aht_seconds,
        "occupancy": kpi.occupancy,
        "fcr": kpi.fcr,
        "csat": kpi.csat,
        "logged_in_seconds": kpi.logged_in_seconds,
        "shifts": kpi.shifts,
    }


def agents_section(ctx: ReportContext) -> Section:
    *agents, center = agent_kpis(
        ctx.session,
        ctx.period.period,
        now=ctx.now,
        window_days=ctx.settings.fcr_window_days,
        cells=ctx.handled.by_agent,
    )
    table = Table("agents", "Per agent", AGENT_COLUMNS, [_agent_row(a) for a in agents])
    table.total = _agent_row(center)
    measures = {
        "calls_per_logged_in_hour": table.total["calls_per_logged_in_hour"],
        "calls_per_shift": table.total["calls_per_shift"],
        "occupancy": center.occupancy,
    }
    return Section("agents", "Agents", tables=[table], measures=measures)


# --- reasons ------------------------------------------------------------------------------


def reasons_section(ctx: ReportContext) -> Section:
    by_reason = roll_up(ctx.handled.by_reason, lambda c: c.reason_id)
    handled = sum(r.handled for r in by_reason.values())
    names = {
        rid: (label, code)
        for rid, label, code in ctx.session.execute(
            select(col(ContactReason.id), col(ContactReason.label), col(ContactReason.code))
        )
    }
    ordered = sorted(by_reason.items(), key=lambda item: (-item[1].handled, item[0] is None))
    rows = [
        {
            "reason": names.get(rid, ("(not recorded)", None))[0],
            "code": names.get(rid, (None, None))[1],
            "calls": r.handled,
            "share": r.handled / handled if handled else None,
            "fcr": r.fcr,
        }
        for rid, r in ordered
    ]
    top = rows[0] if rows and rows[0]["code"] is not None else None
    columns = [
        Column("reason", "Reason", "text"),
        Column("code", "Code", "text"),
        Column("calls", "Calls"),
        Column("share", "Share", "rate"),
        FCR,
    ]
    return Section(
        "reasons",
        "Contact reasons",
        figures=[
            Figure("top_reason", "Top reason", "text", top["reason"] if top else None),
            Figure("top_reason_share", "Share of the top reason", "rate", top and top["share"]),
        ],
        tables=[Table("reasons", "Handled calls by reason", columns, rows)],
    )

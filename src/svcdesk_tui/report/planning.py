"""The report's forecast section: the days after the period, their need and the shifts' gaps.

Figures and tables come from :mod:`svcdesk_tui.planning` (the same functions as
`svcdesk forecast` and the Load screen); the first day's curves are a chart that
the HTML report draws as a picture.
"""

from __future__ import annotations

from datetime import timedelta

from svcdesk_tui.planning.forecast import forecast
from svcdesk_tui.planning.staffing import plan_staffing
from svcdesk_tui.report.context import ReportContext
from svcdesk_tui.report.model import Chart, Column, Figure, Section, Table

FORECAST_DAYS = 7
GAPS_LISTED = 50


def forecast_section(ctx: ReportContext) -> Section:
    tz = ctx.settings.timezone
    start = ctx.period.last + timedelta(days=1)
    plan = plan_staffing(
        ctx.session,
        forecast(
            ctx.session,
            tz=tz,
            start=start,
            days=FORECAST_DAYS,
            interval_minutes=ctx.settings.interval_minutes,
        ),
        tz=tz,
        shrinkage=ctx.settings.shrinkage,
    )
    f = plan.forecast
    days = Table(
        "forecast_days",
        "Offered calls forecast per day",
        [
            Column("day", "Day", "date"),
            Column("queue", "Queue", "text"),
            Column("calls", "Calls", "number"),
            Column("peak_agents", "Peak agents (Erlang A)"),
        ],
    )
    for day in f.days:
        for q in f.queues:
            peak = max(
                (r.erlang_a for r in plan.intervals if r.queue_id == q.id and r.day == day),
                default=0,
            )
            days.rows.append(
                {
                    "day": day,
                    "queue": q.name,
                    "calls": sum(f.calls[(q.id, day)]),
                    "peak_agents": peak,
                }
            )
    gaps = Table(
        "forecast_gaps",
        "Shifts short of the need",
        [Column("gap", "Gap", "text"), Column("short_by", "Short by")],
        [{"gap": g.words(), "short_by": g.short_by} for g in plan.gaps[:GAPS_LISTED]],
    )
    if len(plan.gaps) > GAPS_LISTED:
        gaps.note = f"{len(plan.gaps) - GAPS_LISTED} more: svcdesk forecast"
    first = f.days[0]
    minutes = f.interval_minutes
    expected = [sum(f.calls[(q.id, first)][s] for q in f.queues) for s in range(24 * 60 // minutes)]
    needed = [0.0] * len(expected)
    scheduled = [0.0] * len(expected)
    for pool in plan.pools:
        for (day, slot), agents in pool.needed.items():
            if day == first:
                needed[slot] += agents
        for (day, slot), on in pool.scheduled.items():
            if day == first:
                scheduled[slot] += on
    chart = Chart(
        "forecast_curves",
        f"{first:%A %Y-%m-%d}: calls forecast, agents to schedule and on shift per interval",
        minutes,
        {"calls forecast": expected, "agents to schedule": needed, "agents on shift": scheduled},
    )
    return Section(
        "forecast",
        "Forecast",
        figures=[
            Figure("forecast_first_day", "First day", "date", first),
            Figure(
                "forecast_calls",
                f"Calls in {FORECAST_DAYS} days",
                "number",
                sum(f.day_total(d) for d in f.days),
            ),
            Figure("forecast_gaps", "Gaps in the shifts", "count", len(plan.gaps)),
        ],
        tables=[days, gaps],
        notes=[
            f"Agents to schedule are Erlang A's agents on the phone with shrinkage of "
            f"{plan.shrinkage * 100:.0f} % on top (setting shrinkage).",
            *f.notes,
        ],
        charts=[chart],
    )

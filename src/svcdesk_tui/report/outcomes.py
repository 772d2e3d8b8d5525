"""Report sections about outcomes: quality, escalations, retention, the Caribbean test."""

from __future__ import annotations

from svcdesk_tui.caribbean.analysis import analyse
from svcdesk_tui.complaints.measures import (
    complaint_quality,
    feedback_scores,
    repeat_flags_by_owner,
    repeat_rates,
)
from svcdesk_tui.core.periods import zone
from svcdesk_tui.escalations.measures import escalation_measures, measures_by_manager
from svcdesk_tui.escalations.reached_executive import executive_escalations
from svcdesk_tui.people.retention import retention
from svcdesk_tui.queue.resolution import total
from svcdesk_tui.report.context import ReportContext
from svcdesk_tui.report.model import Column, Figure, Section, Table
from svcdesk_tui.report.service_desk import technical_service

# --- quality ------------------------------------------------------------------------------


def quality_section(ctx: ReportContext) -> Section:
    period = ctx.period.period
    center = total(ctx.handled.by_reason)
    scores = feedback_scores(ctx.session, period, ctx.settings)
    loops = complaint_quality(ctx.session, period)
    *_, complaints = repeat_rates(ctx.session, period, ctx.settings)
    figures = [
        Figure("fcr", "First-contact resolution", "rate", center.fcr),
        Figure("repeat_call_rate", "Repeat-call rate", "rate", center.repeat_call_rate),
        Figure("complaints_resolved", "Complaints resolved", "count", loops.resolved),
        Figure("close_the_loop_rate", "Close-the-loop rate", "rate", loops.close_the_loop_rate),
        Figure("unconfirmed_closes", "Closed unconfirmed", "count", loops.unconfirmed),
        Figure(
            "unconfirmed_close_rate",
            "Closed unconfirmed (share)",
            "rate",
            loops.unconfirmed_close_rate,
        ),
        Figure("repeat_complaint_rate", "Repeat-complaint rate", "rate", complaints.rate),
        Figure("csat", "CSAT (answers of 4–5)", "rate", scores.csat),
        Figure("csat_responses", "CSAT answers", "count", scores.csat_responses),
        Figure("nps", "NPS (−100 to +100)", "score", scores.nps),
        Figure("nps_responses", "NPS answers", "count", scores.nps_responses),
        Figure("detractors", "Detractors", "count", scores.detractors),
        Figure(
            "detractors_followed_up",
            "Detractors followed up in time",
            "rate",
            scores.detractor_followup_rate,
        ),
    ]
    owners = Table(
        "repeat_complaints_by_owner",
        "Repeat complaints by owner of the earlier complaint",
        [Column("owner", "Owner", "text"), Column("repeat_complaints", "Repeats")],
        [
            {"owner": owner, "repeat_complaints": count}
            for owner, count in repeat_flags_by_owner(ctx.session, period)
        ],
    )
    window = ctx.settings.fcr_window_days
    notes = [
        f"FCR and repeat calls use a {window}-day window; calls of the last {window} days "
        "count as resolved until a repeat arrives.",
        "Complaint figures: complaints resolved (close the loop, unconfirmed) or closed "
        f"(repeat within {ctx.settings.repeat_complaint_window_days} days) in the period.",
    ]
    service = technical_service(ctx)
    figures += service.figures
    notes += service.notes
    tables = [owners, *service.tables]
    return Section("quality", "Quality", figures=figures, tables=tables, notes=notes)


# --- escalations --------------------------------------------------------------------------


def escalations_section(ctx: ReportContext) -> Section:
    period, tz = ctx.period.period, zone(ctx.period.timezone)
    center = escalation_measures(ctx.session, period, answered=ctx.queues[-1].answered)
    listed = executive_escalations(ctx.session, period)
    per_1000 = center.per_1000_calls
    figures = [
        Figure("escalations_raised", "Escalations raised", "count", center.escalations),
        Figure(
            "escalations_per_1000_calls",
            "Per 1,000 answered calls",
            "number",
            None if per_1000 is None else round(per_1000, 2),
        ),
        Figure("reached_manager", "Reached the service manager", "count", center.reached_manager),
        Figure(
            "resolved_at_manager", "Resolved by the manager", "count", center.resolved_at_manager
        ),
        Figure("hardest_call_index", "Hardest-call index", "rate", center.hardest_call_index),
        Figure(
            "reached_executive",
            "Reached the executive (target 0)",
            "count",
            center.reached_executive,
        ),
        Figure(
            "executive_status",
            "Executive level",
            "status",
            "executive" if center.reached_executive else "ok",
        ),
        Figure(
            "median_resolution_seconds",
            "Median time to resolution",
            "seconds",
            center.median_resolution_seconds,
        ),
    ]
    levels = Table(
        "resolved_by_level",
        "Resolved per rung",
        [
            Column("level", "Rung", "text"),
            Column("resolved", "Resolved"),
            Column("share", "Share", "rate"),
        ],
        [
            {"level": lv.name, "resolved": lv.resolved, "share": center.share_resolved_at(lv.rank)}
            for lv in center.resolved_by_level
        ],
    )
    managers = Table(
        "by_manager",
        "Per service manager (escalations that reached the manager)",
        [
            Column("manager", "Manager", "text"),
            Column("escalations", "Reached"),
            Column("resolved_at_manager", "Resolved there"),
            Column("hardest_call_index", "Index", "rate"),
            Column("reached_executive", "To executive"),
            Column("median_resolution_seconds", "Median time", "seconds"),
        ],
        [
            {
                "manager": m.label,
                "escalations": m.escalations,
                "resolved_at_manager": m.resolved_at_manager,
                "hardest_call_index": m.hardest_call_index,
                "reached_executive": m.reached_executive,
                "median_resolution_seconds": m.median_resolution_seconds,
            }
            for m in measures_by_manager(ctx.session, period)
        ],
    )
    executive = Table(
        "reached_executive",
        "Every escalation that reached the executive",
        [
            Column("id", "#", "text"),
            Column("raised_at", "Raised", "datetime"),
            Column("customer", "Customer", "text"),
            Column("raised_by", "Raised by", "text"),
            Column("anger", "Anger"),
            Column("state", "State", "text"),
            Column("resolved_at", "Resolved", "datetime"),
            Column("reason", "Reason", "text"),
        ],
        [
            {
                "id": e.id,
                "raised_at": e.raised_at.astimezone(tz),
                "customer": e.customer,
                "raised_by": e.raised_by,
                "anger": e.anger,
                "state": e.state,
                "resolved_at": e.resolved_at.astimezone(tz) if e.resolved_at else None,
                "reason": e.reason,
            }
            for e in listed
        ],
    )
    return Section(
        "escalations",
        "Escalations: the hardest call",
        figures=figures,
        tables=[levels, managers, executive],
        notes=[
            "Hardest-call index: resolved at the manager level ÷ reached the manager level. "
            "An escalation counts in the period it was first raised."
        ],
    )


def retention_section(ctx: ReportContext) -> Section:
    r = retention(ctx.session, ctx.period.first, ctx.period.last)
    figures = [
        Figure("headcount", "Agents (last day)", "count", r.headcount_end),
        Figure("headcount_start", "Agents (first day)", "count", r.headcount_start),
        Figure("joiners", "Joiners", "count", r.joiners),
        Figure("leavers", "Leavers", "count", r.leavers),
        Figure("attrition", "Attrition (leavers ÷ mean headcount)", "rate", r.attrition),
        Figure("median_tenure_days", "Median tenure of agents", "days", r.median_tenure_days),
        Figure(
            "median_tenure_leavers_days",
            "Median tenure of leavers",
            "days",
            r.median_tenure_leavers_days,
        ),
    ]
    return Section("retention", "Staff retention", figures=figures)


def _who(names: list[str], most: int = 3) -> str | None:
    if not names:
        return None
    return ", ".join(names) if len(names) <= most else f"{len(names)} people"


def caribbean_section(ctx: ReportContext) -> Section:
    day = ctx.period.last
    test = analyse(ctx.session, on=day, settings=ctx.settings)
    single_procedures = [c for c in test.coverage if c.depth == 1]
    single_approvals = [a for a in test.approvals if a.depth == 1]
    status = {"breach": "breach", "risk": "at risk", "ok": "ok"}
    rows = [
        {
            "kind": "procedure",
            "name": c.procedure.name,
            "critical": c.procedure.critical,
            "depth": c.depth,
            "required": c.required,
            "who": _who(list(c.doers)),
            "status": status.get(c.severity, c.severity),
            "findings": "; ".join(f.reason for f in c.findings),
        }
        for c in test.coverage
        if c.findings
    ] + [
        {
            "kind": "approval",
            "name": a.kind,
            "critical": True,
            "depth": a.depth,
            "required": a.required,
            "who": _who(list(a.holders)),
            "status": status.get(a.severity, a.severity),
            "findings": "; ".join(f.reason for f in a.findings),
        }
        for a in test.approvals
        if a.findings
    ]
    rows.sort(key=lambda r: (r["status"] != "breach", r["kind"], r["name"]))
    figures = [
        Figure(
            "single_person_procedures",
            "Procedures only one person can do",
            "count",
            len(single_procedures),
        ),
        Figure(
            "single_person_approvals",
            "Approvals only one person can give",
            "count",
            len(single_approvals),
        ),
        Figure(
            "uncovered_procedures",
            "Procedures nobody can do alone",
            "count",
            sum(c.depth == 0 for c in test.coverage),
        ),
        Figure(
            "undocumented_procedures",
            "Undocumented procedures",
            "count",
            sum(not c.procedure.documented for c in test.coverage),
        ),
        Figure(
            "bus_factor",
            "Bus factor (people the center cannot lose)",
            "count",
            test.bus_factor.size,
        ),
        Figure(
            "caribbean_gap_days",
            "What-if days a critical procedure has nobody",
            "count",
            test.what_if.days_critical_uncovered,
        ),
    ]
    columns = [
        Column("kind", "Kind", "text"),
        Column("name", "Name", "text"),
        Column("depth", "Depth"),
        Column("required", "Needed"),
        Column("who", "Who can", "text"),
        Column("status", "Status", "status"),
        Column("findings", "Findings", "text"),
    ]
    notes = [
        f"Judged on {day.isoformat()}, the last day of the period. What-if: {test.what_if.summary}"
    ]
    return Section(
        "caribbean",
        "The Caribbean test",
        figures=figures,
        tables=[Table("findings", "Single-person dependencies and other findings", columns, rows)],
        notes=notes,
    )

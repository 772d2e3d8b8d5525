"""The management report (``svcdesk report``): each section is a small function
that turns the shared measures into plain data (:mod:`.report_model`).

Sections never define a measure: they call the one function that defines it
(queue measures in :mod:`.metrics`, FCR in :mod:`.resolution`, …), so the
report shows the same numbers as the screens.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlmodel import Session

from svcdesk_tui.core.errors import InvalidInput
from svcdesk_tui.core.settings import CenterSettings
from svcdesk_tui.report.calls import (
    QUEUE_MEASURES,
    agents_section,
    load_section,
    queues_section,
    reasons_section,
)
from svcdesk_tui.report.context import ReportContext
from svcdesk_tui.report.model import Report, ReportPeriod, Section
from svcdesk_tui.report.monitoring import MEASURES as MONITORING_MEASURES
from svcdesk_tui.report.monitoring import monitoring_section
from svcdesk_tui.report.outcomes import (
    caribbean_section,
    escalations_section,
    quality_section,
    retention_section,
)
from svcdesk_tui.report.planning import forecast_section

PERIOD_KINDS = ("day", "week", "month", "year")


def resolve_period(
    kind: str, today: date, tz: str, since: date | None = None, until: date | None = None
) -> ReportPeriod:
    """The calendar period before ``today`` (``kind``), or ``since`` .. ``until`` inclusive."""
    if since or until:
        last = until or today
        first = since or last
        if first > last:
            raise InvalidInput(f"--since {first} is after --until {last}")
        return ReportPeriod("custom", first, last, tz)
    if kind == "day":
        first = last = today - timedelta(days=1)
    elif kind == "week":
        last = today - timedelta(days=today.weekday() + 1)
        first = last - timedelta(days=6)
    elif kind == "month":
        last = today.replace(day=1) - timedelta(days=1)
        first = last.replace(day=1)
    elif kind == "year":
        first, last = date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    else:
        raise InvalidInput(f"unknown period {kind!r}; use one of {', '.join(PERIOD_KINDS)}")
    return ReportPeriod(kind, first, last, tz)


SECTIONS: dict[str, Callable[[ReportContext], Section]] = {
    "queues": queues_section,
    "load": load_section,
    "agents": agents_section,
    "reasons": reasons_section,
    "quality": quality_section,
    "monitoring": monitoring_section,
    "escalations": escalations_section,
    "retention": retention_section,
    "caribbean": caribbean_section,
    "forecast": forecast_section,
}

MEASURE_SECTIONS: dict[str, str] = {
    **dict.fromkeys(
        (*QUEUE_MEASURES, "queues_breached"),
        "queues",
    ),
    **dict.fromkeys(("understaffed_hours", "peak_needed_agents"), "load"),
    **dict.fromkeys(("forecast_calls", "forecast_gaps"), "forecast"),
    **dict.fromkeys(("calls_per_logged_in_hour", "calls_per_shift", "occupancy"), "agents"),
    "top_reason_share": "reasons",
    **dict.fromkeys(
        (
            "fcr",
            "repeat_call_rate",
            "complaints_resolved",
            "close_the_loop_rate",
            "unconfirmed_closes",
            "unconfirmed_close_rate",
            "repeat_complaint_rate",
            "csat",
            "csat_responses",
            "nps",
            "nps_responses",
            "detractors",
            "detractors_followed_up",
            "first_time_fix",
            "leads",
        ),
        "quality",
    ),
    **dict.fromkeys(MONITORING_MEASURES, "monitoring"),
    **dict.fromkeys(
        (
            "escalations_raised",
            "escalations_per_1000_calls",
            "reached_manager",
            "resolved_at_manager",
            "hardest_call_index",
            "reached_executive",
            "median_resolution_seconds",
        ),
        "escalations",
    ),
    **dict.fromkeys(
        (
            "single_person_procedures",
            "single_person_approvals",
            "uncovered_procedures",
            "undocumented_procedures",
            "bus_factor",
            "caribbean_gap_days",
        ),
        "caribbean",
    ),
    **dict.fromkeys(
        (
            "headcount",
            "headcount_start",
            "joiners",
            "leavers",
            "attrition",
            "median_tenure_days",
            "median_tenure_leavers_days",
        ),
        "retention",
    ),
}
"""Every measure ``--fail-on`` knows, and the section that computes it."""


def check_sections(names: list[str] | None) -> list[str]:
    """The sections asked for, in report order (all when none are named)."""
    if not names:
        return list(SECTIONS)
    unknown = [name for name in names if name not in SECTIONS]
    if unknown:
        raise InvalidInput(f"unknown section {unknown[0]!r}; sections are: {', '.join(SECTIONS)}")
    return [name for name in SECTIONS if name in names]


def build_report(
    session: Session,
    *,
    settings: CenterSettings,
    center: str,
    period: ReportPeriod,
    now: datetime,
    sections: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Compute the chosen sections in one read session (one consistent snapshot)."""
    ctx = ReportContext(session, settings, period, now)
    built = []
    for name in check_sections(sections):
        if progress:
            progress(name)
        built.append(SECTIONS[name](ctx))
    return Report(center=center, period=period, generated_at=now, sections=built)

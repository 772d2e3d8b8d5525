"""The report's `monitoring` section: what listening to the calls found.

Quality score per agent and team, critical fails, the items most often missed,
calibration spread, and each agent's quality beside the customer's word (CSAT)
and the calls' outcome (FCR). Every figure is defined once (docs/measures.md).
"""

from __future__ import annotations

from collections.abc import Sequence

from svcdesk_tui.monitoring.measures import (
    MissedItem,
    calibration_by_team,
    center_calibration,
    center_quality,
    evaluated_calls,
    missed_by_agent,
    most_missed,
    quality_by_agent,
    quality_by_team,
    worst_item,
)
from svcdesk_tui.queue.agent_measures import csat_by_agent
from svcdesk_tui.queue.resolution import resolution_of_calls
from svcdesk_tui.report.context import ReportContext
from svcdesk_tui.report.model import Column, Figure, Kind, Section, Table

MEASURES = (
    "evaluations",
    "quality_score",
    "critical_fails",
    "critical_fail_rate",
    "calibrated_calls",
    "calibration_spread",
)
"""The section's names for ``--fail-on``."""


Spec = tuple[str, str, Kind, str]
"""A figure or a column: its key, label and kind, and the attribute of the item it reads."""

TEAM: Spec = ("team", "Team", "text", "name")
CENTER_FIGURES: list[Spec] = [
    ("evaluations", "Calls evaluated", "count", "evaluations"),
    ("quality_score", "Quality score", "rate", "score"),
    ("critical_fails", "Critical fails", "count", "critical_fails"),
    ("critical_fail_rate", "Critical-fail rate", "rate", "critical_fail_rate"),
]
CALIBRATION_FIGURES: list[Spec] = [
    ("calibrated_calls", "Calls scored by two or more", "count", "calls"),
    ("calibration_spread", "Calibration spread", "rate", "spread"),
]
TEAM_COLUMNS: list[Spec] = [
    TEAM,
    ("evaluations", "Evaluated", "count", "evaluations"),
    ("quality_score", "Quality", "rate", "score"),
    ("critical_fail_rate", "Critical fails", "rate", "critical_fail_rate"),
]
MISSED_COLUMNS: list[Spec] = [
    ("item", "Item", "text", "code"),
    ("text", "Question", "text", "text"),
    ("answered", "Answered", "count", "answered"),
    ("missed", "Missed", "count", "missed"),
    ("missed_share", "Missed %", "rate", "missed_share"),
]
CALIBRATION_COLUMNS: list[Spec] = [
    TEAM,
    ("calls", "Calls", "count", "calls"),
    ("spread", "Mean spread", "rate", "spread"),
    ("widest", "Widest", "rate", "widest"),
]


def monitoring_section(ctx: ReportContext) -> Section:
    period = ctx.period.period
    missed = missed_by_agent(ctx.session, period)
    teams = quality_by_team(ctx.session, period)
    calibration = calibration_by_team(ctx.session, period)
    figures = _figures(CENTER_FIGURES, center_quality(teams))
    figures += _figures(CALIBRATION_FIGURES, center_calibration(calibration))
    return Section(
        "monitoring",
        "Quality monitoring",
        figures=figures,
        tables=[
            _agents(ctx, worst_item(missed)),
            _table("by_team", "Per team (the agents of one lead)", TEAM_COLUMNS, teams),
            _table(
                "most_missed",
                "Items most often missed (what to train next)",
                MISSED_COLUMNS,
                most_missed(missed),
            ),
            _table(
                "calibration",
                "Calibration: calls scored by two or more evaluators",
                CALIBRATION_COLUMNS,
                calibration,
            ),
        ],
        notes=[
            "Evaluations made in the period; a calibration (a second evaluator's look at a call) "
            "counts only in the spread, an overturned dispute nowhere. A critical item not "
            "fully met scores the call 0. FCR per agent is that of the evaluated calls "
            "themselves (did a call judged well stay solved?); CSAT is of all the agent's "
            "calls (the agents section has FCR over all of them)."
        ],
    )


def _agents(ctx: ReportContext, missed: dict[int, MissedItem]) -> Table:
    period = ctx.period.period
    outcomes = resolution_of_calls(
        ctx.session, evaluated_calls(period), ctx.settings.fcr_window_days
    )
    csat = csat_by_agent(ctx.session, period)
    rows = []
    for agent in quality_by_agent(ctx.session, period):
        resolution = outcomes.get(agent.key)
        scores = csat.get(agent.key) if agent.key is not None else None
        rows.append(
            {
                "agent": agent.name,
                "evaluations": agent.evaluations,
                "quality_score": agent.score,
                "critical_fails": agent.critical_fails,
                "most_missed": _missed_words(missed.get(agent.key or 0)),
                "fcr": resolution.fcr if resolution else None,
                "csat": scores.csat if scores else None,
                "csat_responses": scores.csat_responses if scores else 0,
            }
        )
    return Table(
        "by_agent",
        "Per agent: quality beside the outcome of the same calls (FCR) and the customer's "
        "word (CSAT)",
        [
            Column("agent", "Agent", "text"),
            Column("evaluations", "Evaluated"),
            Column("quality_score", "Quality", "rate"),
            Column("critical_fails", "Crit. fails"),
            Column("most_missed", "Most missed", "text"),
            Column("fcr", "FCR (these calls)", "rate"),
            Column("csat", "CSAT", "rate"),
            Column("csat_responses", "CSAT answers"),
        ],
        rows,
    )


def _missed_words(item: MissedItem | None) -> str | None:
    if item is None or item.missed_share is None:
        return None
    return f"{item.code} {item.missed_share:.0%}"


def _figures(specs: list[Spec], item: object) -> list[Figure]:
    """The figures that each read one attribute of ``item``."""
    return [Figure(key, label, kind, getattr(item, attr)) for key, label, kind, attr in specs]


def _table(key: str, title: str, columns: list[Spec], items: Sequence[object]) -> Table:
    """A table whose columns (key, label, kind, attribute) each read one attribute of an item."""
    return Table(
        key,
        title,
        [Column(name, label, kind) for name, label, kind, _ in columns],
        [{name: getattr(item, attr) for name, _, _, attr in columns} for item in items],
    )

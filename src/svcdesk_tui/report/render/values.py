"""How a raw report value reads for people (text, markdown, html), by its kind."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from svcdesk_tui.core.formatting import duration
from svcdesk_tui.report.model import Kind, Report

NONE = "—"
RIGHT = {"count", "number", "rate", "score", "seconds", "days"}


_CONTROL = dict.fromkeys([*range(0x20), *range(0x7F, 0xA0)], " ")


def clean(text: str) -> str:
    """Text from the store with control characters (escapes, newlines) made spaces."""
    return text.translate(_CONTROL)


def show(value: Any, kind: Kind) -> str:
    """How ``value`` reads for people; never contains control characters."""
    return clean(_show(value, kind))


def _show(value: Any, kind: Kind) -> str:
    if value is None:
        return NONE
    if kind == "count":
        return f"{value:,}"
    if kind == "number":
        return f"{value:,.1f}"
    if kind == "rate":
        return f"{value * 100:.1f}%"
    if kind == "score":
        return f"{value:+.0f}"
    if kind == "seconds":
        return duration(value)
    if kind == "days":
        return f"{value:,.0f} d"
    if kind == "datetime" and isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if kind == "date" and isinstance(value, date):
        return value.isoformat()
    return str(value)


def heading(report: Report) -> tuple[str, str]:
    """Title line and the period line shared by the human formats."""
    period = report.period
    generated = report.generated_at.strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"{clean(report.center)}: {clean(report.title)}",
        f"Period: {period.label} ({period.kind}, {period.days} day"
        f"{'s' if period.days != 1 else ''}, time zone {period.timezone}). "
        f"Generated {generated}.",
    )


def threshold_lines(report: Report) -> list[str]:
    lines = []
    for t in report.thresholds:
        if t.value is None:
            lines.append(f"{t.expression}: not checked, nothing to measure")
        else:
            verdict = "BREACHED" if t.breached else "ok"
            lines.append(f"{t.expression}: {verdict} (measured {t.value:.4g})")
    return lines

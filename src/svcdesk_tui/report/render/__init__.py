"""Report writers: one module per format, each a ``render(report, color=...) -> str``."""

from __future__ import annotations

from collections.abc import Callable

from svcdesk_tui.report.model import Report
from svcdesk_tui.report.render import csv, html, json, markdown, text

FORMATS: dict[str, Callable[..., str]] = {
    "text": text.render,
    "markdown": markdown.render,
    "csv": csv.render,
    "json": json.render,
    "html": html.render,
}


def render(report: Report, fmt: str, *, color: bool = False) -> str:
    """The report in ``fmt``; ``color`` only affects text meant for a terminal."""
    return FORMATS[fmt](report, color=color)

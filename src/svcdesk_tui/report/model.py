"""The report as plain data: sections of figures and tables that every renderer
(text, markdown, csv, json, html) formats the same generic way.

Values are raw: durations in seconds, rates as fractions, times as aware
datetimes in the center's zone, counts as ints; ``None`` means "no value".
The ``kind`` of a figure or column tells a renderer how to show the value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

from svcdesk_tui.core.periods import Period, days_period

Kind = Literal[
    "text", "count", "number", "rate", "score", "seconds", "days", "date", "datetime", "status"
]
"""rate: fraction 0–1; score: −100 to +100 (NPS); seconds/days: durations;
status: a word that also carries a colour (see ``STATUS_COLOURS``)."""

STATUS_COLOURS = {
    "breach": "red",
    "understaffed": "red",
    "executive": "red",
    "single person": "red",
    "at risk": "yellow",
    "ok": "green",
}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: Kind = "count"


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    kind: Kind
    value: Any


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    total: dict[str, Any] | None = None
    note: str | None = None


@dataclass(frozen=True)
class Chart:
    """Curves over one day's intervals (index × ``interval_minutes`` from midnight).

    The HTML report draws them; the other formats carry the same figures as tables.
    """

    key: str
    title: str
    interval_minutes: int
    series: dict[str, list[float]]


@dataclass
class Section:
    key: str
    title: str
    available: bool = True
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    measures: dict[str, Any] = field(default_factory=dict)
    """Headline values that are not figures (e.g. the queue total), for ``--fail-on``."""
    charts: list[Chart] = field(default_factory=list)


@dataclass(frozen=True)
class ReportPeriod:
    """Local calendar days ``first`` .. ``last`` (inclusive) in ``timezone``."""

    kind: str
    first: date
    last: date
    timezone: str

    @property
    def period(self) -> Period:
        return days_period(self.first, self.last + timedelta(days=1), self.timezone)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def label(self) -> str:
        if self.first == self.last:
            return self.first.isoformat()
        return f"{self.first.isoformat()} to {self.last.isoformat()}"


@dataclass(frozen=True)
class ThresholdResult:
    expression: str
    name: str
    op: str
    limit: float
    value: float | None
    breached: bool


@dataclass
class Report:
    center: str
    period: ReportPeriod
    generated_at: datetime
    sections: list[Section]
    thresholds: list[ThresholdResult] = field(default_factory=list)
    title: str = "management report"

    def measures(self) -> dict[str, Any]:
        """Every numeric headline figure by key: what ``--fail-on`` can test."""
        found: dict[str, Any] = {}
        for section in self.sections:
            found.update(section.measures)
            found.update(
                (figure.key, figure.value)
                for figure in section.figures
                if figure.kind not in ("text", "date", "datetime", "status")
            )
        return found

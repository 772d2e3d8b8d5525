"""JSON for other tools: the stable schema of docs/report-json.md (``svcdesk-report/1``).

snake_case names; durations in seconds; rates as fractions 0–1 (NPS, a score: −100–100);
times as ISO 8601 with the center's UTC offset; ``null`` for no value.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from svcdesk_tui.core.periods import zone
from svcdesk_tui.report.model import Report, Section

SCHEMA = "svcdesk-report/1"


def plain(value: Any) -> Any:
    """A raw report value as a JSON value."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 6)
    return value


def _row(row: dict[str, Any]) -> dict[str, Any]:
    return {key: plain(value) for key, value in row.items()}


def _section(section: Section) -> dict[str, Any]:
    out: dict[str, Any] = {
        "title": section.title,
        "available": section.available,
        "notes": section.notes,
        "figures": None,
        "tables": None,
    }
    if section.available or section.figures:
        out["figures"] = {f.key: plain(f.value) for f in section.figures}
    if section.available:
        out["tables"] = {
            t.key: {
                "title": t.title,
                "columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in t.columns],
                "rows": [_row(r) for r in t.rows],
                "total": _row(t.total) if t.total is not None else None,
                "note": t.note,
            }
            for t in section.tables
        }
    return out


def document(report: Report) -> dict[str, Any]:
    """The report as the documented JSON object."""
    p = report.period
    tz = zone(p.timezone)
    return {
        "schema": SCHEMA,
        "center": report.center,
        "generated_at": report.generated_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "period": {
            "kind": p.kind,
            "first_day": p.first.isoformat(),
            "last_day": p.last.isoformat(),
            "days": p.days,
            "timezone": p.timezone,
            "since": datetime.combine(p.first, time(), tz).isoformat(),
            "until": datetime.combine(p.last + timedelta(days=1), time(), tz).isoformat(),
        },
        "measures": {k: plain(v) for k, v in report.measures().items()},
        "sections": {s.key: _section(s) for s in report.sections},
        "thresholds": [
            {
                "expression": t.expression,
                "name": t.name,
                "op": t.op,
                "limit": t.limit,
                "value": plain(t.value),
                "breached": t.breached,
            }
            for t in report.thresholds
        ],
    }


def render(report: Report, *, color: bool = False) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"

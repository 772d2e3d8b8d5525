"""CSV for spreadsheets: blocks separated by a blank line, raw values as in JSON.

The first block lists every figure (``section,name,value``, plus each section's
``available`` flag); then one block per table whose header is
``section,table,row,<column keys>`` and whose ``row`` is ``row`` or ``total``.
"""

from __future__ import annotations

import csv
import io

from svcdesk_tui.report.model import Report
from svcdesk_tui.report.render.json import plain

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value[:1] in _FORMULA:
        return "'" + value  # a spreadsheet must not run a customer's name as a formula
    return value


def render(report: Report, *, color: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["section", "name", "value"])
    for section in report.sections:
        writer.writerow([section.key, "available", _cell(section.available)])
        for figure in section.figures:
            writer.writerow([section.key, figure.key, _cell(figure.value)])
    for t in report.thresholds:
        writer.writerow(["thresholds", t.expression, _cell(t.breached)])
    for section in report.sections:
        for table in section.tables:
            writer.writerow([])
            writer.writerow(["section", "table", "row", *(c.key for c in table.columns)])
            rows = [("row", r) for r in table.rows]
            if table.total is not None:
                rows.append(("total", table.total))
            for kind, row in rows:
                cells = [_cell(row.get(c.key)) for c in table.columns]
                writer.writerow([section.key, table.key, kind, *cells])
    return buffer.getvalue()

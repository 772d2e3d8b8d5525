"""Markdown: pipe tables padded so the source reads well in a plain-text mail too."""

from __future__ import annotations

import textwrap

from svcdesk_tui.report.model import Report, Table
from svcdesk_tui.report.render.text import NOTE_WIDTH
from svcdesk_tui.report.render.values import RIGHT, clean, heading, show, threshold_lines


def _escape(text: str) -> str:
    return text.replace("|", "\\|")


def table_lines(table: Table) -> list[str]:
    rows = [[_escape(show(row.get(c.key), c.kind)) for c in table.columns] for row in table.rows]
    if table.total is not None:
        rows.append([f"**{_escape(show(table.total.get(c.key), c.kind))}**" for c in table.columns])
    header = [_escape(c.label) for c in table.columns]
    widths = [
        max(3, *(len(cell) for cell in column)) for column in zip(header, *rows, strict=False)
    ]
    right = [c.kind in RIGHT for c in table.columns]

    def line(cells: list[str]) -> str:
        padded = [
            cell.rjust(w) if r else cell.ljust(w)
            for cell, w, r in zip(cells, widths, right, strict=False)
        ]
        return "| " + " | ".join(padded) + " |"

    rule = (
        "| "
        + " | ".join(
            ("-" * (w - 1) + ":") if r else "-" * w for w, r in zip(widths, right, strict=False)
        )
        + " |"
    )
    lines = [f"### {table.title}", ""]
    if not table.rows:
        return [*lines, "_Nothing in this period._", ""]
    lines += [line(header), rule, *(line(r) for r in rows), ""]
    if table.note:
        lines += [f"_{table.note}_", ""]
    return lines


def render(report: Report, *, color: bool = False) -> str:
    title, period = heading(report)
    lines = [f"# {title}", "", period, ""]
    for section in report.sections:
        lines += [f"## {section.title}", ""]
        if section.figures:
            width = max(len(f.label) for f in section.figures)
            lines += [
                f"- {f.label + ':':<{width + 1}} {show(f.value, f.kind)}" for f in section.figures
            ]
            lines.append("")
        for table in section.tables:
            lines += table_lines(table)
        for note in section.notes:
            lines += [*textwrap.wrap(f"_{_escape(clean(note))}_", NOTE_WIDTH), ""]
    if report.thresholds:
        lines += ["## Thresholds", "", *(f"- {line}" for line in threshold_lines(report)), ""]
    return "\n".join(lines).rstrip("\n") + "\n"

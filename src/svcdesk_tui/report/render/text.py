"""Plain text for mail and terminals: aligned tables, colour only when asked for."""

from __future__ import annotations

import textwrap

from svcdesk_tui.report.model import STATUS_COLOURS, Column, Report, Section, Table
from svcdesk_tui.report.render.values import RIGHT, clean, heading, show, threshold_lines

_ANSI = {"red": "\x1b[31m", "yellow": "\x1b[33m", "green": "\x1b[32m"}
_RESET = "\x1b[0m"
NOTE_WIDTH = 78
"""Notes are wrapped to this width so they read well in a mail."""


def _cell(text: str, width: int, column: Column, color: bool) -> str:
    padded = text.rjust(width) if column.kind in RIGHT else text.ljust(width)
    if color and column.kind == "status" and text in STATUS_COLOURS:
        return f"{_ANSI[STATUS_COLOURS[text]]}{padded}{_RESET}"
    return padded


def table_lines(table: Table, *, color: bool = False) -> list[str]:
    rows = [[show(row.get(c.key), c.kind) for c in table.columns] for row in table.rows]
    if table.total is not None:
        rows.append([show(table.total.get(c.key), c.kind) for c in table.columns])
    header = [c.label for c in table.columns]
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=False)]
    rule = ["-" * w for w in widths]

    def line(cells: list[str], *, plain: bool = False) -> str:
        parts = [
            cell.ljust(w) if plain else _cell(cell, w, c, color)
            for cell, w, c in zip(cells, widths, table.columns, strict=False)
        ]
        return "  ".join(parts).rstrip()

    if not table.rows:
        return [table.title, "(nothing in this period)"]
    lines = [table.title, line(header, plain=True), line(rule, plain=True)]
    body = [line(r) for r in rows]
    if table.total is not None:
        body.insert(len(body) - 1, line(rule, plain=True))
    lines.extend(body)
    if table.note:
        lines.append(table.note)
    return lines


def section_lines(section: Section, *, color: bool = False) -> list[str]:
    title = section.title.upper()
    lines = [title, "=" * len(title)]
    if section.figures:
        width = max(len(f.label) for f in section.figures)
        lines += [f"{f.label + ':':<{width + 1}}  {show(f.value, f.kind)}" for f in section.figures]
        lines.append("")
    for table in section.tables:
        lines += [*table_lines(table, color=color), ""]
    for note in section.notes:
        lines += textwrap.wrap(f"Note: {clean(note)}", NOTE_WIDTH, subsequent_indent="      ")
    while lines and not lines[-1]:
        lines.pop()
    return lines


def render(report: Report, *, color: bool = False) -> str:
    title, period = heading(report)
    lines = [title, period, ""]
    for section in report.sections:
        lines += [*section_lines(section, color=color), ""]
    if report.thresholds:
        lines += ["THRESHOLDS", "==========", *threshold_lines(report), ""]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"

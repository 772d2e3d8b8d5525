"""HTML: one self-contained file (inline CSS, no scripts, no external assets).

Status words keep their colour as a class, and the word itself is always shown.
"""

from __future__ import annotations

from html import escape

from svcdesk_tui.report.model import STATUS_COLOURS, Report, Table
from svcdesk_tui.report.render.svg import chart_svg
from svcdesk_tui.report.render.values import RIGHT, heading, show, threshold_lines

_CSS = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #222; }
h1 { font-size: 1.5em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; }
table { border-collapse: collapse; margin: .5em 0 1.5em; }
th, td { padding: .25em .7em; border-bottom: 1px solid #e4e4e4; }
th { text-align: left; background: #f3f3f3; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; border-top: 2px solid #999; }
.red { color: #b00020; font-weight: bold; } .yellow { color: #8a6d00; }
.green { color: #1b6e20; } .note { color: #555; font-style: italic; }
dl { display: grid; grid-template-columns: max-content auto; gap: .2em 1.5em; }
dt { color: #555; } dd { margin: 0; font-variant-numeric: tabular-nums; }
"""


def _table(table: Table) -> list[str]:
    out = [f"<h3>{escape(table.title)}</h3>"]
    if not table.rows:
        return [*out, '<p class="note">Nothing in this period.</p>']
    head = "".join(
        f'<th class="{"num" if c.kind in RIGHT else ""}">{escape(c.label)}</th>'
        for c in table.columns
    )
    out += ["<table>", f"<thead><tr>{head}</tr></thead>", "<tbody>"]
    rows = [(r, "") for r in table.rows]
    if table.total is not None:
        rows.append((table.total, ' class="total"'))
    for row, attrs in rows:
        cells = []
        for c in table.columns:
            text = show(row.get(c.key), c.kind)
            classes = ["num"] if c.kind in RIGHT else []
            if c.kind == "status" and text in STATUS_COLOURS:
                classes.append(STATUS_COLOURS[text])
            cells.append(f'<td class="{" ".join(classes)}">{escape(text)}</td>')
        out.append(f"<tr{attrs}>{''.join(cells)}</tr>")
    out += ["</tbody>", "</table>"]
    if table.note:
        out.append(f'<p class="note">{escape(table.note)}</p>')
    return out


def render(report: Report, *, color: bool = False) -> str:
    title, period = heading(report)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f"<p>{escape(period)}</p>",
    ]
    for section in report.sections:
        out.append(f'<section id="{escape(section.key)}"><h2>{escape(section.title)}</h2>')
        if section.figures:
            out.append("<dl>")
            out += [
                f"<dt>{escape(f.label)}</dt><dd>{escape(show(f.value, f.kind))}</dd>"
                for f in section.figures
            ]
            out.append("</dl>")
        for table in section.tables:
            out += _table(table)
        out += [chart_svg(chart) for chart in section.charts]
        out += [f'<p class="note">{escape(note)}</p>' for note in section.notes]
        out.append("</section>")
    if report.thresholds:
        out.append('<section id="thresholds"><h2>Thresholds</h2><ul>')
        for line, t in zip(threshold_lines(report), report.thresholds, strict=False):
            css = ' class="red"' if t.breached else ""
            out.append(f"<li{css}>{escape(line)}</li>")
        out.append("</ul></section>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"

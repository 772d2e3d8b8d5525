"""A report chart as an inline SVG picture: one polyline per series, hours along the bottom."""

from __future__ import annotations

from html import escape

from svcdesk_tui.report.model import Chart

WIDTH, HEIGHT, PAD = 720, 240, 36
COLOURS = ("#1f5fbf", "#b00020", "#1b6e20", "#8a6d00")


def chart_svg(chart: Chart) -> str:
    values = [v for series in chart.series.values() for v in series]
    slots = max((len(s) for s in chart.series.values()), default=0)
    busy = [i for i in range(slots) if any(s[i] for s in chart.series.values())]
    if not busy:
        return f'<p class="note">{escape(chart.title)}: nothing forecast.</p>'
    first, last = busy[0], busy[-1]
    top = max(values) or 1.0
    span = max(1, last - first)

    def x(i: int) -> float:
        return PAD + (WIDTH - 2 * PAD) * (i - first) / span

    def y(v: float) -> float:
        return HEIGHT - PAD - (HEIGHT - 2 * PAD) * v / top

    out = [
        f'<figure><svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(chart.title)}">',
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        'stroke="#999"/>',
        f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{HEIGHT - PAD}" stroke="#999"/>',
        f'<text x="{PAD - 4}" y="{PAD + 4}" text-anchor="end" font-size="11">{top:.0f}</text>',
    ]
    per_hour = 60 // chart.interval_minutes
    for i in range(first, last + 1):
        if i % per_hour == 0:
            out.append(
                f'<text x="{x(i):.1f}" y="{HEIGHT - PAD + 14}" text-anchor="middle" '
                f'font-size="11">{i // per_hour:02d}</text>'
            )
    for n, (name, series) in enumerate(chart.series.items()):
        colour = COLOURS[n % len(COLOURS)]
        points = " ".join(f"{x(i):.1f},{y(series[i]):.1f}" for i in range(first, last + 1))
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>')
        out.append(
            f'<text x="{WIDTH - PAD}" y="{PAD + 14 * n}" text-anchor="end" font-size="12" '
            f'fill="{colour}">{escape(name)}</text>'
        )
    out.append(f"</svg><figcaption>{escape(chart.title)}</figcaption></figure>")
    return "\n".join(out)

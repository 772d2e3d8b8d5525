"""The Load screen (key 6): the day by interval, in the terminal.

One chart at a time (``c`` turns to the next): offered calls against the
forecast, agents logged in against agents needed, or the service level through
the day against the queues' target. ``[`` and ``]`` pick the day before or
after, ``t`` comes back to today. Below: the next days' gaps in words.
"""

from __future__ import annotations

from datetime import date, timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static
from textual_plotext import PlotextPlot

from svcdesk_tui.core.formatting import percent
from svcdesk_tui.core.periods import local_date
from svcdesk_tui.planning.day import DayCurves, read_day
from svcdesk_tui.screens.common.desk import DeskScreen, Reader

CHARTS = ("calls", "agents", "service level")
GAPS_SHOWN = 4


class LoadScreen(DeskScreen[DayCurves]):
    """Today's curves by interval, any past day's, and the gaps of the days ahead."""

    BINDINGS = [
        Binding("left_square_bracket", "day(-1)", "Day before"),
        Binding("right_square_bracket", "day(1)", "Day after"),
        Binding("t", "today", "Today"),
        Binding("c", "chart", "Next chart"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.day: date | None = None
        self.chart = 0
        self.curves: DayCurves | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="load-status")
        yield PlotextPlot(id="load-plot")
        yield Static(id="load-gaps")
        yield Footer()

    def _today(self) -> date:
        return local_date(self.app.clock.now(), self.app.settings.timezone)

    def reader(self) -> Reader[DayCurves]:
        settings = self.app.settings
        day = self.day or self._today()
        today = self._today()
        return lambda session, now: read_day(session, settings, day, now=now, today=today)

    def show(self, data: DayCurves) -> None:
        self.curves = data
        self.say("#load-status", self._status(data))
        self._plot(data)
        lines = [f"Gaps in the next days' shifts ({len(data.gaps)}):"]
        lines += [f"  {gap.words()}" for gap in data.gaps[:GAPS_SHOWN]]
        if len(data.gaps) > GAPS_SHOWN:
            lines.append(f"  … and {len(data.gaps) - GAPS_SHOWN} more: svcdesk forecast")
        if not data.gaps:
            lines.append("  none: the shifts cover the need")
        self.say("#load-gaps", "\n".join(lines))

    def _status(self, data: DayCurves) -> str:
        offered, expected = sum(data.offered), sum(data.forecast)
        return (
            f"{data.day:%a %Y-%m-%d}  offered {offered:,} · forecast {expected:,.0f} · "
            f"SL {percent(data.day_service_level)} · chart: {CHARTS[self.chart]} (c)"
        )

    def _plot(self, data: DayCurves) -> None:
        widget = self.query_one("#load-plot", PlotextPlot)
        plt = widget.plt
        plt.clear_data()
        plt.clear_figure()
        span = data.open_slots()
        known = data.happened()

        def hours(slots: range) -> list[float]:
            return [s * data.interval_minutes / 60 for s in slots]

        chart = CHARTS[self.chart]
        if chart == "calls":
            plt.plot(hours(known), [data.offered[s] for s in known], label="offered")
            plt.plot(hours(span), [data.forecast[s] for s in span], label="forecast")
            plt.title("Calls per interval")
        elif chart == "agents":
            plt.plot(hours(known), [data.logged_in[s] for s in known], label="logged in")
            plt.plot(hours(span), [data.needed[s] for s in span], label="needed (Erlang A)")
            plt.title("Agents")
        else:
            shown = [(s * data.interval_minutes / 60, data.service_level[s]) for s in known]
            points = [(h, v * 100) for h, v in shown if v is not None]
            if points:
                plt.plot([h for h, _ in points], [v for _, v in points], label="SL %")
            plt.ylim(0, 100)
            plt.title("Service level through the day (%)")
        first, last = (
            span.start * data.interval_minutes // 60,
            span.stop * data.interval_minutes // 60,
        )
        ticks = list(range(first, last + 1, 2 if last - first > 8 else 1))
        plt.xticks([float(h) for h in ticks], [f"{h:02d}:00" for h in ticks])
        plt.xlabel("local time")
        widget.refresh()

    def action_day(self, step: int) -> None:
        self.day = (self.day or self._today()) + timedelta(days=step)
        self.reread()

    def action_today(self) -> None:
        self.day = None
        self.reread()

    def action_chart(self) -> None:
        self.chart = (self.chart + 1) % len(CHARTS)
        if self.curves is not None:
            self.say("#load-status", self._status(self.curves))
            self._plot(self.curves)

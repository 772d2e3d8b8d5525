"""LiveTable draws plain cells itself: the same characters in the same styles as Textual."""

from __future__ import annotations

import asyncio

from rich.segment import Segment
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from svcdesk_tui.widgets.live_table import LiveTable

ROWS = [
    ("a", ("12:05", "Sales", Text("NUISANCE", style="bold red"), Text(""), "—", "Ünïcödé 日本語")),
    ("b", (Text("3:01 late", style="bold red"), "Gold: 30 s", Text("ok"), "x" * 40, "", "tail")),
    (
        "c",
        ("[b]mark[/b]", ":smile: a:b", Text("ok", style="green"), "2\nlines", "t\tab", "日本" * 9),
    ),
    ("d", (Text("dim", style="dim"), "", Text("spans"), "", "", "")),
]
ROWS[3][1][2].stylize("bold", 0, 2)  # a Text with a span: Textual's way


def chars(lines: list[list[Segment]]) -> list[list[tuple[str, object]]]:
    return [[(ch, seg.style) for seg in line for ch in seg.text] for line in lines]


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield LiveTable("Wait", "Queue", "Flag", "Agreement", "Requests", "Caller", id="t")


def test_plain_cells_are_drawn_as_textual_draws_them() -> None:
    async def run() -> int:
        app = TableApp()
        compared = 0
        async with app.run_test(size=(100, 12)) as pilot:
            table = app.query_one(LiveTable)
            table.sync(ROWS)
            await pilot.pause()
            widths = [column.get_render_width(table) for column in table.ordered_columns]
            base = table.rich_style
            for row in range(len(ROWS)):
                for column, width in enumerate(widths):
                    for narrow in (width, 5, 2):
                        for cursor, hover in ((False, False), (True, False), (False, True)):
                            table._cell_render_cache.clear()
                            ours = table._render_cell(row, column, base, narrow, cursor, hover)
                            table._cell_render_cache.clear()
                            theirs = DataTable._render_cell(
                                table, row, column, base, narrow, cursor, hover
                            )
                            assert chars(ours) == chars(theirs), (row, column, narrow, cursor)
                            compared += 1
        return compared

    assert asyncio.run(run()) == len(ROWS) * 6 * 3 * 3

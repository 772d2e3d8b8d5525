"""A DataTable that follows a changing list of rows by updating cells in place.

Textual's ``update_cell`` forgets everything the table has drawn (its caches are
keyed on one counter that every update bumps) and repaints the whole table, so
a desk whose clocks move every second re-rendered every cell of every row on
screen each second. A cell that changes without growing is instead repainted
alone (:meth:`LiveTable._repaint_cells`): only that row's drawings are
forgotten and only its line is sent again.

A one-line cell of plain words (a string without markup, or a Text of one
style) is drawn straight into its segments (:meth:`LiveTable._render_cell`)
instead of through Rich's padding, styling and line splitting, which cost
about ten times as much: every arrival at the top of a table, every clock that
moves and every row scrolled into view draws cells.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

Cell = str | Text
Row = tuple[str, Sequence[Cell]]
_Quiet = dict[RowKey, set[ColumnKey]]  # cells changed in place, not yet repainted


class LiveTable(DataTable[Cell]):
    """Rows keyed by a stable id; :meth:`sync` touches only what changed."""

    def __init__(self, *columns: str, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self._columns = columns
        self._shown: dict[str, tuple[Cell, ...]] = {}
        self._order: list[str] = []

    def on_mount(self) -> None:
        for name in self._columns:
            self.add_column(name, key=name)

    @property
    def keys(self) -> list[str]:
        return list(self._order)

    def sync(self, rows: Sequence[Row]) -> None:
        """Make the table show ``rows`` in that order, keeping the cursor's row."""
        wanted = [key for key, _ in rows]
        wanted_set = set(wanted)  # once: built per row it made a tick quadratic in the rows
        kept = [key for key in self._order if key in wanted_set]
        if kept != wanted[: len(kept)]:
            self._rebuild(rows)
            return
        for key in set(self._order) - wanted_set:
            self.remove_row(key)
            del self._shown[key]
        quiet: _Quiet = {}
        for key, cells in rows:
            cells = tuple(cells)
            if key in self._shown:
                self._update(key, cells, quiet)
            else:
                self.add_row(*cells, key=key)
                self._shown[key] = cells
        self._order = wanted
        self._repaint(quiet)

    def touch(self, rows: Sequence[Row]) -> None:
        """Update the cells of rows already shown (their clocks); order and other rows stay."""
        quiet: _Quiet = {}
        for key, cells in rows:
            if key in self._shown:
                self._update(key, tuple(cells), quiet)
        self._repaint(quiet)

    def on_screen_span(self) -> range:
        """Where the rows now on screen are in the table's order (those worth painting)."""
        top = int(self.scroll_y)
        return range(top, min(len(self._order), top + self.size.height))

    def _update(self, key: str, cells: tuple[Cell, ...], quiet: _Quiet) -> None:
        """Change the row's cells; those that do not grow are left in ``quiet`` to repaint."""
        before = self._shown[key]
        if before == cells:
            return
        for name, old, new in zip(self._columns, before, cells, strict=True):
            if old == new:
                continue
            if _width(new) > _width(old):  # it may widen its column: a full layout
                self.update_cell(key, name, new, update_width=True)
            else:
                self._data[RowKey(key)][ColumnKey(name)] = new
                quiet.setdefault(RowKey(key), set()).add(ColumnKey(name))
        self._shown[key] = cells

    def _repaint(self, quiet: _Quiet) -> None:
        """Repaint the rows whose cells changed in place, and nothing else.

        The table's drawings of every other row stay valid; of these rows, the
        changed cells and the lines made of them are forgotten (rows here are
        one line high). Each cache is walked once, whatever the number of rows.
        """
        if not quiet:
            return
        lines: dict[int, int] = {}  # line in the table (header included) -> row index
        top = self.header_height if self.show_header else 0
        for row_key in quiet:
            index = self._row_locations.get(row_key)
            if index is not None:
                self._row_renderable_cache.discard((self._update_count, index))
                lines[top + index] = index
        # Textual's LRUCache is not iterable itself: its keys() is the way through
        cells, rows = list(self._cell_render_cache.keys()), list(self._row_render_cache.keys())
        for cell_key in cells:
            if cell_key[1] in quiet.get(cell_key[0], ()):
                self._cell_render_cache.discard(cell_key)
        for row_cache_key in rows:
            if row_cache_key[0] in quiet:
                self._row_render_cache.discard(row_cache_key)
        for line_key in list(self._line_cache.keys()):
            if line_key[0] in lines:
                self._line_cache.discard(line_key)
        for index in lines.values():
            self.refresh_row(index)

    def _rebuild(self, rows: Sequence[Row]) -> None:
        selected = self.selected_key
        self.clear()
        self._shown, self._order = {}, []
        for key, cells in rows:
            self.add_row(*cells, key=key)
            self._shown[key] = tuple(cells)
            self._order.append(key)
        if selected in self._shown:
            self.move_cursor(row=self._order.index(selected))

    def _render_cell(
        self, row: int, col: int, base: Style, width: int, cursor: bool = False, hover: bool = False
    ) -> list[list[Segment]]:
        """A plain one-line body cell as segments directly; anything else as Textual does.

        The same characters in the same styles as Textual's way (padding, the
        row's and the cursor's styles, the cell's own style), without Rich's
        renderable machinery; cached under Textual's own key.
        """
        row_key = self._row_locations.get_key(row)
        column_key = self._column_locations.get_key(col)
        line = self.rows.get(row_key) if row_key is not None else None
        if line is None or column_key is None or line.height != 1 or self.fixed_rows:
            return super()._render_cell(row, col, base, width, cursor, hover)
        key = (
            line.key,
            column_key,
            base,
            cursor,
            hover,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        cached = self._cell_render_cache.get(key)
        if cached is not None:
            return cached
        plain = _plain(self._data[line.key].get(column_key))
        pad = self.cell_padding
        if plain is None or width < 2 * pad or self.fixed_columns:
            return super()._render_cell(row, col, base, width, cursor, hover)
        words, own = plain
        component, post = self._get_styles_to_render_cell(
            False,
            False,
            False,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        outer = base + Style.from_meta({"row": row, "column": col})
        outer += component
        edge = outer + post
        inner = set_cell_size(words, width - 2 * pad)
        if not own:  # one style across the cell: one segment
            lines = [[Segment(" " * pad + inner + " " * pad, edge)]]
        else:
            text = words[: len(inner)] if cell_len(words) <= width - 2 * pad else inner
            rest = inner[len(text) :]
            lines = [
                [
                    Segment(" " * pad, edge),
                    Segment(text, outer + own + post),
                    Segment(rest + " " * pad, edge),
                ]
            ]
        self._cell_render_cache[key] = lines
        return lines

    @property
    def selected_key(self) -> str | None:
        """The key of the row under the cursor, if any."""
        if not self._order or not 0 <= self.cursor_row < len(self._order):
            return None
        return self._order[self.cursor_row]


_NOT_ONE_LINE = ("\n", "\t", "\r")  # lines and tabs: Rich's way


def _plain(datum: object) -> tuple[str, Style] | None:
    """The words and style of a cell drawn as one run of text, if it is that simple.

    A string is read as markup by Textual: one with a bracket or two colons
    (an emoji code) is left to it."""
    if isinstance(datum, str):
        if "[" in datum or datum.count(":") > 1 or any(m in datum for m in _NOT_ONE_LINE):
            return None
        return datum, Style.null()
    if isinstance(datum, Text):
        plain = datum.plain
        if datum.spans or datum.justify not in (None, "default", "left") or datum.overflow:
            return None
        if any(mark in plain for mark in _NOT_ONE_LINE):
            return None
        style = datum.style
        return plain, style if isinstance(style, Style) else Style.parse(style)
    return None


def _width(cell: Cell) -> int:
    return cell.cell_len if isinstance(cell, Text) else cell_len(cell)

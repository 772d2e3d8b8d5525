"""A DataTable that follows a changing list of rows by updating cells in place."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable

Cell = str | Text
Row = tuple[str, Sequence[Cell]]


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
        for key, cells in rows:
            cells = tuple(cells)
            if key in self._shown:
                self._update(key, cells)
            else:
                self.add_row(*cells, key=key)
                self._shown[key] = cells
        self._order = wanted

    def touch(self, rows: Sequence[Row]) -> None:
        """Update the cells of rows already shown (their clocks); order and other rows stay."""
        for key, cells in rows:
            if key in self._shown:
                self._update(key, tuple(cells))

    def on_screen_span(self) -> range:
        """Where the rows now on screen are in the table's order (those worth painting)."""
        top = int(self.scroll_y)
        return range(top, min(len(self._order), top + self.size.height))

    def _update(self, key: str, cells: tuple[Cell, ...]) -> None:
        before = self._shown[key]
        if before != cells:
            for name, old, new in zip(self._columns, before, cells, strict=True):
                if old != new:  # a cell that grows may widen its column: a full layout
                    wider = _width(new) > _width(old)
                    self.update_cell(key, name, new, update_width=wider)
            self._shown[key] = cells

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

    @property
    def selected_key(self) -> str | None:
        """The key of the row under the cursor, if any."""
        if not self._order or not 0 <= self.cursor_row < len(self._order):
            return None
        return self._order[self.cursor_row]


def _width(cell: Cell) -> int:
    return cell.cell_len if isinstance(cell, Text) else cell_len(cell)

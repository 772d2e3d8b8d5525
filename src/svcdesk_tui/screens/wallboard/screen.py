"""The wallboard: the queue in big figures for the whole floor, read-only.

It reads through the desk's base (:class:`DeskScreen`): the store's change
watcher each tick, a read in a worker only when something was committed, the
clocks (longest wait) ticked locally in between, a banner while the store does
not answer. It has no key that acts; queues that do not fit rotate.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from svcdesk_tui.core.formatting import local_time
from svcdesk_tui.queue.live import QueueReader
from svcdesk_tui.screens.common.desk import DeskScreen, Reader
from svcdesk_tui.screens.queue.rows import clocks_at
from svcdesk_tui.screens.wallboard.app import WallboardApp
from svcdesk_tui.screens.wallboard.figures import BoardFigures, BoardRead, board_figures, read_board
from svcdesk_tui.screens.wallboard.tiles import Figure, QueueTile

TILE_ROWS = 7  # border, the queue's line, a caption and three rows of digits
MOST_ALERTS = 3  # lines of alerts shown; more are counted


class WallboardScreen(DeskScreen[BoardRead]):
    """Every queue's figures, the agents' states and the alerts, in large type."""

    app = getters.app(WallboardApp)  # type: ignore[assignment]
    BINDINGS: ClassVar[list[BindingType]] = []  # read-only: no key acts on the store

    def __init__(self) -> None:
        super().__init__()
        self._read: BoardRead | None = None
        self._board: BoardFigures | None = None
        self._page = 0
        self._queue_reader: QueueReader | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="wb-title")
        yield Static(id="wb-alerts")
        with Horizontal(id="wb-agents"):
            yield Figure("Available", id="agents-available")
            yield Figure("On a call", id="agents-on-call")
            yield Figure("Wrap-up", id="agents-wrap-up")
            yield Figure("Paused", id="agents-paused")
        yield Vertical(id="wb-queues")

    def on_mount(self) -> None:
        self._queue_reader = QueueReader(self.app.settings)  # every agent counts, no one named
        self.set_interval(self.app.rotate_seconds, self.next_page)

    # --- reading and showing -------------------------------------------------------

    def reader(self) -> Reader[BoardRead]:
        reader = self._queue_reader
        assert reader is not None
        return lambda session, now: read_board(reader, session, now=now)

    def show(self, data: BoardRead) -> None:
        self._read = data
        self._paint(now=data.snapshot.at)

    def tick(self, *, now: datetime) -> None:
        if self._read is not None:
            self._paint(now=now)

    @property
    def board(self) -> BoardFigures | None:
        """What the board shows now (tests compare it with the Queue screen)."""
        return self._board

    def _paint(self, *, now: datetime) -> None:
        assert self._read is not None
        snapshot = clocks_at(self._read.snapshot, now=now)
        board = board_figures(snapshot, self._read.escalations, self.app.queues)
        self._board = board
        self._paint_agents(board)
        self._paint_alerts(board.alerts)
        self._paint_queues(board)

    def _paint_agents(self, board: BoardFigures) -> None:
        counts = board.agents
        self.query_one("#agents-available", Figure).show(str(counts.available))
        self.query_one("#agents-on-call", Figure).show(str(counts.on_call))
        self.query_one("#agents-wrap-up", Figure).show(str(counts.wrap_up))
        self.query_one("#agents-paused", Figure).show(str(counts.paused))

    def _paint_alerts(self, alerts: list[str]) -> None:
        box = self.query_one("#wb-alerts", Static)
        box.display = bool(alerts)
        shown = [f"▲ {line}" for line in alerts[:MOST_ALERTS]]
        if len(alerts) > MOST_ALERTS:
            shown.append(f"▲ and {len(alerts) - MOST_ALERTS} more")
        self.say("#wb-alerts", "\n".join(shown))

    def _paint_queues(self, board: BoardFigures) -> None:
        box = self.query_one("#wb-queues", Vertical)
        tiles = list(box.query(QueueTile))
        if len(tiles) != len(board.queues):
            box.remove_children()
            box.mount_all(QueueTile() for _ in board.queues)
            self.call_after_refresh(self._repaint)  # the new tiles are composed by then
            return
        per_page = self.per_page
        pages = max(1, -(-len(board.queues) // per_page))
        self._page %= pages
        first = self._page * per_page
        for index, (tile, queue) in enumerate(zip(tiles, board.queues, strict=True)):
            tile.display = first <= index < first + per_page
            if tile.display and not tile.show(queue):
                self.call_after_refresh(self._repaint)  # not composed yet: once it is
        self.say("#wb-title", self._title(board, first, per_page, pages))

    def _title(self, board: BoardFigures, first: int, per_page: int, pages: int) -> Text:
        tz = self.app.settings.timezone
        title = Text("Wallboard", style="bold")
        title.append(f"  {local_time(board.at, tz)} {tz}")
        if pages > 1:
            last = min(first + per_page, len(board.queues))
            title.append(f"  ·  queues {first + 1}–{last} of {len(board.queues)}")
        if self.app.db.demo:
            title.append("  DEMO CENTER", style="reverse")
        return title

    def _repaint(self) -> None:
        if self._read is not None:
            self._paint(now=self._board.at if self._board else self._read.snapshot.at)

    @property
    def per_page(self) -> int:
        """How many queue tiles fit below the agents and the alerts."""
        height = self.query_one("#wb-queues", Vertical).size.height
        return max(1, height // TILE_ROWS)

    def next_page(self) -> None:
        """The rotation's tick: the next queues that did not fit."""
        self._page += 1
        self._repaint()

    def on_resize(self) -> None:
        self.call_after_refresh(self._repaint)

"""WallboardApp: the wallboard alone, in a terminal or served to a browser.

Its own small App, not the desk's: it logs nobody in, beats no presence, climbs
no escalation and writes no audit row; it only reads. What the desk's screen
base needs from an app (db, clock, settings, the change watcher, the refresh
interval) it has under the same names.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from svcdesk_tui.core.changes import ChangeWatcher
from svcdesk_tui.core.clock import Clock, SystemClock
from svcdesk_tui.core.db import Database
from svcdesk_tui.core.settings import CenterSettings, load_settings
from svcdesk_tui.people.identity import Actor

ROTATE_EVERY_S = 10.0  # how long one page of queues stays up when they do not all fit

CSS = """
Screen { background: $background; }
#wb-title { height: 1; padding: 0 1; background: $panel; }
#wb-alerts {
    height: auto; padding: 1 2; background: $error; color: $text;
    text-style: bold; content-align: center middle; display: none;
}
#wb-agents { height: 6; border: round $primary; border-title-align: left; }
#wb-queues { height: 1fr; }
QueueTile { height: 7; border: round $primary; padding: 0 1; }
QueueTile.-ok { border: round $success; }
QueueTile.-risk { border: heavy $warning; }
QueueTile.-breach { border: heavy $error; }
.queue-name { width: 1fr; height: 1; }
.figures { height: 4; }
.figure { width: 1fr; height: 4; padding: 0 1; overflow: hidden hidden; }
.figure .caption { color: $text-muted; height: 1; }
.figure Digits { width: auto; }
QueueTile.-breach .sl Digits { color: $error; text-style: bold; }
QueueTile.-risk .sl Digits { color: $warning; text-style: bold; }
QueueTile.-ok .sl Digits { color: $success; text-style: bold; }
#agents-available Digits { color: $success; }
.store-status {
    dock: top; height: auto; padding: 1 2; background: $error; color: $text;
    text-style: bold; content-align: center middle; display: none;
}
"""


class WallboardApp(App[None]):
    """The wallboard screen with what it reads from; every key but quit is absent."""

    CSS = CSS
    TITLE = "svcdesk wallboard"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("q", "quit", "Quit", show=False)]

    def __init__(
        self,
        db: Database,
        actor: Actor,
        *,
        queues: Sequence[str] = (),
        clock: Clock | None = None,
        settings: CenterSettings | None = None,
        refresh_seconds: float | None = None,
        rotate_seconds: float = ROTATE_EVERY_S,
    ) -> None:
        super().__init__()
        self.db = db
        self.actor = actor  # who opened it; any role may
        self.queues = tuple(queues)  # the queues picked with --queue; empty: all
        self.clock = clock or SystemClock()
        if settings is None:
            with db.read() as session:
                settings = load_settings(session)
        self.settings = settings
        self.changes = ChangeWatcher(db.engine, db.name)
        self.refresh_seconds = refresh_seconds or settings.refresh_seconds
        self.rotate_seconds = rotate_seconds

    def get_default_screen(self) -> Screen[None]:
        from svcdesk_tui.screens.wallboard.screen import WallboardScreen  # it names this class

        return WallboardScreen()

    def on_unmount(self) -> None:
        self.changes.close()

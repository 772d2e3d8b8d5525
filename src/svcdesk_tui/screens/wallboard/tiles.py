"""The wallboard's pieces: a big figure with its caption, and one queue's tile."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, Label

from svcdesk_tui.core.formatting import duration
from svcdesk_tui.screens.wallboard.figures import QueueFigures, Status

STATUS_CLASS = {Status.OK: "-ok", Status.AT_RISK: "-risk", Status.BREACH: "-breach"}
FIGURES = {
    "waiting": "Waiting",
    "longest": "Longest wait",
    "sl": "Service level",
    "answered": "Answered",
    "abandoned": "Abandoned",
}
STATUS_STYLE = {Status.OK: "bold green", Status.AT_RISK: "bold yellow", Status.BREACH: "bold red"}


def wait_figure(seconds: int) -> tuple[str, str]:
    """A wait in big digits and its caption: m:ss, or h:mm past an hour (it must fit)."""
    if seconds < 3600:
        return duration(seconds), "Longest wait"
    hours, minutes = divmod(seconds // 60, 60)
    return f"{hours}:{minutes:02d}", "Longest wait (h:mm)"


class Figure(Vertical):
    """A caption over a number drawn in big digits; updated only when it changes."""

    def __init__(self, caption: str, *, id: str | None = None, classes: str = "") -> None:
        super().__init__(id=id, classes=f"figure {classes}".strip())
        self._caption = caption
        self._shown: tuple[str, str] | None = None

    def compose(self) -> ComposeResult:
        yield Label(self._caption, classes="caption")
        yield Digits("-")

    def show(self, value: str, caption: str | None = None) -> None:
        caption = caption or self._caption
        if self._shown != (value, caption):
            self._shown = (value, caption)
            self.query_one(Digits).update(value)
            self.query_one(Label).update(caption)


class QueueTile(Vertical):
    """One queue: waiting, longest wait, service level against target, answered, abandoned."""

    def compose(self) -> ComposeResult:
        yield Label(classes="queue-name")
        with Horizontal(classes="figures"):
            for css, caption in FIGURES.items():
                yield Figure(caption, classes=css)

    def show(self, queue: QueueFigures) -> bool:
        """Show the queue's figures; False while the tile's pieces are not composed yet."""
        if len(self.query(Digits)) < len(FIGURES):
            return False
        for status, css in STATUS_CLASS.items():
            self.set_class(queue.status is status, css)
        title = Text(queue.name, style="bold")
        title.append(f"  {queue.status.value}", style=STATUS_STYLE[queue.status])
        title.append(f"  ·  {queue.waiting} waiting  ·  {queue.sl_words}")
        if queue.sl_threshold_seconds is not None:
            title.append(f" (answered within {queue.sl_threshold_seconds} s)", style="dim")
        self.query_one(".queue-name", Label).update(title)
        sl = "-" if queue.service_level is None else f"{queue.service_level * 100:.0f}%"
        target = "" if queue.sl_target is None else f" vs {queue.sl_target * 100:.0f}%"
        self.query_one(".waiting", Figure).show(str(queue.waiting))
        self.query_one(".longest", Figure).show(*wait_figure(queue.longest_wait_seconds))
        self.query_one(".sl", Figure).show(sl, f"Service level{target}")
        self.query_one(".answered", Figure).show(str(queue.answered))
        self.query_one(".abandoned", Figure).show(str(queue.abandoned))
        return True

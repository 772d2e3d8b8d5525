"""A quiet progress line on stderr, for commands that may take a while.

It appears only when the stream is a terminal and the work has taken longer
than ``delay`` seconds, and it erases itself at the end; cron never sees it.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO


class DelayedProgress:
    def __init__(self, what: str, stream: TextIO | None = None, delay: float = 0.5) -> None:
        self.what = what
        self.stream = stream or sys.stderr
        self.delay = delay
        self.step = ""
        self.enabled = self.stream.isatty()
        self._stop = threading.Event()
        self._shown = False
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> DelayedProgress:
        self.started = time.monotonic()
        if self.enabled:
            self._thread.start()
        return self

    def update(self, step: str) -> None:
        self.step = step

    def _run(self) -> None:
        if self._stop.wait(self.delay):
            return
        frames = "|/-\\"
        tick = 0
        while not self._stop.is_set():
            elapsed = time.monotonic() - self.started
            line = f"{frames[tick % 4]} {self.what}: {self.step} ({elapsed:.0f} s)"
            self.stream.write("\r" + line[:79].ljust(79))
            self.stream.flush()
            self._shown = True
            tick += 1
            self._stop.wait(0.2)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self.enabled:
            self._thread.join()
        if self._shown:
            self.stream.write("\r" + " " * 79 + "\r")
            self.stream.flush()

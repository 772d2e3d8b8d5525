"""Reading a queue_log file: all of it in large batches, or live like ``tail -F``.

Following survives log rotation: when the path names another file (a new
inode, as after logrotate's rename or Asterisk's own rotation) the old file is
drained and the new one read from its start; when the file shrinks (logrotate's
copytruncate) it is read again from the start. A line is only read once its
newline has been written, and each poll's lines are committed as one short
transaction, so the live queue sees a call within a poll and a refresh.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from svcdesk_tui.ingest.importer import QueueLogImporter

BATCH_CHARS = 8_000_000  # about 100,000 lines per transaction
FOLLOW_CHUNK = 4_000_000
POLL_SECONDS = 0.25  # with the desk's 1 s refresh: a new caller on screen within 2 s


def import_file(
    importer: QueueLogImporter,
    path: Path,
    *,
    batch_chars: int = BATCH_CHARS,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Import the whole file, one transaction per batch of lines."""
    with path.open(encoding="utf-8", errors="surrogateescape", newline="\n") as handle:
        first, rest, done = 1, "", 0
        while chunk := handle.read(batch_chars):
            text = rest + chunk
            if "\r" in text:  # Windows line ends
                text = text.replace("\r\n", "\n")
            *lines, rest = text.split("\n")
            importer.import_lines(lines, first)
            first += len(lines)
            done += len(chunk.encode("utf-8", "surrogateescape")) if progress else 0
            if progress is not None:
                progress(done)
        if rest:  # a last line without its newline
            importer.import_lines([rest.removesuffix("\r")], first)


def _identity(stat: os.stat_result) -> tuple[int, int]:
    return stat.st_dev, stat.st_ino


class Follower:
    """Tails one path: ``run()`` until ``stop`` is set, committing each poll's lines."""

    def __init__(
        self,
        importer: QueueLogImporter,
        path: Path,
        *,
        stop: threading.Event | None = None,
        poll_seconds: float = POLL_SECONDS,
        on_batch: Callable[[], None] | None = None,
        on_rotation: Callable[[str], None] | None = None,
    ) -> None:
        self.importer = importer
        self.path = path
        self.stop = stop or threading.Event()
        self.poll_seconds = poll_seconds
        self.on_batch = on_batch
        self.on_rotation = on_rotation
        self.rotations = 0
        self._handle: BinaryIO | None = None
        self._identity: tuple[int, int] | None = None
        self._pending = b""
        self._line = 1

    @property
    def offset(self) -> int:
        """Bytes of the current file read so far (0 while no file is open)."""
        handle = self._handle
        try:
            return handle.tell() if handle is not None else 0
        except ValueError:  # closed by the follower meanwhile
            return 0

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                if self._handle is None and not self._open():
                    self.stop.wait(self.poll_seconds)
                    continue
                if self._read():
                    continue
                if not self._check_rotation():
                    self.stop.wait(self.poll_seconds)
        finally:
            if self._handle is not None:
                self._handle.close()

    def _open(self) -> bool:
        try:
            self._handle = self.path.open("rb")
        except FileNotFoundError:
            return False
        self._identity = _identity(os.fstat(self._handle.fileno()))
        self._pending, self._line = b"", 1
        return True

    def _read(self) -> bool:
        """Read and apply whatever complete lines are there; False at end of file."""
        assert self._handle is not None
        chunk = self._handle.read(FOLLOW_CHUNK)
        if not chunk:
            return False
        *complete, self._pending = (self._pending + chunk).split(b"\n")
        self._apply(complete)
        return True

    def _apply(self, raw_lines: list[bytes]) -> None:
        if not raw_lines:
            return
        lines = [raw.removesuffix(b"\r").decode("utf-8", "surrogateescape") for raw in raw_lines]
        self.importer.import_lines(lines, self._line)
        self._line += len(lines)
        if self.on_batch is not None:
            self.on_batch()

    def _check_rotation(self) -> bool:
        """True when the file was replaced or truncated (and is now reopened/rewound)."""
        assert self._handle is not None
        try:
            current = _identity(self.path.stat())
        except FileNotFoundError:
            current = None
        if current != self._identity:
            if current is None:
                return False  # renamed away, the new file is not there yet: keep draining
            self._read_to_end()
            if self._pending:  # the writer is gone: its last line is complete
                self._apply([self._pending])
            self._handle.close()
            self._handle = None
            self._rotated("rotated")
            return True
        if self.path.stat().st_size < self._handle.tell():
            self._handle.seek(0)
            self._pending, self._line = b"", 1
            self._rotated("truncated")
            return True
        return False

    def _rotated(self, how: str) -> None:
        """Count a rotation and say so (``how``: "rotated" or "truncated")."""
        self.rotations += 1
        if self.on_rotation is not None:
            self.on_rotation(how)

    def _read_to_end(self) -> None:
        while self._read():
            pass

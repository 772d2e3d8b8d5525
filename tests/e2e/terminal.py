"""A real terminal for end-to-end tests: tmux runs a command, keys go in, the screen comes out."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
from pathlib import Path

import pytest

SCREEN_TIMEOUT_S = 60.0  # a loaded machine starts Textual slowly; nothing here is timed


def require_tool(name: str, why: str) -> str:
    """The tool's path, or skip the test with a reason that `pytest -rs` shows."""
    path = shutil.which(name) or next(
        (p for p in (f"/usr/sbin/{name}", f"/usr/bin/{name}") if os.access(p, os.X_OK)), None
    )
    if path is None:
        pytest.skip(f"{name} is not installed ({why}); .ci/run installs it")
    return path


class Tmux:
    """One tmux server on its own socket, holding one session (80x24 unless told)."""

    def __init__(self, socket: Path, session: str = "desk") -> None:
        self.tmux = require_tool("tmux", "needed to run the desk in a real terminal")
        self.socket, self.session = socket, session

    def _run(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            [self.tmux, "-S", str(self.socket), *args],
            capture_output=True,
            text=True,
            check=False,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def start(
        self,
        command: list[str],
        env: dict[str, str],
        colours: str = "256",
        size: tuple[int, int] = (80, 24),
    ) -> None:
        """Start ``command`` in a terminal of ``size`` (its stderr stays the terminal's)."""
        term = "xterm-256color" if colours == "256" else "xterm"
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        shell = f"export TERM={term} {exports}; exec {shlex.join(command)}"
        self._run(
            "-f", "/dev/null", "new-session", "-d", "-x", str(size[0]), "-y", str(size[1]),
            "-s", self.session, "sh", "-c", shell,
        )  # fmt: skip
        self._run("set-option", "-t", self.session, "remain-on-exit", "on")

    def screen(self) -> str:
        return self._run("capture-pane", "-p", "-t", self.session, check=False)

    def keys(self, *keys: str) -> None:
        self._run("send-keys", "-t", self.session, *keys)

    def type(self, text: str) -> None:
        """Type ``text`` as it is (no key names: "Tab" is three letters here)."""
        self._run("send-keys", "-t", self.session, "-l", text)

    def wait_for(self, text: str, timeout: float = SCREEN_TIMEOUT_S) -> str:
        """The screen once it shows ``text``; fail with the last screen otherwise."""
        deadline = time.monotonic() + timeout
        shown = ""
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.2)
        raise AssertionError(f"the screen never showed {text!r}; it showed:\n{shown}")

    def press_until(self, key: str, text: str, tries: int = 3, each: float = 10.0) -> str:
        """Press ``key`` until the screen shows ``text``: a key pressed while the desk
        was still filling its table in (a demo waking up) can find nothing to act on."""
        for attempt in range(tries):
            self.keys(key)
            try:
                return self.wait_for(text, timeout=each)
            except AssertionError:
                if attempt == tries - 1:
                    raise
        raise AssertionError("unreachable")

    def hang_up(self) -> None:
        """Close the terminal as a dropped connection would: the program gets SIGHUP."""
        self._run("kill-server", check=False)

    def pane_pid(self) -> int | None:
        out = self._run("list-panes", "-t", self.session, "-F", "#{pane_pid}", check=False)
        return int(out.split()[0]) if out.strip() else None


def wait_until(condition, what: str, timeout: float = SCREEN_TIMEOUT_S) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")

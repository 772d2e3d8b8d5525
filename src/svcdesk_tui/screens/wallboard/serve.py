"""Serving the wallboard to browsers with textual-serve: one wallboard process per page.

textual-serve starts the command below for each browser that connects and
relays its terminal over a websocket. The command is `svcdesk wallboard` itself
(nothing else can be reached from the page); the store is handed over in
SVCDESK_DB, so a URL's password never shows in the process list.
"""

from __future__ import annotations

import os
import shlex
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

from svcdesk_tui.core.db import ENV_VAR, is_url, resolve_target
from svcdesk_tui.core.errors import SvcdeskError

WILDCARDS = ("", "0.0.0.0", "::")


def wallboard_command(
    queues: Sequence[str], as_login: str | None, refresh: float | None, rotate: float
) -> str:
    """The shell command textual-serve runs per browser: this wallboard, in this Python."""
    words = [sys.executable, "-m", "svcdesk_tui", "wallboard", "--rotate", f"{rotate:g}"]
    for queue in queues:
        words += ["--queue", queue]
    if as_login:
        words += ["--as", as_login]
    if refresh is not None:
        words += ["--refresh", f"{refresh:g}"]
    return shlex.join(words)


def page_url(host: str, port: int) -> str:
    """What to type in the TV's browser; a wildcard address is named by this machine."""
    name = socket.gethostname() if host in WILDCARDS else host
    if ":" in name:
        name = f"[{name}]"
    return f"http://{name}:{port}/"


def serve_wallboard(
    db: str | None,
    *,
    host: str,
    port: int,
    queues: Sequence[str] = (),
    as_login: str | None = None,
    refresh: float | None = None,
    rotate: float,
) -> None:
    """Serve the wallboard until interrupted; one line says what to open."""
    from textual_serve.server import Server  # only the served wallboard needs aiohttp

    target = resolve_target(db)
    os.environ[ENV_VAR] = target if is_url(target) else str(Path(target).resolve())

    class WallboardServer(Server):
        def initialize_logging(self) -> None:
            """Quiet: no banner and no line per request; only the one line below."""

        async def on_startup(self, app: object) -> None:
            print(f"Wallboard: open {self.public_url} in a browser (Ctrl+C stops)", flush=True)

    server = WallboardServer(
        wallboard_command(queues, as_login, refresh, rotate),
        host=host,
        port=port,
        title="svcdesk wallboard",
        public_url=page_url(host, port).rstrip("/"),
    )
    try:
        server.serve()
    except OSError as error:
        raise SvcdeskError(f"cannot serve the wallboard on {host}:{port}: {error}") from None

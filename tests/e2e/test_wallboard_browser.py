"""The served wallboard in a real headless Chromium (Debian's), as a TV's browser opens it.

`svcdesk wallboard --serve` runs as a subprocess; Playwright drives Debian's
chromium (no browser download). The page draws the terminal with xterm.js; the
test turns its canvas off so xterm.js falls back to drawing rows in the DOM,
whose text the test reads.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from svcdesk_tui.core.db import Database
from svcdesk_tui.models import CallState
from svcdesk_tui.people.identity import os_login
from svcdesk_tui.queue import live as queue

from ..stores import sqlite_only
from .terminal import require_tool

pytestmark = sqlite_only  # the served process opens the store by its file

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NO_CANVAS = "HTMLCanvasElement.prototype.getContext = function () { return null; };"
ROWS = "(document.querySelector('.xterm-rows') || {innerText: ''}).innerText"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(store: str, *args: str) -> Iterator[tuple[str, str]]:
    """`svcdesk wallboard --serve` on a free port: (the URL, the line it printed)."""
    port = free_port()
    command = [sys.executable, "-m", "svcdesk_tui", "wallboard", "--serve", "--db", store]
    server = subprocess.Popen(
        [*command, "--port", str(port), "--refresh", "0.5", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its wallboards are its children: one group to end
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline().strip()
        yield f"http://127.0.0.1:{port}/", line
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@pytest.fixture
def floor(center):
    """A queue below target on the real clock (the served process reads the system's time)."""
    require_tool("chromium", "the served wallboard is checked in a real browser")
    now = datetime.now(UTC).replace(microsecond=0)
    center.support = center.queue("Support", threshold=20, target=0.8)
    center.ann = center.customer("Ann Smith", phone="+31 20 111")
    agent = center.staff("alice", name="Alice Ames")
    center.staff(os_login(), "wallboard", name="Floor TV")  # the TV's login opens it
    for wait in (5, 10, 40):
        center.call(
            center.support, entered=now - timedelta(minutes=1), wait=wait, talk=30, agent=agent
        )
    center.call(
        center.support, entered=now - timedelta(minutes=1), state=CallState.ABANDONED, wait=30
    )
    with center.db.write() as session:
        queue.enqueue_call(session, queue_id=center.support, customer_id=center.ann, now=now)
    center.db.close()
    return center


def page_text(page) -> str:  # type: ignore[no-untyped-def]
    return str(page.evaluate(ROWS))


def until_shown(page, words: str, timeout: float) -> float:  # type: ignore[no-untyped-def]
    """Seconds until ``words`` appear on the page (fails after ``timeout``)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if words in page_text(page):
            return time.monotonic() - started
        time.sleep(0.1)
    raise AssertionError(f"{words!r} not on the page after {timeout} s:\n{page_text(page)}")


@contextmanager
def browser_page(url: str) -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright drives chromium")
    with sync_api.sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=require_tool("chromium", "the browser test"), args=CHROMIUM_FLAGS
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.add_init_script(NO_CANVAS)
            page.goto(url, wait_until="domcontentloaded")
            yield page
        finally:
            browser.close()


def test_the_served_page_shows_the_service_level_and_follows_the_queue(floor):
    with served(floor.db.where) as (url, line), browser_page(url) as page:
        assert line == f"Wallboard: open {url.rstrip('/')} in a browser (Ctrl+C stops)"
        until_shown(page, "Service level vs 80%", timeout=20)  # loaded: the first paint
        text = page_text(page)
        assert "Support  BREACH  ·  1 waiting  ·  50% < 80% target" in text  # 2 of 3 + 1 abandon
        assert "Ann Smith" not in text and "Alice" not in text  # figures only, no names
        other = Database.open(floor.db.where)
        with other.write() as session:
            queue.enqueue_call(session, queue_id=floor.support, now=datetime.now(UTC))
        other.close()
        assert until_shown(page, "Support  BREACH  ·  2 waiting", timeout=3) < 3


def test_it_listens_on_loopback_only_unless_told(floor):
    with served(floor.db.where) as (url, _):
        assert url.startswith("http://127.0.0.1:")
        port = int(url.rsplit(":", 1)[1].strip("/"))
        address = next((a for a in _local_addresses() if not a.startswith("127.")), None)
        if address is None:
            pytest.skip("this machine has no address besides loopback")
        with pytest.raises(OSError), socket.create_connection((address, port), timeout=2):
            pass


def _local_addresses() -> list[str]:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: it picks the outgoing address
            return [probe.getsockname()[0]]
        except OSError:
            return []


def test_a_store_that_does_not_open_is_one_line_before_serving(tmp_path: Path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "svcdesk_tui",
            "wallboard",
            "--serve",
            "--db",
            str(tmp_path / "no.db"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("svcdesk: error: ") and "Traceback" not in result.stderr

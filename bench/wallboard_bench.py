"""CPU of one served wallboard: a minute idle, then a minute with a call entering every second.

    python bench/wallboard_bench.py [--db PATH] [--seconds 60]

Serves `svcdesk wallboard --serve` on a demo store (generated into /tmp unless
--db names one), opens the page once in headless Chromium (Debian's, driven by
Playwright) so that one wallboard process runs, and reads the CPU time of the
server and of its children (the wallboard) from /proc. The browser's own CPU is
the TV's and is not counted. Printed: CPU seconds per wall second (1.00 = one
core) for the server, the wallboard and both.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import col, select

from svcdesk_tui.core.db import Database
from svcdesk_tui.models import Queue
from svcdesk_tui.queue import live as queue

TICK = os.sysconf("SC_CLK_TCK")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
FLAGS += ["--disable-background-networking", "--disable-component-update", "--disable-sync"]


def cpu_seconds(pid: int) -> float:
    """User + system CPU of one process so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (the shell textual-serve starts and the wallboard in it)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def demo_store() -> str:
    path = Path(tempfile.gettempdir()) / "svcdesk-wallboard-bench.db"
    if not path.exists():
        svcdesk = str(Path(sys.executable).with_name("svcdesk"))
        subprocess.run([svcdesk, "demo-data", "--days", "7", "--out", str(path)], check=True)
    return str(path)


def measure(server: int, seconds: float, feed: Database | None) -> tuple[float, float]:
    """(server, wallboard) CPU seconds per second over ``seconds``; a call a second if fed."""
    board = descendants(server)
    before = cpu_seconds(server), sum(cpu_seconds(p) for p in board)
    queue_id = None
    if feed is not None:
        with feed.read() as session:
            queue_id = session.exec(select(col(Queue.id)).order_by(col(Queue.id))).first()
    started = time.monotonic()
    while (elapsed := time.monotonic() - started) < seconds:
        if feed is not None and queue_id is not None:
            with feed.write() as session:
                queue.enqueue_call(session, queue_id=queue_id, now=datetime.now(UTC))
        time.sleep(max(0.0, 1.0 - (time.monotonic() - started - elapsed)))
    wall = time.monotonic() - started
    after = cpu_seconds(server), sum(cpu_seconds(p) for p in board)
    return (after[0] - before[0]) / wall, (after[1] - before[1]) / wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a store to serve (default: a demo generated in /tmp)")
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    store = args.db or demo_store()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "svcdesk_tui", "wallboard", "--serve", "--db", store]
    server = subprocess.Popen(
        [*command, "--port", str(port)], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        assert server.stdout is not None
        print(server.stdout.readline().strip())
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.goto(f"http://127.0.0.1:{port}/", wait_until="domcontentloaded")
            time.sleep(10)  # the wallboard starts and paints; its start is not measured
            print(f"wallboard processes: {len(descendants(server.pid))} (shell + wallboard)")
            idle = measure(server.pid, args.seconds, None)
            feed = Database.open(store)
            busy = measure(server.pid, args.seconds, feed)
            feed.close()
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
    print(f"{'':24}{'server':>8}{'wallboard':>11}{'both':>8}   (CPU s per s; 1.00 = one core)")
    for label, (serve_cpu, board_cpu) in (("idle", idle), ("a call a second", busy)):
        print(f"{label:24}{serve_cpu:8.3f}{board_cpu:11.3f}{serve_cpu + board_cpu:8.3f}")


if __name__ == "__main__":
    main()

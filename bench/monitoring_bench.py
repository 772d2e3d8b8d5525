"""Benchmark quality monitoring on a center of 1,000,000+ calls: drawing one week's sample
(every agent) and the `monitoring` report section for a month. Target: each under 200 ms.

    python bench/monitoring_bench.py [--db /tmp/svcdesk-monitoring-bench.db] [--runs 7]

The store is used as it is when it already holds evaluations. Otherwise, a store
of 1,000,000+ calls without them (``--from``, or $SVCDESK_BENCH_DB, else one
generated with ``svcdesk demo-data --days 365 --agents 200``) is copied to
``--db``, brought to this schema, and given the demo's thirteen weeks of samples
and evaluations by the demo generator's own function. Each draw runs in a
transaction that is rolled back, so every run draws the same week afresh.
Prints medians; not part of the pytest run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlmodel import Session

from svcdesk_tui.core.db import Database
from svcdesk_tui.core.periods import local_date
from svcdesk_tui.core.settings import load_settings
from svcdesk_tui.demo.monitoring import WEEKS, write_monitoring
from svcdesk_tui.demo.store import bulk_load
from svcdesk_tui.demo.world import World
from svcdesk_tui.monitoring.sampling import draw_week, week_of
from svcdesk_tui.report.build import build_report, resolve_period

SVCDESK = str(Path(sys.executable).parent / "svcdesk")
TARGET_S = 0.2


def prepare(path: Path, source: Path) -> None:
    """A store of 1M+ calls with the demo's evaluations at ``path``."""
    if path.exists():
        return
    if not source.exists():
        print(f"generating {source} (365 days, 200 agents); this takes a while …", flush=True)
        subprocess.run(
            [SVCDESK, "demo-data", "--out", str(source), "--days", "365", "--agents", "200"],
            check=True,
        )
    print(f"copying {source} to {path} and adding the demo's evaluations …", flush=True)
    shutil.copyfile(source, path)
    subprocess.run([SVCDESK, "db", "upgrade", "--db", str(path)], check=True)
    db = Database.open(path)
    try:
        with db.read() as session:
            made = session.execute(
                text("SELECT after FROM audit_entry WHERE action = 'demo.generate'")
            ).scalar_one()
            tz = load_settings(session).timezone
        params = json.loads(made)
        end = datetime.fromisoformat(params["end"])
        world = World(
            end=end, days=params["days"], agents=params["agents"], seed=params["seed"],
            tz=ZoneInfo(tz),
        )  # fmt: skip
        started = time.perf_counter()
        with bulk_load(db) as writer:
            added = write_monitoring(writer, world)
        print(f"added {added} in {time.perf_counter() - started:.1f} s", flush=True)
    finally:
        db.close()


def timed(runs: int, step) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    """Wall-clock and CPU seconds of each run (on a shared machine the CPU time is the
    work itself; the wall time adds the wait for a core)."""
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        step()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/svcdesk-monitoring-bench.db"))
    parser.add_argument(
        "--from",
        dest="source",
        type=Path,
        default=Path(os.environ.get("SVCDESK_BENCH_DB", "/tmp/svcdesk-bench-center.db")),
    )
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    prepare(args.db, args.source)
    db = Database.open(args.db)
    with db.read() as session:
        settings = load_settings(session)
        calls, evaluations, last = session.execute(
            text(
                "SELECT (SELECT count(*) FROM call), (SELECT count(*) FROM evaluation), "
                "(SELECT max(entered_at) FROM call)"
            )
        ).one()
    now = datetime.fromtimestamp(last, UTC) + timedelta(minutes=1)
    today = local_date(now, settings.timezone)
    week = week_of(today) - timedelta(days=7 * (WEEKS + 1))  # a week the demo left undrawn
    drawn: list[int] = []

    def draw() -> None:
        with db.engine.connect() as connection:
            transaction = connection.begin()
            with Session(bind=connection) as session:
                drawn.append(len(draw_week(session, None, settings, week, now=now)))
            transaction.rollback()

    period = resolve_period("month", today, settings.timezone)

    def section() -> None:
        with db.read() as session:
            build_report(
                session, settings=settings, center="bench", period=period, now=now,
                sections=["monitoring"],
            )  # fmt: skip

    print(f"store: {args.db}: {calls:,} calls, {evaluations:,} evaluations")
    draw()  # warm the caches once, as a running center's are
    section()
    for label, step in (
        (f"draw the week of {week} (all agents)", draw),
        (f"monitoring section, {period.label}", section),
    ):
        wall, cpu = timed(args.runs, step)
        median, median_cpu = statistics.median(wall), statistics.median(cpu)
        print(
            f"{label}: median {median * 1000:.0f} ms wall (min {min(wall) * 1000:.0f}), "
            f"{median_cpu * 1000:.0f} ms CPU over {args.runs} runs; "
            f"{median / TARGET_S:.2f}× (wall), {median_cpu / TARGET_S:.2f}× (CPU) the 200 ms "
            "target"
        )
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"calls drawn per run: {drawn[-1]}")
    db.close()


if __name__ == "__main__":
    main()

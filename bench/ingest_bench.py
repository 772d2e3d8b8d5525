"""Benchmark of `svcdesk ingest queue-log` against the floor of a plain executemany.

Generates a realistic queue_log of 1,000,000 lines (deterministic) into /tmp,
then times, each on a fresh SQLite file:

* the floor: read the file, split every line into the ten queue_log columns and
  ``executemany`` them into one plain table, in one transaction;
* the importer: the same file through ``QueueLogImporter`` (calls, agents, pauses).

Prints lines per second for both and their ratio. Not part of pytest:
``python bench/ingest_bench.py [--lines N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from svcdesk_tui.db import Database
from svcdesk_tui.ingest.follow import import_file
from svcdesk_tui.ingest.importer import QueueLogImporter
from svcdesk_tui.models import Staff
from svcdesk_tui.services.center_setup import seed_defaults
from svcdesk_tui.services.identity import Actor

QUEUES = ("support", "billing", "technical", "sales")
START = 1767596400  # Monday 5 January 2026, 07:00 UTC


def generate(path: Path, lines: int, seed: int = 7) -> int:
    """Write about ``lines`` lines of plausible traffic; returns the exact count."""
    rng = random.Random(seed)
    agents = [f"PJSIP/{1000 + n}" for n in range(60)]
    out: list[str] = []
    now, serial = START, 0
    for agent in agents:
        for queue in QUEUES[:2]:
            out.append(f"{now}|MANAGER|{queue}|{agent}|ADDMEMBER|")
    while len(out) < lines:
        now += rng.randint(0, 3)
        serial += 1
        uid = f"{now}.{serial}"
        queue = rng.choice(QUEUES)
        out.append(f"{now}|{uid}|{queue}|NONE|ENTERQUEUE||06{rng.randint(10**7, 10**8 - 1)}|1")
        roll = rng.random()
        wait = rng.randint(0, 90)
        if roll < 0.15:
            kind = rng.choice(("ABANDON", "ABANDON", "EXITWITHTIMEOUT", "EXITEMPTY"))
            out.append(f"{now + wait}|{uid}|{queue}|NONE|{kind}|1|1|{wait}")
            continue
        agent = rng.choice(agents)
        if roll < 0.35:
            out.append(f"{now + 2}|{uid}|{queue}|{rng.choice(agents)}|RINGNOANSWER|15000")
        talk = rng.randint(20, 900)
        out.append(f"{now + wait}|{uid}|{queue}|{agent}|CONNECT|{wait}|{uid}1|3")
        end = rng.choice(("COMPLETECALLER", "COMPLETEAGENT", "COMPLETECALLER"))
        out.append(f"{now + wait + talk}|{uid}|{queue}|{agent}|{end}|{wait}|{talk}|1")
        if rng.random() < 0.02:
            out.append(f"{now + wait + talk}|NONE|{queue}|{agent}|PAUSE|break")
            out.append(f"{now + wait + talk + 300}|NONE|{queue}|{agent}|UNPAUSE|")
    out = out[:lines]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return len(out)


def floor(path: Path, db_path: Path) -> tuple[float, float]:
    """Wall and CPU seconds to split every line and executemany it into one plain table."""
    started, cpu = time.perf_counter(), time.process_time()
    connection = sqlite3.connect(db_path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.execute(
        "CREATE TABLE queue_log (time INTEGER, callid TEXT, queuename TEXT, agent TEXT, "
        "event TEXT, data1 TEXT, data2 TEXT, data3 TEXT, data4 TEXT, data5 TEXT)"
    )
    pad = ("",) * 10
    with path.open(encoding="utf-8") as handle:
        rows = [(tuple(line.rstrip("\n").split("|", 9)) + pad)[:10] for line in handle]
    connection.execute("BEGIN")
    connection.executemany("INSERT INTO queue_log VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
    connection.execute("COMMIT")
    connection.close()
    return time.perf_counter() - started, time.process_time() - cpu


def importer(path: Path, db_path: Path) -> tuple[float, float, int]:
    """Wall and CPU seconds for the importer on a fresh center, and the calls it wrote."""
    db = Database.create(db_path, center_name="Bench")
    with db.write() as session:
        seed_defaults(session)
        admin = Staff(login="bench", name="Bench", role="admin", hired_on=date(2025, 1, 1))
        session.add(admin)
        session.flush()
        actor = Actor.of(admin)
    started, cpu = time.perf_counter(), time.process_time()
    run = QueueLogImporter(db, actor)
    import_file(run, path)
    summary = run.finish()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    db.close()
    return elapsed, cpu, summary.calls_added


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    source = Path(tempfile.gettempdir()) / f"svcdesk-bench-{args.lines}.queue_log"
    count = generate(source, args.lines)
    print(f"queue_log: {source} ({count:,} lines, {source.stat().st_size / 1e6:.0f} MB)")
    floors, imports, calls = [], [], 0
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as scratch:
            floors.append(floor(source, Path(scratch) / "floor.db"))
            *seconds, calls = importer(source, Path(scratch) / "center.db")
            imports.append(tuple(seconds))
    print(f"{'':29s}{'wall':>24s}{'CPU':>26s}")
    for name, runs in (("floor (split + executemany)", floors), ("svcdesk importer", imports)):
        wall = statistics.median(run[0] for run in runs)
        cpu = statistics.median(run[1] for run in runs)
        print(
            f"{name:29s}{count / wall:>12,.0f} lines/s ({wall:5.2f} s)"
            f"{count / cpu:>12,.0f} lines/s ({cpu:5.2f} s)"
        )
    for i, kind in enumerate(("wall", "CPU")):
        floor_s = statistics.median(run[i] for run in floors)
        import_s = statistics.median(run[i] for run in imports)
        print(f"importer ÷ floor, {kind} time: {import_s / floor_s:.2f}×")
    print(f"({calls:,} calls written; medians of {args.repeat} runs)")


if __name__ == "__main__":
    main()

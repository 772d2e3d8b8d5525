"""Benchmark of `svcdesk ingest queue-log` against the floor of a plain executemany.

Generates a realistic queue_log of 1,000,000 lines (deterministic) into /tmp,
then, each run on fresh SQLite files:

* the importer: the file through ``QueueLogImporter`` (calls, agents, pauses),
  wall and CPU time;
* the floor: the very call rows the importer ended up writing, read back and
  inserted with ``sqlite3`` ``executemany`` in one transaction into the ``call``
  table of a store holding the same queues and staff (same schema, indexes and
  pragmas), timed alone. Lines/s of the floor is the file's lines over that time.

Prints medians of both and their ratio. Not part of pytest:
``python bench/ingest_bench.py [--lines N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import heapq
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import insert

from svcdesk_tui.core.center_setup import seed_defaults
from svcdesk_tui.core.db import Database
from svcdesk_tui.ingest import store
from svcdesk_tui.ingest.follow import import_file
from svcdesk_tui.ingest.importer import QueueLogImporter
from svcdesk_tui.models import Customer, Staff
from svcdesk_tui.people.identity import Actor

QUEUES = ("support", "billing", "technical", "sales")
START = 1767596400  # Monday 5 January 2026, 07:00 UTC
AGENTS = 218
CUSTOMERS = 100_000  # with phones; 60 % of callers are one of them
UNANSWERED = ("ABANDON",) * 14 + ("EXITWITHTIMEOUT",) * 3 + ("EXITWITHKEY", "EXITEMPTY")
ENDS = ("COMPLETECALLER",) * 11 + ("COMPLETEAGENT",) * 7 + ("BLINDTRANSFER", "ATTENDEDTRANSFER")


def customer_phone(n: int) -> str:
    """The n-th customer's phone as the PBX shows it (the store writes it with spaces)."""
    return f"06{20_000_000 + 7 * n}"


def generate(path: Path, lines: int, seed: int = 7) -> int:
    """Write ``lines`` lines of plausible traffic in time order; returns the count.

    Callers arrive every 0-3 s and wait for the agent who is free first; a caller
    whose patience runs out hangs up (or times out, presses a key, finds the queue
    empty). Agents talk 30-600 s, sometimes after a ring nobody answered, and now
    and then pause for five minutes after a call.
    """
    rng = random.Random(seed)
    agents = [f"PJSIP/{1000 + n}" for n in range(AGENTS)]
    events: list[tuple[int, int, str]] = []  # (epoch, order, line): sorted at the end

    def log(at: int, line: str) -> None:
        events.append((at, len(events), f"{at}|{line}"))

    for agent in agents:
        for queue in rng.sample(QUEUES, 2):
            log(START, f"MANAGER|{queue}|{agent}|ADDMEMBER|")
    free = [(START, n) for n in range(AGENTS)]  # (free from, agent): a heap
    now, serial = START, 0
    while len(events) < lines:
        now += rng.randint(0, 3)
        serial += 1
        uid, queue = f"{now}.{serial}", rng.choice(QUEUES)
        caller = customer_phone(rng.randrange(CUSTOMERS)) if rng.random() < 0.6 else None
        caller = caller or f"06{rng.randint(10**7, 10**8 - 1)}"
        log(now, f"{uid}|{queue}|NONE|ENTERQUEUE||{caller}|1")
        free_from, n = heapq.heappop(free)
        answer = max(now + rng.randint(2, 8), free_from)
        wait, patience = answer - now, rng.randint(3, 120)
        if wait > patience:
            heapq.heappush(free, (free_from, n))
            kind, left = rng.choice(UNANSWERED), now + patience
            data = f"1|1|{patience}" if kind != "EXITWITHKEY" else f"5|1|1|{patience}"
            log(left, f"{uid}|{queue}|NONE|{kind}|{data}")
            continue
        agent = agents[n]
        if rng.random() < 0.15:
            log(answer - 1, f"{uid}|{queue}|{rng.choice(agents)}|RINGNOANSWER|15000")
        talk = rng.randint(30, 600)
        log(answer, f"{uid}|{queue}|{agent}|CONNECT|{wait}|{uid}1|2")
        end, kind = answer + talk, rng.choice(ENDS)
        if kind == "BLINDTRANSFER":
            data = f"2000|from-internal|{wait}|{talk}|1"
        elif kind == "ATTENDEDTRANSFER":
            data = f"BRIDGE|{serial:x}-bridge|{wait}|{talk}|1"
        else:
            data = f"{wait}|{talk}|1"
        log(end, f"{uid}|{queue}|{agent}|{kind}|{data}")
        free_from = end + rng.randint(0, 20)
        if rng.random() < 0.02:
            log(end, f"NONE|{queue}|{agent}|PAUSE|break")
            free_from = end + 300
            log(free_from, f"NONE|{queue}|{agent}|UNPAUSE|")
        heapq.heappush(free, (free_from, n))
    events.sort()
    path.write_text("\n".join(line for *_, line in events[:lines]) + "\n", encoding="utf-8")
    return min(lines, len(events))


def call_rows(db_path: Path) -> list[tuple]:
    """The PBX call rows an import wrote, in the importer's columns, in insertion order."""
    connection = sqlite3.connect(db_path)
    rows = connection.execute(
        f"SELECT {', '.join(store.CALL_COLUMNS)} FROM call WHERE source = ? ORDER BY id",
        (store.SOURCE,),
    ).fetchall()
    connection.close()
    return rows


def empty_copy(imported: Path, target: Path) -> None:
    """``imported`` with its calls removed: the same queues, staff, schema and indexes."""
    shutil.copyfile(imported, target)
    connection = sqlite3.connect(target, isolation_level=None)
    connection.execute("UPDATE agent_status SET call_id = NULL")
    connection.execute("DELETE FROM call")
    connection.execute("VACUUM")
    connection.close()


def floor(db_path: Path, rows: list[tuple]) -> tuple[float, float]:
    """Wall and CPU seconds to executemany ``rows`` into the store's call table at once."""
    insert = (
        f"INSERT INTO call ({', '.join(store.CALL_COLUMNS)}) "
        f"VALUES ({', '.join('?' * len(store.CALL_COLUMNS))})"
    )
    started, cpu = time.perf_counter(), time.process_time()
    connection = sqlite3.connect(db_path, isolation_level=None)
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.execute("PRAGMA cache_size = -65536")  # as the importer's batches
    connection.execute("BEGIN")
    connection.executemany(insert, rows)
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
        phones = (customer_phone(n) for n in range(CUSTOMERS))
        customers = [
            {"name": f"Customer {n}", "phone": f"{p[:2]} {p[2:6]} {p[6:]}", "nuisance": False}
            for n, p in enumerate(phones)
        ]
        session.execute(insert(Customer), customers)
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
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    source = Path(tempfile.gettempdir()) / f"svcdesk-bench-{args.lines}.queue_log"
    count = generate(source, args.lines)
    print(f"queue_log: {source} ({count:,} lines, {source.stat().st_size / 1e6:.0f} MB)")
    floors, imports, calls = [], [], 0
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as scratch:
            imported, plain = Path(scratch) / "center.db", Path(scratch) / "floor.db"
            *seconds, calls = importer(source, imported)
            imports.append(tuple(seconds))
            rows = call_rows(imported)
            empty_copy(imported, plain)
            floors.append(floor(plain, rows))
    print(f"{'':29s}{'wall':>24s}{'CPU':>26s}")
    for name, runs in (("floor (executemany of calls)", floors), ("svcdesk importer", imports)):
        wall = statistics.median(run[0] for run in runs)
        cpu = statistics.median(run[1] for run in runs)
        print(
            f"{name:29s}{count / wall:>12,.0f} lines/s ({wall:5.2f} s)"
            f"{count / cpu:>12,.0f} lines/s ({cpu:5.2f} s)"
        )
    for i, kind in enumerate(("wall", "CPU")):
        floor_s = statistics.median(run[i] for run in floors)
        import_s = statistics.median(run[i] for run in imports)
        own = statistics.median(run[i] / pair[i] for run, pair in zip(imports, floors, strict=True))
        print(
            f"importer ÷ floor, {kind} time: {import_s / floor_s:.2f}× "
            f"(median of each run's own ratio: {own:.2f}×)"
        )
    print(f"({calls:,} calls written; medians of {args.repeat} runs)")
    print("target: at least 100,000 lines/s, within 3× of the floor")


if __name__ == "__main__":
    main()

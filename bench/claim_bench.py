"""Taking calls under contention: claims per second and claim latency at 1, 10 and 50 agents.

    python bench/claim_bench.py [--agents 1 10 50] [--calls 1000] [--db URL]

Each agent is its own process (as over SSH) with its own connection to one
store (a fresh SQLite file in /tmp unless --db names a URL). An agent takes the
next call and completes it, until nobody waits; the claim (one conditional
UPDATE in a BEGIN IMMEDIATE transaction) is timed from asking to commit.
Prints, per level: claims/s over the wall time of the whole run, the median,
p99 and longest claim, the p99's ratio to the first level, and how many
errors (e.g. "database is locked") a person would have seen.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import tempfile
import time
from collections import Counter
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path

from svcdesk_tui.core.center_setup import seed_defaults
from svcdesk_tui.core.clock import SystemClock
from svcdesk_tui.core.db import Database
from svcdesk_tui.core.errors import DatabaseError, SvcdeskError
from svcdesk_tui.models import Queue, Staff
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.queue import live as queue

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def agent(target: str, actor: Actor, ready, start, results) -> None:  # type: ignore[no-untyped-def]
    db = Database.open(target)
    clock = SystemClock()
    latencies: list[float] = []
    errors: list[str] = []
    ready.put(actor.login)
    start.wait()
    while True:
        began = time.perf_counter()
        try:
            with db.write() as session:
                call = queue.take_call(session, actor, clock.now())
            if call is None:
                break
            latencies.append(time.perf_counter() - began)
            with db.write() as session:
                queue.complete_call(
                    session, actor, clock.now(), queue.Completion("other", outcome="resolved")
                )
        except SvcdeskError as error:  # what a person would have seen ("database is locked" …)
            errors.append(str(error))
    results.put((latencies, errors))
    db.close()


def build(target: str | None, agents: int, calls: int) -> tuple[str, list[Actor]]:
    where = target or str(Path(tempfile.mkdtemp(prefix="claim-bench-")) / "center.db")
    if target:  # a server database: start each level from an empty schema
        with suppress(DatabaseError):  # nothing there yet
            Database.open(target).destroy()
    db = Database.create(where, center_name="Claim bench")
    actors = []
    with db.write() as session:
        seed_defaults(session)
        support = Queue(name="Support", sl_threshold_seconds=20, sl_target=0.8)
        session.add(support)
        for n in range(agents):
            staff = Staff(login=f"agent{n:03}", name=f"Agent {n}", hired_on=START.date())
            session.add(staff)
            session.flush()
            actors.append(Actor.of(staff))
        session.flush()
        for n in range(calls):
            queue.enqueue_call(session, queue_id=support.id, now=START + timedelta(seconds=n))  # type: ignore[arg-type]
    db.close()
    return where, actors


def run_level(target: str | None, agents: int, calls: int) -> tuple[float, list[float], int]:
    where, actors = build(target, agents, calls)
    context = mp.get_context("spawn")
    ready, start, results = context.Queue(), context.Event(), context.Queue()
    processes = [
        context.Process(target=agent, args=(where, actor, ready, start, results))
        for actor in actors
    ]
    for process in processes:
        process.start()
    for _ in processes:
        ready.get(timeout=1800)  # 50 interpreters start slowly on a busy machine
    began = time.perf_counter()
    start.set()
    reports = [results.get(timeout=1800) for _ in processes]
    wall = time.perf_counter() - began
    for process in processes:
        process.join()
    latencies = [latency for taken, _ in reports for latency in taken]
    assert len(latencies) == calls, f"{len(latencies)} claims for {calls} calls"
    return wall, latencies, [error for _, errors in reports for error in errors]


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[98]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument(
        "--db", help="a server database URL, emptied for each level (default: a new SQLite file)"
    )
    args = parser.parse_args()
    print(f"{args.calls} calls per level, each agent a process; claim = take_call transaction")
    print(
        f"{'agents':>6}  {'claims/s':>9}  {'median ms':>9}  {'p99 ms':>8}  {'max ms':>8}  "
        f"{'p99 vs 1st':>10}  {'errors':>6}"
    )
    base_p99 = None
    for agents in args.agents:
        wall, latencies, errors = run_level(args.db, agents, args.calls)
        tail = p99(latencies) * 1000
        base_p99 = base_p99 or tail
        print(
            f"{agents:>6}  {len(latencies) / wall:>9.0f}  "
            f"{statistics.median(latencies) * 1000:>9.2f}  {tail:>8.2f}  "
            f"{max(latencies) * 1000:>8.0f}  {tail / base_p99:>9.1f}x  {len(errors):>6}"
        )
        for text, times in Counter(errors).most_common():
            print(f"        error seen {times}×: {text}")


if __name__ == "__main__":
    main()

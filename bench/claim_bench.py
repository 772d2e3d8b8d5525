"""Taking calls under contention: claims per second and claim latency, closed and open loop.

    python bench/claim_bench.py [--mode both|closed|open] [--agents 1 50] [--repeats 3]
                                [--calls 1000] [--rate 2] [--seconds 120] [--db URL]

Each agent is its own process (as over SSH) with its own connection to one
store (a fresh SQLite file in /tmp for every round unless --db names a URL,
emptied for every round). The agents' processes start once and serve every
round. A claim (``take_call`` in a write transaction) is timed from asking to
commit.

Closed loop: every agent takes the next call and completes it, again and
again until nobody waits, so every agent always contends. The levels of
``--agents`` run interleaved ``--repeats`` times; the first level is the floor.
Per level: the median claims/s over the rounds (wall time of a round), its
ratio to the floor's median, and claim latency p50/p99 over all rounds.

Open loop: ``--agents``' last level of agents are logged in, and new calls
arrive at ``--rate`` a second (Poisson, seeded) for ``--seconds``. An agent's
desk looks at the queue every ``--poll`` seconds (jittered); when somebody
waits it takes the next call and completes it. Prints claims/s, claim latency
p50/p99/max, and how often an agent found the call already taken.

Errors are what a person would have seen ("database is locked" …); the bench
checks every call was claimed exactly once. Note the load (``uptime``): on a
shared machine compare within a run only.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import statistics
import tempfile
import time
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from svcdesk_tui.core.center_setup import seed_defaults
from svcdesk_tui.core.clock import SystemClock
from svcdesk_tui.core.db import Database
from svcdesk_tui.core.errors import DatabaseError, SvcdeskError
from svcdesk_tui.models import Call, Queue, Staff, is_waiting
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.queue import live as queue

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
DONE = queue.Completion("other", outcome="resolved")


@dataclass
class Report:
    """What one agent saw in one round."""

    claimed: list[int] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)  # claims that got a call
    lost: int = 0  # an open-loop agent saw a call, but someone else took it first
    errors: list[str] = field(default_factory=list)


def take(db: Database, actor: Actor, clock: SystemClock, report: Report) -> bool | None:
    """A claim and, if it got a call, its completion: got one (True) or not, None on error."""
    began = time.perf_counter()
    try:
        with db.write() as session:
            call = queue.take_call(session, actor, now=clock.now())
            call_id = call.id if call else None
        if call_id is None:
            return False
        report.latencies.append(time.perf_counter() - began)
        report.claimed.append(call_id)
        with db.write() as session:
            queue.complete_call(session, actor, DONE, now=clock.now())
        return True
    except SvcdeskError as error:  # what a person would have seen
        report.errors.append(str(error))
        return None


def closed_loop(db: Database, actor: Actor, start: Any, stop: Any, poll_s: float) -> Report:
    report, clock = Report(), SystemClock()
    start.wait()
    while take(db, actor, clock, report) is not False:
        pass
    return report


def open_loop(db: Database, actor: Actor, start: Any, stop: Any, poll_s: float) -> Report:
    report, clock = Report(), SystemClock()
    rng = random.Random(actor.id)
    start.wait()
    while not stop.is_set():
        with db.read() as session:  # the desk shows whether anybody waits
            waiting = session.exec(select(col(Call.id)).where(is_waiting()).limit(1)).first()
        if waiting is None:
            time.sleep(poll_s * rng.uniform(0.5, 1.5))
        elif take(db, actor, clock, report) is False:
            report.lost += 1
    return report


LOOPS = {"closed": closed_loop, "open": open_loop}


def worker(commands: Any, results: Any, start: Any, stop: Any) -> None:
    """An agent's process: serves rounds until told to stop."""
    while (command := commands.get()) is not None:
        mode, where, actor, poll_s = command
        db = Database.open(where)
        results.put(("ready", actor.login))
        report = LOOPS[mode](db, actor, start, stop, poll_s)
        db.close()
        results.put(("done", report))


def build(target: str | None, agents: int, calls: int) -> tuple[str, list[Actor], int]:
    where = target or str(Path(tempfile.mkdtemp(prefix="claim-bench-")) / "center.db")
    if target:  # a server database: start each round from an empty schema
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
        assert support.id is not None
        for n in range(calls):
            queue.enqueue_call(session, queue_id=support.id, now=START + timedelta(seconds=n))
    db.close()
    return where, actors, support.id


class Agents:
    """A pool of agent processes, started once; each round hands them a store."""

    def __init__(self, size: int) -> None:
        context = mp.get_context("spawn")
        self.start, self.stop, self.results = context.Event(), context.Event(), context.Queue()
        self.commands = [context.Queue() for _ in range(size)]
        self.processes = [
            context.Process(target=worker, args=(c, self.results, self.start, self.stop))
            for c in self.commands
        ]
        for process in self.processes:
            process.start()

    def begin(self, mode: str, where: str, actors: list[Actor], poll_s: float = 0.0) -> float:
        self.start.clear()
        self.stop.clear()
        for commands, actor in zip(self.commands, actors, strict=False):
            commands.put((mode, where, actor, poll_s))
        for _ in actors:
            self.results.get(timeout=1800)  # 50 interpreters start slowly on a busy machine
        began = time.perf_counter()
        self.start.set()
        return began

    def reports(self, count: int) -> list[Report]:
        return [self.results.get(timeout=1800)[1] for _ in range(count)]

    def close(self) -> None:
        for commands in self.commands:
            commands.put(None)
        for process in self.processes:
            process.join(timeout=60)
            if process.is_alive():
                process.kill()


def checked(reports: list[Report], calls: int) -> Report:
    """All agents' reports in one; every call claimed exactly once."""
    merged = Report()
    for report in reports:
        merged.claimed += report.claimed
        merged.latencies += report.latencies
        merged.lost += report.lost
        merged.errors += report.errors
    assert len(merged.claimed) == calls, f"{len(merged.claimed)} claims for {calls} calls"
    assert len(set(merged.claimed)) == calls, "a call was claimed twice"
    return merged


def pct(values: list[float], n: int) -> float:
    """The n-th percentile in milliseconds."""
    return statistics.quantiles(values, n=100, method="inclusive")[n - 1] * 1000


def show_errors(errors: list[str]) -> None:
    for text, times in Counter(errors).most_common():
        print(f"        error seen {times}×: {text}")


def run_closed(pool: Agents, args: argparse.Namespace) -> None:
    levels, most = args.agents, max(args.agents)
    print(
        f"closed loop: {args.calls} calls a round, levels {levels} interleaved × {args.repeats}; "
        "an agent takes and completes until nobody waits"
    )
    rates: dict[int, list[float]] = {level: [] for level in levels}
    rounds: dict[int, Report] = {level: Report() for level in levels}
    for repeat in range(args.repeats):
        for level in levels:
            where, actors, _ = build(args.db, most, args.calls)
            began = pool.begin("closed", where, actors[:level])
            merged = checked(pool.reports(level), args.calls)
            rate = args.calls / (time.perf_counter() - began)
            rates[level].append(rate)
            rounds[level].latencies += merged.latencies
            rounds[level].errors += merged.errors
            print(f"  round {repeat + 1}, {level:>2} agents: {rate:6.0f} claims/s", flush=True)
    floor = statistics.median(rates[levels[0]])
    print(f"{'agents':>6}  {'claims/s':>9}  {'vs floor':>8}  {'p50 ms':>7}  {'p99 ms':>7}  errors")
    for level in levels:
        rate, seen = statistics.median(rates[level]), rounds[level]
        print(
            f"{level:>6}  {rate:>9.0f}  {rate / floor:>7.0%}  {pct(seen.latencies, 50):>7.2f}  "
            f"{pct(seen.latencies, 99):>7.2f}  {len(seen.errors):>6}"
        )
        show_errors(seen.errors)


def run_open(pool: Agents, args: argparse.Namespace) -> None:
    agents = max(args.agents)
    print(
        f"open loop: {agents} agents, {args.rate} new calls/s (Poisson) for {args.seconds:.0f} s, "
        f"desks look every {args.poll} s; an agent takes the next call and completes it"
    )
    where, actors, support = build(args.db, agents, 0)
    db, rng, calls, feeds = Database.open(where), random.Random(7), 0, []
    began = pool.begin("open", where, actors, args.poll)
    arrival = began
    while (arrival := arrival + rng.expovariate(args.rate)) < began + args.seconds:
        time.sleep(max(0.0, arrival - time.perf_counter()))
        fed = time.perf_counter()
        with db.write() as session:
            queue.enqueue_call(session, queue_id=support, now=SystemClock().now())
        feeds.append(time.perf_counter() - fed)
        calls += 1
    while True:  # until the last caller is answered
        with db.read() as session:
            if session.exec(select(col(Call.id)).where(is_waiting()).limit(1)).first() is None:
                break
        time.sleep(0.05)
    wall = time.perf_counter() - began
    pool.stop.set()
    merged = checked(pool.reports(agents), calls)
    db.close()
    seen = merged.latencies
    print(
        f"  {calls} calls in {wall:.1f} s: {calls / wall:.2f} claims/s; claim p50 "
        f"{pct(seen, 50):.2f} ms, p99 {pct(seen, 99):.2f} ms, max {max(seen) * 1000:.1f} ms; "
        f"call already taken {merged.lost}×; new call written p99 {pct(feeds, 99):.2f} ms; "
        f"errors {len(merged.errors)}"
    )
    show_errors(merged.errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["both", "closed", "open"], default="both")
    parser.add_argument("--agents", type=int, nargs="+", default=[1, 50])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--calls", type=int, default=1000, help="calls a closed-loop round")
    parser.add_argument("--rate", type=float, default=2.0, help="open loop: new calls a second")
    parser.add_argument("--seconds", type=float, default=120.0, help="open loop: how long")
    parser.add_argument("--poll", type=float, default=0.25, help="open loop: desk refresh, s")
    parser.add_argument(
        "--db", help="a server database URL, emptied for each round (default: a new SQLite file)"
    )
    args = parser.parse_args()
    print(f"load average at start: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    pool = Agents(max(args.agents))
    try:
        if args.mode in ("both", "closed"):
            run_closed(pool, args)
        if args.mode in ("both", "open"):
            run_open(pool, args)
    finally:
        pool.close()
    print(f"load average at end: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()

"""Many real desks on one store: CPU idle and busy, memory, and how soon a new call shows.

    python bench/desks_bench.py [--db sample.db | --center] [--desks 1 25 100]
                                [--idle 25] [--busy 30] [--rate 1]

Each desk is the `svcdesk` console script (``--no-simulate``) in a 120x40
pseudo-terminal of its own, supervisors (leads, the manager) and agents mixed,
all on one copy of the store. A feeder process puts calls into the queue at
``--rate`` calls a second (Poisson arrivals) through the queue's own moves,
each from a caller of its own ("Bench caller 00042", on an agreement that
queues it first), and has agents take, end and complete them a few seconds
later. A call counts as shown on a desk once its caller's name is in what the
desk wrote to its terminal (a cell's words are written in one run), found as
the bytes are read: a terminal emulator per desk (pyte) made the reading
processes fall seconds behind 20 busy desks each, and that lag was measured as
the desks'.

Measured from /proc: CPU per desk while idle (no arrivals, no moves) and
busy (arrivals), RSS (and PSS) per desk; and from a call committed to its
caller on each desk's screen, p50 and p99 over all desks and calls (a call a
desk never showed counts as endless). ``--center`` uses the generated
1,000,000-call center of ``queue_bench.py`` (made once in /tmp).
Targets: idle desk < 0.5 % of a core; 100 desks busy < 1 core in total;
p99 < 1.5 s; < 70 MB per desk.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import heapq
import json
import math
import multiprocessing
import os
import pty
import random
import re
import select as fd_select
import signal
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVCDESK = str(Path(sys.executable).with_name("svcdesk"))
CENTER = Path("/tmp/svcdesk-queue-center.db")  # queue_bench.py's generated center
COLS, ROWS = 120, 40
CALLER = "Bench caller {:05d}"
SHOWN = re.compile(rb"Bench caller (\d{5})")
PAINTED = b"logged in)"  # the agents board's title: the first snapshot is on screen
LAST_WORDS = 600  # bytes of its output kept per desk: what a desk that ended last said
TICK = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
TAKE_AFTER_S = 4.0  # a call waits this long before an agent takes it
POOL_AGENTS = 30  # agents without a desk the feeder logs in to take calls
DESKS_PER_READER = 20  # terminals one reading process keeps
STARTING_AT_ONCE = 3  # desks starting at once, over all readers: 2 cores
START_S_PER_DESK = float(os.environ.get("DESKS_BENCH_START_S", "2"))  # a loaded machine: more


# --- the store ---------------------------------------------------------------------------


def prepare_store(source: Path, copy: Path, callers: int) -> None:
    """A copy of the store with ``callers`` bench customers on an agreement queued first."""
    with sqlite3.connect(source) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    from sqlalchemy import func, select

    from svcdesk_tui.core.db import Database
    from svcdesk_tui.models import Agreement, Customer

    database = Database.open(copy)
    with database.write() as session:
        top = session.execute(select(func.max(Agreement.queue_priority))).scalar() or 0
        agreement = Agreement(name="Desk bench", answer_seconds=30, queue_priority=top + 1)
        session.add(agreement)
        session.flush()
        session.add_all(
            Customer(name=CALLER.format(k), phone=f"+99 555 {k:06d}", agreement_id=agreement.id)
            for k in range(callers)
        )
    database.engine.dispose()


def pick_logins(copy: Path, desks: int) -> list[tuple[str, str]]:
    """(login, role) for each desk: supervisors and agents in turn, a supervisor first.

    Agents are never doubled (each logs in); supervisors are, once each is used."""
    with sqlite3.connect(copy) as con:
        rows = con.execute(
            "SELECT login, role FROM staff WHERE role IN ('agent', 'lead', 'manager') "
            "AND (left_on IS NULL OR left_on >= ?) ORDER BY login",
            (date.today().isoformat(),),
        ).fetchall()
    agents = [r for r in rows if r[1] == "agent"]
    supervisors = [r for r in rows if r[1] != "agent"]
    picked: list[tuple[str, str]] = []
    for k in range(desks):
        if k % 2 and len([p for p in picked if p[1] == "agent"]) < len(agents):
            picked.append(agents[k // 2])
        else:
            picked.append(
                supervisors[len([p for p in picked if p[1] != "agent"]) % len(supervisors)]
            )
    return picked


# --- the feeder (a process of its own) ------------------------------------------------------


def feed(store: Path, rate: float, desk_logins: set[str], seed: int) -> None:
    """Wait for "go" on stdin, then feed calls until "stop"; print "K EPOCH" per call entered."""
    from sqlmodel import col, select

    from svcdesk_tui.core.clock import SystemClock
    from svcdesk_tui.core.db import Database
    from svcdesk_tui.core.errors import SvcdeskError
    from svcdesk_tui.models import (
        AgentStateKind,
        AgentStatus,
        ContactReason,
        Customer,
        Queue,
        Staff,
    )
    from svcdesk_tui.people import presence
    from svcdesk_tui.people.identity import Actor
    from svcdesk_tui.queue import live

    rng, clock, database = random.Random(seed), SystemClock(), Database.open(store)
    with database.read() as session:
        queues = [q.id for q in session.exec(select(Queue)) if q.id is not None]
        callers = [
            c.id
            for c in session.exec(
                select(Customer)
                .where(col(Customer.name).like("Bench caller %"))
                .order_by(col(Customer.name))
            )
        ]
        reason = session.exec(select(ContactReason.code)).first() or ""
        agents = {
            s.id: Actor.of(s) for s in session.exec(select(Staff).where(Staff.role == "agent"))
        }
    pool = [a for a in agents.values() if a.login not in desk_logins][:POOL_AGENTS]
    stopped = threading.Event()

    def listen() -> None:
        for line in sys.stdin:
            if line.strip() == "stop":
                break
        stopped.set()

    if sys.stdin.readline().strip() != "go":
        return
    threading.Thread(target=listen, daemon=True).start()
    events: list[tuple[float, int, str, int]] = []  # (when, order, what, call or agent id)
    order = 0

    def later(delay: float, what: str, subject: int) -> None:
        nonlocal order
        order += 1
        heapq.heappush(events, (time.time() + delay, order, what, subject))

    with database.write() as session:
        for actor in pool:
            presence.log_in(session, actor, now=clock.now(), client="bench")
    later(rng.expovariate(rate), "arrive", 0)
    later(30.0, "beat", 0)
    held: dict[int, int] = {}  # agent id -> call id
    while not stopped.is_set():
        when, _, what, subject = heapq.heappop(events)
        if stopped.wait(max(0.0, when - time.time())):
            break
        now = clock.now()
        try:
            with database.write() as session:
                if what == "arrive":
                    k = subject
                    call = live.enqueue_call(
                        session,
                        queue_id=rng.choice(queues),
                        now=now,
                        customer_id=callers[k],
                        source="bench",
                    )
                    call_id = call.id
                elif what == "take":
                    free = session.exec(
                        select(AgentStatus.staff_id).where(
                            AgentStatus.state == AgentStateKind.AVAILABLE
                        )
                    ).all()
                    free = [a for a in free if a in agents and a not in held]
                    if free:
                        agent = rng.choice(free)
                        if live.take_call(session, agents[agent], subject, now=now) is not None:
                            held[agent] = subject
                            later(rng.uniform(5, 15), "end", agent)
                elif what == "end":
                    live.end_talk(session, agents[subject], now=now)
                    later(rng.uniform(1, 3), "complete", subject)
                elif what == "complete":
                    live.complete_call(
                        session,
                        agents[subject],
                        live.Completion(reason_code=reason, outcome="resolved"),
                        now=now,
                    )
                    held.pop(subject, None)
                elif what == "beat":
                    for actor in pool:
                        presence.heartbeat(session, actor.id, now=now)
        except SvcdeskError as error:
            print(f"# {what}: {error}", flush=True)
            continue
        if what == "arrive":
            print(f"{subject} {time.time():.6f}", flush=True)
            assert call_id is not None
            later(TAKE_AFTER_S, "take", call_id)
            if subject + 1 < len(callers):
                later(rng.expovariate(rate), "arrive", subject + 1)
        elif what == "beat":
            later(30.0, "beat", 0)


# --- the desks ---------------------------------------------------------------------------


@dataclass
class Desk:
    login: str
    role: str
    pid: int
    fd: int
    painted: float | None = None  # when the first snapshot was on screen
    seen: dict[int, float] = field(default_factory=dict)  # bench caller -> first on screen
    output: int = 0  # bytes written to the terminal
    open: bool = True
    tail: bytes = b""  # the end of what it wrote: a name split between reads, a last word

    def take(self, data: bytes, now: float) -> None:
        """Note the callers in what the desk just wrote (and whether it has painted)."""
        self.output += len(data)
        text = self.tail + data
        self.tail = text[-LAST_WORDS:]
        if self.painted is None and PAINTED in text:
            self.painted = now
        for match in SHOWN.finditer(text):
            self.seen.setdefault(int(match.group(1)), now)


def start_desk(store: Path, login: str, role: str, nice: int) -> Desk:
    pid, fd = pty.fork()
    if pid == 0:  # the child: give the terminal its size, then become the desk
        try:
            os.setpriority(os.PRIO_PROCESS, 0, nice)  # not the reader's higher priority
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
            args = [SVCDESK, "--db", str(store), "--as", login, "--no-simulate"]
            os.execve(SVCDESK, args, {**os.environ, "TERM": "xterm-256color"})
        finally:
            os._exit(127)
    return Desk(login, role, pid, fd)


class Terminals(threading.Thread):
    """Reads every desk's terminal as soon as it writes, so no desk blocks on a full one."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.desks: dict[int, Desk] = {}
        self.lock = threading.Lock()
        self.stopped = threading.Event()

    def add(self, desk: Desk) -> None:
        with self.lock:
            self.desks[desk.fd] = desk

    def run(self) -> None:
        while not self.stopped.is_set():
            with self.lock:
                open_fds = [fd for fd, desk in self.desks.items() if desk.open]
            if not open_fds:
                time.sleep(0.05)
                continue
            ready, _, _ = fd_select.select(open_fds, [], [], 0.1)
            now = time.time()
            for fd in ready:
                desk = self.desks[fd]
                try:
                    data = os.read(fd, 65536)
                except OSError:
                    data = b""
                if data:
                    desk.take(data, now)
                else:
                    desk.open = False  # the desk ended


def read_group(store: Path, group: list[tuple[str, str]], conn: object, starting: object) -> None:
    """A reading process: starts its desks, keeps their screens, answers the bench.

    Each desk's terminal stands for a machine of its own, so the readers run
    ahead of the desks (a higher priority where allowed): a hundred desks
    filling both cores must not delay the reading of their screens.
    """
    nice = os.getpriority(os.PRIO_PROCESS, 0)  # the desks run at the bench's own priority
    with contextlib.suppress(PermissionError, OSError):
        os.nice(-5)
    terminals = Terminals()
    terminals.start()
    desks: list[Desk] = []
    released: set[int] = set()
    ended: set[int] = set()

    def release_painted() -> None:
        for desk in desks:
            if desk.pid not in released and (desk.painted is not None or not desk.open):
                released.add(desk.pid)
                starting.release()  # type: ignore[attr-defined]

    for login, role in group:
        while not starting.acquire(timeout=0.05):  # type: ignore[attr-defined]
            release_painted()
        desk = start_desk(store, login, role, nice)
        desks.append(desk)
        terminals.add(desk)
    while True:
        release_painted()
        if not conn.poll(0.05):  # type: ignore[attr-defined]
            continue
        command = conn.recv()  # type: ignore[attr-defined]
        if command == "state":
            for desk in desks:
                if not desk.open and desk.pid not in ended:
                    ended.add(desk.pid)
                    said = re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]", b" ", desk.tail)
                    words = " ".join(said.decode(errors="replace").split())[-300:]
                    print(f"  {desk.login}'s desk ended; its last words: {words}", flush=True)
            state = {d.pid: (d.login, d.painted, d.open, d.output) for d in desks}
            conn.send((len(group), state))  # type: ignore[attr-defined]
        elif command == "seen":
            conn.send({d.pid: dict(d.seen) for d in desks})  # type: ignore[attr-defined]
        elif command == "stop":
            for desk in desks:
                end(desk.pid)
            terminals.stopped.set()
            terminals.join()
            conn.send("stopped")  # type: ignore[attr-defined]
            return


class Readers:
    """The desks, started and read by reading processes of :data:`DESKS_PER_READER` each."""

    def __init__(self, store: Path, logins: list[tuple[str, str]]) -> None:
        context = multiprocessing.get_context("fork")
        starting = context.Semaphore(STARTING_AT_ONCE)
        self.conns = []
        self.processes = []
        for first in range(0, len(logins), DESKS_PER_READER):
            group = logins[first : first + DESKS_PER_READER]
            ours, theirs = context.Pipe()
            process = context.Process(
                target=read_group, args=(store, group, theirs, starting), daemon=True
            )
            process.start()
            self.conns.append(ours)
            self.processes.append(process)

    def ask(self, command: str) -> list[object]:
        for conn in self.conns:
            conn.send(command)
        return [conn.recv() for conn in self.conns]

    def state(self) -> tuple[int, dict[int, tuple[str, float | None, bool, int]]]:
        """(desks still to start, pid -> (login, painted at, open, output bytes))."""
        waiting, merged = 0, {}
        for size, state in self.ask("state"):  # type: ignore[misc]
            waiting += size - len(state)
            merged.update(state)
        return waiting, merged

    def cpu_seconds(self) -> float:
        """The reading processes' CPU so far."""
        return sum(cpu_seconds(process.pid) for process in self.processes if process.pid)

    def seen(self) -> dict[int, dict[int, float]]:
        merged: dict[int, dict[int, float]] = {}
        for seen in self.ask("seen"):
            merged.update(seen)  # type: ignore[arg-type]
        return merged

    def stop(self, pids: list[int]) -> None:
        with contextlib.suppress(OSError, EOFError):
            self.ask("stop")
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
        for process in self.processes:
            process.join(timeout=5)


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) in MB."""
    with open(f"/proc/{pid}/statm") as statm:
        rss = int(statm.read().split()[1]) * PAGE_KB / 1024
    pss = 0.0
    with open(f"/proc/{pid}/smaps_rollup") as rollup:
        for line in rollup:
            if line.startswith("Pss:"):
                pss = int(line.split()[1]) / 1024
    return rss, pss


def end(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


# --- one run -----------------------------------------------------------------------------


@dataclass
class Result:
    desks: int
    agents: int
    idle_cpu: list[float]  # % of a core, per desk
    busy_cpu: list[float]
    rss: list[float]
    pss: list[float]
    latencies: list[float]  # seconds; inf for a call a desk never showed
    calls: int
    output_kbs: float  # terminal output per desk while busy, KB/s (median)
    own_cpu: float  # this process's CPU while busy, % of a core


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else math.nan


def run(store: Path, desks: int, idle: float, busy: float, rate: float, seed: int) -> Result:
    with tempfile.TemporaryDirectory(prefix="desks-bench-") as folder:
        copy = Path(folder) / "store.db"
        prepare_store(store, copy, callers=int(rate * busy * 3) + 50)
        logins = pick_logins(copy, desks)
        agents = ",".join(login for login, role in logins if role == "agent")
        feeding = ["--feed", str(copy), "--rate", str(rate), "--seed", str(seed)]
        feeder = subprocess.Popen(
            [sys.executable, __file__, *feeding, "--desk-logins", agents],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        readers = Readers(copy, logins)
        pids: list[int] = []
        try:
            deadline = time.time() + START_S_PER_DESK * len(logins) + 120
            while True:
                waiting, state = readers.state()
                pids = list(state)
                if not all(is_open for _, _, is_open, _ in state.values()):
                    raise RuntimeError("a desk ended before it showed the queue")
                if not waiting and all(painted for _, painted, _, _ in state.values()):
                    break
                if time.time() > deadline:
                    raise RuntimeError("a desk did not show the queue")
                time.sleep(0.5)
            time.sleep(5)  # the start's own work settles
            idle_cpu = _cpu_over(pids, idle)
            assert feeder.stdin is not None and feeder.stdout is not None
            entered: dict[int, float] = {}
            reader = threading.Thread(target=_collect, args=(feeder.stdout, entered), daemon=True)
            reader.start()
            feeder.stdin.write("go\n")
            feeder.stdin.flush()
            output = {pid: out for pid, (_, _, _, out) in readers.state()[1].items()}
            own = time.process_time() + readers.cpu_seconds()
            busy_cpu = _cpu_over(pids, busy)
            own_cpu = (time.process_time() + readers.cpu_seconds() - own) / busy * 100
            after = readers.state()[1]
            output_kbs = statistics.median(
                (after[pid][3] - output[pid]) / busy / 1024 for pid in pids
            )
            memory = [memory_mb(pid) for pid in pids]
            feeder.stdin.write("stop\n")
            feeder.stdin.flush()
            time.sleep(TAKE_AFTER_S)  # the last calls reach every desk (or not)
            if not all(is_open for _, _, is_open, _ in readers.state()[1].values()):
                raise RuntimeError("a desk ended during the run")
            calls = dict(entered)
            seen = readers.seen()
        finally:
            readers.stop(pids)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(feeder.pid, signal.SIGKILL)
            feeder.wait()
    latencies = [
        seen[pid][k] - at if k in seen[pid] else math.inf for k, at in calls.items() for pid in pids
    ]
    if dump := os.environ.get("DESKS_BENCH_DUMP"):  # each call and when each desk showed it
        Path(dump).write_text(json.dumps({"calls": calls, "seen": seen}))
    return Result(
        desks=desks,
        agents=sum(role == "agent" for _, role in logins),
        idle_cpu=idle_cpu,
        busy_cpu=busy_cpu,
        rss=[m[0] for m in memory],
        pss=[m[1] for m in memory],
        latencies=latencies,
        calls=len(calls),
        output_kbs=output_kbs,
        own_cpu=own_cpu,
    )


def _cpu_over(pids: list[int], seconds: float) -> list[float]:
    """Each desk's CPU over the next ``seconds``, in % of a core."""
    before, began = [cpu_seconds(pid) for pid in pids], time.time()
    time.sleep(seconds)
    wall = time.time() - began
    return [(cpu_seconds(pid) - b) / wall * 100 for pid, b in zip(pids, before, strict=True)]


def _collect(lines: object, entered: dict[int, float]) -> None:
    for line in lines:  # type: ignore[attr-defined]
        if line.startswith("#"):
            print(f"  feeder: {line[1:].strip()}", file=sys.stderr)
            continue
        k, at = line.split()
        entered[int(k)] = float(at)


# --- the table ---------------------------------------------------------------------------


COLUMNS = (
    "desks (agents)",
    "idle CPU/desk (max)",
    "busy CPU/desk (max)",
    "busy, all desks",
    "RSS/desk (max)",
    "PSS/desk",
    "call shown p50 / p99",
    "calls",
    "not shown",
    "output/desk",
    "bench's CPU",
)


def report(name: str, results: list[Result], rate: float) -> None:
    """A Markdown table: CPU in % of one core, medians over the desks (max in brackets)."""
    print(f"\n{name}, {rate:g} call/s while busy; CPU in % of one core, medians over the desks\n")
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "---:|" * len(COLUMNS))
    for r in results:
        missed = sum(not math.isfinite(x) for x in r.latencies)
        cells = (
            f"{r.desks} ({r.agents})",
            f"{statistics.median(r.idle_cpu):.2f} % ({max(r.idle_cpu):.2f})",
            f"{statistics.median(r.busy_cpu):.2f} % ({max(r.busy_cpu):.2f})",
            f"{sum(r.busy_cpu) / 100:.2f} cores",
            f"{statistics.median(r.rss):.0f} MB ({max(r.rss):.0f})",
            f"{statistics.median(r.pss):.0f} MB",
            f"{percentile(r.latencies, 0.5):.2f} / {percentile(r.latencies, 0.99):.2f} s",
            str(r.calls),
            str(missed),
            f"{r.output_kbs:.1f} KB/s",
            f"{r.own_cpu:.0f} %",
        )
        print("| " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--db", type=Path, default=ROOT / "sample.db", help="the store (copied; default sample.db)"
    )
    where.add_argument(
        "--center", action="store_true", help=f"the 1,000,000-call center ({CENTER})"
    )
    parser.add_argument("--desks", type=int, nargs="+", default=[1, 25, 100])
    parser.add_argument(
        "--idle", type=float, default=25.0, help="seconds measured without arrivals"
    )
    parser.add_argument("--busy", type=float, default=30.0, help="seconds measured with arrivals")
    parser.add_argument("--rate", type=float, default=1.0, help="calls a second while busy")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--feed", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--desk-logins", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.feed:
        feed(args.feed, args.rate, set(filter(None, args.desk_logins.split(","))), args.seed)
        return
    store = args.db
    if args.center:
        sys.path.insert(0, str(Path(__file__).parent))
        from queue_bench import ensure_center

        ensure_center(CENTER)
        store = CENTER
    if not store.exists():
        parser.error(f"no store at {store}")
    load = os.getloadavg()[0]
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average {load:.2f}, {os.cpu_count()} cores"
    )
    results = []
    for desks in args.desks:
        results.append(run(store, desks, args.idle, args.busy, args.rate, args.seed))
        print(f"  {desks} desks done, load average {os.getloadavg()[0]:.2f}", flush=True)
    report(store.name, results, args.rate)


if __name__ == "__main__":
    main()

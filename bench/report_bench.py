"""Benchmark `svcdesk report` on a generated center of 1,000,000+ calls.

Runs a month report and a year report several times and prints medians, beside
the same aggregates run as plain SQL through the ``sqlite3`` shell (the floor),
and the ratio. Not part of the pytest run.

    python bench/report_bench.py [--db /tmp/svcdesk-bench-center.db] [--runs 5]
                                 [--before COMMIT]

With ``--before COMMIT`` (e.g. the commit before the interval statistics) it times
the whole ``svcdesk report`` of that commit's code against this one's instead,
interleaved run by run, on the same center, for the last full month and the last 365
days of calls and for ``--period month`` and ``--period year``: ``--db`` must then be a
store of that older schema (it is left as it is; a copy of it is upgraded for this code).

The store is reused when it exists (``--db`` or $SVCDESK_BENCH_DB); otherwise it
is generated with ``svcdesk demo-data --out PATH --days 365 --agents 200``.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from svcdesk_tui.cli.report import READ_CACHE_KIB, READ_MMAP_BYTES, read_big
from svcdesk_tui.core.clock import to_epoch
from svcdesk_tui.core.db import Database
from svcdesk_tui.core.interval_sql import NOT_FIELD, pieces_sql
from svcdesk_tui.core.periods import local_date
from svcdesk_tui.core.settings import load_settings
from svcdesk_tui.core.sqltime import offset_case_sql, offsets
from svcdesk_tui.report.build import build_report, resolve_period
from svcdesk_tui.report.render import render

SQLITE3 = shutil.which("sqlite3") or "/usr/bin/sqlite3"
SVCDESK = str(Path(sys.executable).parent / "svcdesk")
DEFAULT_STORE = "/tmp/svcdesk-bench-center.db"


def ensure_store(path: Path) -> None:
    if path.exists():
        return
    print(f"generating {path} (365 days, 200 agents); this takes a while …", flush=True)
    subprocess.run(
        [SVCDESK, "demo-data", "--out", str(path), "--days", "365", "--agents", "200"], check=True
    )


def last_day_with_calls(path: Path) -> tuple[date, str, int]:
    with sqlite3.connect(path) as con:
        (last,) = con.execute("SELECT max(entered_at) FROM call").fetchone()
        (count,) = con.execute("SELECT count(*) FROM call").fetchone()
        row = con.execute("SELECT value FROM setting WHERE key = 'timezone'").fetchone()
    tz = row[0].strip('"') if row else "UTC"
    return local_date(datetime.fromtimestamp(last, UTC), tz), tz, count


def floor_sql(
    since: int, until: int, now: int, window: int, stretches: list[tuple[int, int]]
) -> str:
    """The report's aggregates as plain SQL (what any implementation has to compute)."""
    is_short = (
        "c.wait_seconds <= q.short_abandon_seconds "
        "AND coalesce(c.end_reason, '') NOT IN ('timeout', 'exitkey', 'exitempty')"
    )
    short = f"c.state = 'abandoned' AND {is_short}"
    abandoned = f"c.state = 'abandoned' AND NOT ({is_short})"
    period = f"c.entered_at >= {since} AND c.entered_at < {until}"
    handle = "coalesce(c.talk_seconds, 0) + coalesce(c.wrap_seconds, 0)"
    known = "c.customer_id IS NOT NULL AND c.reason_id IS NOT NULL"
    off = offset_case_sql("s", stretches)
    intervals = [
        pieces_sql(table, start, end, extra, off, 3600)
        .replace(":start", str(since))
        .replace(":stop", str(until))
        for table, start, end, extra in (
            ("shift", "starts_at", "ends_at", NOT_FIELD),
            ("presence_log", "started_at", f"COALESCE(ended_at, {now})", "AND kind = 'session'"),
        )
    ]
    local = offset_case_sql("c.entered_at", stretches)
    statements = [
        # queues
        f"""SELECT c.queue_id, count(c.id), sum(c.answered_at IS NOT NULL), sum({abandoned}),
            sum({short}),
            sum(c.answered_at IS NOT NULL AND c.wait_seconds <= q.sl_threshold_seconds),
            sum(CASE WHEN c.answered_at IS NOT NULL THEN c.wait_seconds ELSE 0 END),
            sum(c.state = 'completed'),
            sum(CASE WHEN c.state = 'completed' THEN {handle} ELSE 0 END),
            max(c.wait_seconds)
            FROM call c JOIN queue q ON q.id = c.queue_id WHERE {period} GROUP BY c.queue_id""",
        # load: calls per queue and local hour, shifts and sessions per local hour
        f"""SELECT c.queue_id, (c.entered_at + {local}) / 3600 AS h, count(*), sum({abandoned})
            FROM call c JOIN queue q ON q.id = c.queue_id WHERE {period} GROUP BY c.queue_id, h""",
        *intervals,
        # FCR and repeat calls per agent and reason
        f"""SELECT c.agent_id, c.reason_id, count(*), sum({handle}), sum({known}),
            sum({known} AND NOT EXISTS (SELECT 1 FROM call l WHERE l.customer_id = c.customer_id
                AND l.entered_at > c.entered_at AND l.entered_at <= c.entered_at + {window}
                AND l.reason_id = c.reason_id)),
            sum(c.customer_id IS NOT NULL),
            sum(c.customer_id IS NOT NULL AND EXISTS (SELECT 1 FROM call e
                WHERE e.customer_id = c.customer_id AND e.entered_at < c.entered_at
                AND e.entered_at >= c.entered_at - {window} AND e.state = 'completed'))
            FROM call c WHERE {period} AND c.state = 'completed'
            GROUP BY c.agent_id, c.reason_id""",
        # agents: logged-in seconds, shifts, CSAT on their calls
        f"""SELECT staff_id, sum(min(coalesce(ended_at, {now}), {min(until, now)})
                - max(started_at, {since}))
            FROM presence_log WHERE kind = 'session' AND started_at < {min(until, now)}
            AND coalesce(ended_at, {now}) > {since} GROUP BY staff_id""",
        f"""SELECT staff_id, count(*) FROM shift WHERE starts_at >= {since}
            AND starts_at < {until} GROUP BY staff_id""",
        f"""SELECT c.agent_id, sum(f.csat IS NOT NULL), sum(f.csat >= 4) FROM feedback f
            JOIN call c ON c.id = f.call_id WHERE f.received_at >= {since}
            AND f.received_at < {until} AND c.agent_id IS NOT NULL GROUP BY c.agent_id""",
        # quality: feedback, complaints
        f"""SELECT sum(csat IS NOT NULL), sum(csat >= 4), sum(nps IS NOT NULL), sum(nps >= 9),
            sum(nps <= 6), sum(nps <= 6 OR csat <= 2),
            sum((nps <= 6 OR csat <= 2) AND followed_up_at - received_at <= 172800)
            FROM feedback WHERE received_at >= {since} AND received_at < {until}""",
        f"""SELECT count(*), sum(state = 'closed'), sum(state = 'closed_unconfirmed'),
            sum(reopen_count > 0) FROM complaint
            WHERE resolved_at >= {since} AND resolved_at < {until}""",
        f"""SELECT owner_id, category, count(*), sum(EXISTS (SELECT 1 FROM complaint l
                WHERE l.customer_id = k.customer_id AND l.category = k.category AND l.id != k.id
                AND l.opened_at > k.closed_at AND l.opened_at <= k.closed_at + 2592000))
            FROM complaint k WHERE state IN ('closed', 'closed_unconfirmed')
            AND closed_at >= {since} AND closed_at < {until} GROUP BY owner_id, category""",
        # escalations
        f"""SELECT level_rank, state, count(*) FROM escalation
            WHERE raised_at >= {since} AND raised_at < {until} GROUP BY level_rank, state""",
        f"""SELECT count(*) FROM call c WHERE {period} AND c.answered_at IS NOT NULL""",
        # retention
        """SELECT count(*), sum(left_on IS NOT NULL) FROM staff WHERE role = 'agent'""",
    ]
    return ";\n".join(statements) + ";\n"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_floor(path: Path, sql: str, *, tuned: bool) -> tuple[float, float]:
    """Wall and CPU seconds of the plain SQL in the sqlite3 shell (tuned: the report's pragmas)."""
    if tuned:
        sql = (
            f"PRAGMA cache_size = -{READ_CACHE_KIB};\nPRAGMA mmap_size = {READ_MMAP_BYTES};\n" + sql
        )
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write(sql)
    try:
        started, cpu = time.perf_counter(), _children_cpu()
        with open(f.name) as script:
            subprocess.run(
                [SQLITE3, "-bail", str(path)], stdin=script, check=True, stdout=subprocess.DEVNULL
            )
        return time.perf_counter() - started, _children_cpu() - cpu
    finally:
        os.unlink(f.name)


def in_process(path: Path, first: date, last: date, now: datetime) -> tuple[float, float, float]:
    """Wall and CPU seconds to compute the report (as the command does), and to render it."""
    database = Database.open(path)
    try:
        started, cpu = time.perf_counter(), time.process_time()
        with database.read() as session:
            read_big(session)
            settings = load_settings(session)
            period = resolve_period("day", first, settings.timezone, first, last)
            report = build_report(
                session, settings=settings, center="bench", period=period, now=now
            )
        computed, cpu = time.perf_counter(), time.process_time() - cpu
        render(report, "json")
        render(report, "text")
        return computed - started, cpu, time.perf_counter() - computed
    finally:
        database.close()


def whole_command(path: Path, first: date, last: date) -> tuple[float, float]:
    """Wall and CPU seconds of the whole `svcdesk report` process (JSON to /dev/null)."""
    started, cpu = time.perf_counter(), _children_cpu()
    subprocess.run(
        [
            SVCDESK,
            "report",
            "--db",
            str(path),
            "--since",
            str(first),
            "--until",
            str(last),
            "--format",
            "json",
            "--output",
            os.devnull,
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started, _children_cpu() - cpu


Span = tuple[date, date] | str
"""What a report covers: first and last day, or a ``--period`` (day, week, month, year)."""


def span_args(span: Span) -> list[str]:
    if isinstance(span, str):
        return ["--period", span]
    return ["--since", str(span[0]), "--until", str(span[1])]


def command_of(source: Path | None, path: Path, span: Span) -> tuple[float, float]:
    """Wall and CPU seconds of `svcdesk report` (JSON to /dev/null) run by the code in
    ``source`` (a folder holding ``svcdesk_tui``), or by this checkout's (None)."""
    env = dict(os.environ)
    if source is not None:
        env["PYTHONPATH"] = str(source)
    started, cpu = time.perf_counter(), _children_cpu()
    subprocess.run(
        [
            *(sys.executable, "-m", "svcdesk_tui", "report", "--db", str(path)),
            *span_args(span),
            *("--format", "json", "--output", os.devnull),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        env=env,
    )
    return time.perf_counter() - started, _children_cpu() - cpu


def before_after(commit: str, old_store: Path, runs: int) -> Path:
    """Time the report of ``commit``'s code on ``old_store`` against this code on an upgraded
    copy, interleaved; the copy, for the rest of the bench."""
    work = Path(tempfile.mkdtemp(prefix="report-bench-"))
    archive = subprocess.run(
        ["git", "archive", commit, "src"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(work)], input=archive, check=True)
    new_store = work / "upgraded.db"
    shutil.copyfile(old_store, new_store)
    started = time.perf_counter()
    subprocess.run([SVCDESK, "db", "upgrade", "--db", str(new_store)], check=True)
    print(f"upgrading a copy of {old_store} took {time.perf_counter() - started:.1f} s")
    last, _, calls = last_day_with_calls(new_store)
    month_last = last.replace(day=1) - timedelta(days=1)
    cases: dict[str, Span] = {
        "month": (month_last.replace(day=1), month_last),
        "year": (last - timedelta(days=364), last),
        "--period month": "month",
        "--period year": "year",
    }
    times: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for _ in range(runs):
        for name, span in cases.items():
            for who, source, store in (
                ("before", work / "src", old_store),
                ("after", None, new_store),
            ):
                times.setdefault((name, who), []).append(command_of(source, store, span))
    print(
        f"`svcdesk report` before ({commit}) and after, {calls:,} calls, "
        f"median of {runs} interleaved runs (ratio: of the CPU times)"
    )
    print(f"load average {os.getloadavg()[0]:.1f} after the runs")
    print(f"{'report':<14} | {'before':>7} {'cpu':>6} | {'after':>6} {'cpu':>6} | {'ratio':>5}")
    for name in cases:
        (bw, bc), (aw, ac) = (
            tuple(statistics.median(r[i] for r in times[(name, who)]) for i in range(2))
            for who in ("before", "after")
        )
        print(f"{name:<14} | {bw:>6.2f}s {bc:>5.2f}s | {aw:>5.2f}s {ac:>5.2f}s | {bc / ac:>4.1f}×")
    return new_store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.environ.get("SVCDESK_BENCH_DB", DEFAULT_STORE))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", help="a commit whose report to time against this one's")
    args = parser.parse_args()
    path = Path(args.db)
    ensure_store(path)
    if args.before:
        before_after(args.before, path, args.runs)
        return
    last, tz, calls = last_day_with_calls(path)
    now = datetime.now(UTC)
    month_last = last.replace(day=1) - timedelta(days=1)
    cases = {
        "month": (month_last.replace(day=1), month_last),
        "year": (last - timedelta(days=364), last),
    }
    print(f"{path}: {calls:,} calls, time zone {tz}, last day {last}; median of {args.runs} runs")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    print(
        f"{'report':<6} {'days':>4} | {'compute':>7} {'cpu':>6} {'render':>6} {'command':>7} "
        f"{'cpu':>6} | "
        f"{'floor':>6} {'cpu':>6} {'tuned':>6} {'cpu':>6} | {'ratio':>5} {'cpu':>5}"
    )
    for name, (first, final) in cases.items():
        period = resolve_period("day", first, tz, first, final).period
        sql = floor_sql(
            to_epoch(period.since),
            to_epoch(period.until),
            to_epoch(now),
            7 * 86400,
            offsets(period, tz),
        )
        runs = [in_process(path, first, final, now) for _ in range(args.runs)]
        wall, cpu, rendering = (statistics.median(r[i] for r in runs) for i in range(3))
        commands = [whole_command(path, first, final) for _ in range(args.runs)]
        command, command_cpu = (statistics.median(r[i] for r in commands) for i in range(2))
        plain = [run_floor(path, sql, tuned=False) for _ in range(args.runs)]
        tuned = [run_floor(path, sql, tuned=True) for _ in range(args.runs)]
        floor, floor_cpu = (statistics.median(r[i] for r in plain) for i in range(2))
        best, best_cpu = (statistics.median(r[i] for r in tuned) for i in range(2))
        print(
            f"{name:<6} {(final - first).days + 1:>4} | {wall:>6.2f}s {cpu:>5.2f}s "
            f"{rendering:>5.2f}s {command:>6.2f}s {command_cpu:>5.2f}s | {floor:>5.2f}s "
            f"{floor_cpu:>5.2f}s "
            f"{best:>5.2f}s {best_cpu:>5.2f}s | {wall / best:>4.2f}× {cpu / best_cpu:>4.2f}×"
        )
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    print(
        "compute: build the report in-process (median wall, cpu); command: the whole "
        "`svcdesk report` process;\nfloor: the same aggregates as plain SQL in the sqlite3 "
        "shell (tuned: with the report's cache/mmap pragmas); ratio: compute ÷ tuned floor."
    )


if __name__ == "__main__":
    main()

"""Benchmark the technical service desk on a generated center (a year, 200 agents).

Prints medians of: the dispatch form's free-technician lookup, first-time fix
(center and per technician) and promised-vs-actual for a month and a year, and
one customer's yearly operational report (built and rendered as text); with the
year ÷ month ratio. Not part of the pytest run.

    python bench/service_desk_bench.py [--db /tmp/svcdesk-service-bench.db] [--runs 7]

The store is reused when it exists; otherwise it is generated with
``svcdesk demo-data --out PATH --days 365 --agents 200``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from svcdesk_tui.core.db import Database
from svcdesk_tui.core.settings import load_settings
from svcdesk_tui.report.build import resolve_period
from svcdesk_tui.report.render import render
from svcdesk_tui.service_desk.customer_report import build_customer_report, find_customer
from svcdesk_tui.service_desk.dispatch import fault_types, free_technicians
from svcdesk_tui.service_desk.first_time_fix import first_time_fix
from svcdesk_tui.service_desk.service_times import promises_kept

SVCDESK = str(Path(sys.executable).parent / "svcdesk")
DEFAULT_STORE = "/tmp/svcdesk-service-bench.db"
END = "2026-11-23T08:30:00"


def ensure_store(path: Path) -> None:
    if path.exists():
        return
    print(f"generating {path} (365 days, 200 agents); this takes a while …", flush=True)
    size = ["--days", "365", "--agents", "200", "--end", END]
    subprocess.run([SVCDESK, "demo-data", "--out", str(path), *size], check=True)


def median_ms(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=DEFAULT_STORE)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    path = Path(args.db)
    ensure_store(path)
    db = Database.open(path)
    now = datetime.fromisoformat(END).replace(tzinfo=UTC)
    with db.read() as session:
        settings = load_settings(session)
        tz, window = settings.timezone, settings.first_time_fix_window_days
        today = now.date()
        month = resolve_period("month", today, tz).period
        year = resolve_period("custom", today, tz, today - timedelta(days=365), today).period
        counts = session.execute(
            text("SELECT (SELECT count(*) FROM service_ticket), (SELECT count(*) FROM visit)")
        ).one()
        busiest = session.execute(
            text("SELECT customer_id FROM service_ticket GROUP BY 1 ORDER BY count(*) DESC")
        ).first()[0]
        faults = fault_types(session)
        print(f"{path}: {counts[0]:,} service tickets, {counts[1]:,} visits")

        def lookup() -> None:
            for fault in faults:
                free_technicians(
                    session,
                    fault_type_id=fault.fault_type_id,
                    starts=now + timedelta(hours=2),
                    hours=2,
                    senior=False,
                    timezone=tz,
                )

        per_fault = median_ms(lookup, args.runs * 5) / len(faults)
        print(f"free technicians for one fault (dispatch form): {per_fault:8.2f} ms")
        for label, work in (
            ("first-time fix, center", lambda p: first_time_fix(session, p, window_days=window)),
            (
                "first-time fix per technician",
                lambda p: first_time_fix(session, p, window_days=window, by="technician"),
            ),
            ("promised vs actual per tier", lambda p: promises_kept(session, p)),
        ):
            month_ms = median_ms(lambda w=work: w(month), args.runs)
            year_ms = median_ms(lambda w=work: w(year), args.runs)
            print(
                f"{label:<32} month {month_ms:8.2f} ms   year {year_ms:8.2f} ms"
                f"   year/month {year_ms / month_ms:5.1f}"
            )
        customer = find_customer(session, str(busiest))
        period = resolve_period("custom", today, tz, date(today.year - 1, today.month, 1), today)

        def customer_year() -> str:
            report = build_customer_report(
                session,
                customer=customer,
                settings=settings,
                center=db.info.center_name,
                period=period,
                now=now,
            )
            return render(report, "text")

        print(f"customer report, a year, text:   {median_ms(customer_year, args.runs):8.2f} ms")
    db.close()


if __name__ == "__main__":
    main()

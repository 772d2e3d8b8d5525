"""The forecast's time and the backtest's errors beside the Poisson floor.

    python bench/forecast_bench.py [--demo PATH] [--center PATH] [--runs N] [--weeks W]

``--demo``: a demo center (generated with the demo's defaults if missing);
``--center``: a big center, copied to /tmp first (the original is never written)
and brought to this schema. Prints medians of ``--runs`` runs of the 7-day
forecast and of the staffing on it, then a backtest of ``--weeks`` weeks.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from svcdesk_tui.core.clock import SystemClock
from svcdesk_tui.core.db import Database
from svcdesk_tui.core.migrate import upgrade
from svcdesk_tui.core.periods import local_date
from svcdesk_tui.core.settings import load_settings
from svcdesk_tui.demo import generate_demo
from svcdesk_tui.models import SchemaInfo
from svcdesk_tui.planning.forecast import backtest, forecast
from svcdesk_tui.planning.model_check import check_models
from svcdesk_tui.planning.staffing import plan_staffing


def _median_ms(work, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def measure(path: Path, label: str, runs: int, weeks_back: int) -> None:
    db = Database.open(str(path))
    with db.read() as session:
        settings = load_settings(session)
        created = session.get(SchemaInfo, 1)
        now = created.created_at if created and db.demo else SystemClock().now()
        tz = settings.timezone
        today = local_date(now, tz)
        total = session.connection().exec_driver_sql("SELECT count(*) FROM call").scalar()

        def fc():
            return forecast(session, tz=tz, start=today, days=7)

        forecast_ms = _median_ms(fc, runs)
        plan_ms = _median_ms(
            lambda: plan_staffing(session, fc(), tz=tz, shrinkage=settings.shrinkage), runs
        )
        start = time.perf_counter()
        test = backtest(session, tz=tz, today=today, weeks_back=weeks_back)
        backtest_s = time.perf_counter() - start
        models = check_models(
            session,
            tz=tz,
            start=today - timedelta(weeks=weeks_back),
            end=today,
            interval_minutes=15,
            now=now,
        )
    db.close()
    print(f"\n{label}: {path} ({total:,} calls, today {today})")
    print(f"  forecast, 7 days x every queue x 96 intervals: {forecast_ms:8.1f} ms (median)")
    print(f"  forecast + agents needed + shifts' gaps:       {plan_ms:8.1f} ms (median)")
    print(
        f"  backtest of {weeks_back} weeks ({len(test.days)} days): "
        f"{backtest_s * 1000:8.1f} ms"
    )
    print(
        f"  daily error (wMAPE)     {_pct(test.daily_wmape):>8}   Poisson floor "
        f"{_pct(test.daily_floor):>8}   target < 8 %"
    )
    ratio = test.floor_ratio
    print(
        f"  interval error (wMAPE)  {_pct(test.interval_wmape):>8}   Poisson floor "
        f"{_pct(test.interval_floor):>8}   ratio {ratio:.2f}x (target <= 1.3x)"
        if ratio is not None
        else "  interval error: no data"
    )
    print(
        f"  service level foretold: Erlang C off by {_pct(models.erlang_c_error)}, "
        f"Erlang A by {_pct(models.erlang_a_error)} ({models.intervals} intervals): "
        f"{models.closer} closer"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--demo", type=Path, default=Path(tempfile.gettempdir()) / "fc-demo.db")
    parser.add_argument("--center", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--weeks", type=int, default=4)
    args = parser.parse_args()
    if not args.demo.exists():
        print(f"generating the demo center at {args.demo} ...")
        generate_demo(args.demo)
    measure(args.demo, "demo center", args.runs, args.weeks)
    if args.center is not None:
        copy = Path(tempfile.gettempdir()) / f"fc-{args.center.name}"
        if not copy.exists():
            shutil.copyfile(args.center, copy)
            upgrade(str(copy))
        measure(copy, "big center", args.runs, args.weeks)


if __name__ == "__main__":
    main()

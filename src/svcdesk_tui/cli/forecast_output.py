"""How `svcdesk forecast` writes a plan and a backtest: text for people, CSV and JSON for tools."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from svcdesk_tui.planning.forecast import Backtest
from svcdesk_tui.planning.method import PROFILE_WEEKS
from svcdesk_tui.planning.model_check import ModelCheck
from svcdesk_tui.planning.staffing import StaffingPlan, slot_start

FORMATS = ("text", "csv", "json")


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def interval_rows(plan: StaffingPlan, tz: str) -> list[dict[str, Any]]:
    """One row per queue and interval with calls forecast: the need and the shifts against it."""
    minutes = plan.forecast.interval_minutes
    names = {q.id: q.name for q in plan.forecast.queues}
    pool_of = {q: pool for pool in plan.pools for q in pool.queue_ids}
    return [
        {
            "queue": names[row.queue_id],
            "day": row.day.isoformat(),
            "start": slot_start(row.day, row.slot, minutes, tz).isoformat(),
            "calls": round(row.calls, 2),
            "erlang_c_agents": row.erlang_c,
            "erlang_a_agents": row.erlang_a,
            "occupancy": round(row.occupancy, 4),
            "service_level": round(row.service_level, 4),
            "pool": pool_of[row.queue_id].name,
            "pool_to_schedule": pool_of[row.queue_id].needed.get((row.day, row.slot), 0),
            "pool_on_shift": round(pool_of[row.queue_id].scheduled.get((row.day, row.slot), 0), 2),
        }
        for row in plan.intervals
    ]


def plan_text(plan: StaffingPlan, tz: str, weeks: int) -> str:
    f = plan.forecast
    lines = [
        f"Forecast of offered calls from {f.days[0]} for {len(f.days)} day"
        f"{'s' if len(f.days) != 1 else ''}, {f.interval_minutes}-minute intervals, "
        f"level from the {weeks} weeks before, weekdays and shape from the "
        f"{max(weeks, PROFILE_WEEKS)}; shrinkage {plan.shrinkage * 100:.0f} %.",
        "",
        f"{'Day':<16}{'Queue':<14}{'Calls':>7}  {'Peak':<5}{'Erlang C':>9}{'Erlang A':>9}"
        f"{'AHT':>6}{'Patience':>9}",
    ]
    for day in f.days:
        mark = f" ({f.exceptional[day]})" if day in f.exceptional else ""
        for q in f.queues:
            calls = f.calls[(q.id, day)]
            rows = [r for r in plan.intervals if r.queue_id == q.id and r.day == day]
            peak = max(rows, key=lambda r: r.erlang_a, default=None)
            t = plan.traits[q.id]
            lines.append(
                f"{day:%a %m-%d}{mark:<5}  {q.name[:13]:<14}{sum(calls):>7.0f}  "
                + (
                    f"{slot_start(day, peak.slot, f.interval_minutes, tz):%H:%M}"
                    f"{peak.erlang_c:>9}{peak.erlang_a:>9}"
                    if peak
                    else f"{'—':<5}{'':>18}"
                )
                + f"{t.aht_s:>5.0f}s{t.patience_s:>8.0f}s"
            )
    lines += ["", "Peak: the interval needing most agents (Erlang A); agents on the phone."]
    lines += ["", "Shifts against the need:"]
    lines += [f"  {gap.words()}" for gap in plan.gaps] or ["  no interval short of agents"]
    lines += [f"Note: {note}" for note in f.notes]
    return "\n".join(lines) + "\n"


def plan_csv(plan: StaffingPlan, tz: str) -> str:
    rows = interval_rows(plan, tz)
    buffer = io.StringIO()
    columns = list(rows[0]) if rows else ["queue", "day", "start", "calls"]
    writer = csv.DictWriter(buffer, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def plan_json(plan: StaffingPlan, tz: str, weeks: int) -> str:
    f = plan.forecast
    doc = {
        "schema": "svcdesk-forecast/1",
        "interval_minutes": f.interval_minutes,
        "weeks_of_history": weeks,
        "shrinkage": plan.shrinkage,
        "days": [
            {
                "day": day.isoformat(),
                "exceptional": f.exceptional.get(day),
                "queues": {q.name: round(sum(f.calls[(q.id, day)]), 2) for q in f.queues},
            }
            for day in f.days
        ],
        "queues": {
            t.queue.name: {"aht_seconds": t.aht_s, "patience_seconds": t.patience_s}
            for t in plan.traits.values()
        },
        "intervals": interval_rows(plan, tz),
        "gaps": [
            {
                "pool": g.pool,
                "start": g.start.isoformat(),
                "end": g.end.isoformat(),
                "short_by": g.short_by,
                "words": g.words(),
            }
            for g in plan.gaps
        ],
        "notes": f.notes,
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def backtest_summary(test: Backtest, models: ModelCheck) -> dict[str, Any]:
    return {
        "days": len(test.days),
        "calls": test.actual,
        "daily_wmape": _round(test.daily_wmape),
        "daily_poisson_floor": _round(test.daily_floor),
        "interval_wmape": _round(test.interval_wmape),
        "interval_poisson_floor": _round(test.interval_floor),
        "interval_floor_ratio": _round(test.floor_ratio),
        "erlang_c_sl_error": _round(models.erlang_c_error),
        "erlang_a_sl_error": _round(models.erlang_a_error),
        "closer_model": models.closer,
    }


def backtest_text(test: Backtest, models: ModelCheck, weeks: int) -> str:
    lines = [
        f"Backtest: {len(test.days)} days, each forecast from the "
        f"{max(weeks, PROFILE_WEEKS)} weeks before it "
        f"({test.interval_minutes}-minute intervals; exceptional days left out: "
        f"{len(test.skipped)}).",
        "",
        f"{'Day':<15}{'Forecast':>9}{'Actual':>8}{'Error':>9}{'Interval':>10}{'Floor':>8}",
    ]
    for d in test.days:
        interval = d.interval_error / d.actual if d.actual else None
        floor = d.interval_floor / d.actual if d.actual else None
        lines.append(
            f"{d.day:%a %Y-%m-%d} {d.forecast:>9.0f}{d.actual:>8}{_pct(d.error):>9}"
            f"{_pct(interval):>10}{_pct(floor):>8}"
        )
    ratio = test.floor_ratio
    lines += [
        "",
        f"Daily error (wMAPE):    {_pct(test.daily_wmape)}  "
        f"(Poisson floor {_pct(test.daily_floor)})",
        f"Interval error (wMAPE): {_pct(test.interval_wmape)}  beside a Poisson floor of "
        f"{_pct(test.interval_floor)}" + (f" ({ratio:.2f}×)" if ratio is not None else ""),
        f"Service level foretold from the agents logged in, {models.intervals} intervals: "
        f"Erlang C off by {_pct(models.erlang_c_error)}, Erlang A by {_pct(models.erlang_a_error)}"
        + (f": {models.closer} was closer." if models.closer else "."),
    ]
    return "\n".join(lines) + "\n"


def backtest_csv(test: Backtest) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["day", "forecast", "actual", "error", "interval_error", "interval_floor"])
    for d in test.days:
        writer.writerow(
            [
                d.day.isoformat(),
                round(d.forecast, 2),
                d.actual,
                _round(d.error),
                _round(d.interval_error / d.actual if d.actual else None),
                _round(d.interval_floor / d.actual if d.actual else None),
            ]
        )
    return buffer.getvalue()


def backtest_json(test: Backtest, models: ModelCheck) -> str:
    doc = {
        "schema": "svcdesk-forecast-backtest/1",
        "interval_minutes": test.interval_minutes,
        "summary": backtest_summary(test, models),
        "days": [
            {
                "day": d.day.isoformat(),
                "forecast": round(d.forecast, 2),
                "actual": d.actual,
                "error": _round(d.error),
            }
            for d in test.days
        ],
        "skipped": [d.isoformat() for d in test.skipped],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"

"""The forecast on a history with a known shape: level, trend, interval shape, exceptional
days, the backtest against the Poisson floor, and `svcdesk forecast` itself."""

from __future__ import annotations

import getpass
import json
import random
from datetime import UTC, date, datetime, timedelta

import pytest
from typer.testing import CliRunner

from svcdesk_tui.cli import app
from svcdesk_tui.models import ExceptionalDay
from svcdesk_tui.planning.forecast import backtest, forecast
from svcdesk_tui.planning.method import poisson_mad, slope

from .planning_helpers import SHAPE, WEEKDAY, write_history

FIRST = date(2025, 10, 6)  # a Monday
TODAY = FIRST + timedelta(weeks=10)  # a Monday, ten weeks of history before it
runner = CliRunner()


def _flat(day: date) -> float:
    return WEEKDAY[day.weekday()]


def _hourly(calls: list[float], hour: int) -> float:
    return sum(calls[hour * 4 : hour * 4 + 4])


def test_a_steady_history_is_forecast_as_it_was(center):
    support = center.queue("Support")
    write_history(center, support, FIRST, 70, level=_flat)
    with center.db.read() as session:
        f = forecast(session, tz="UTC", start=TODAY, days=7)
    for i, weekday_total in enumerate(WEEKDAY):
        day = TODAY + timedelta(days=i)
        calls = f.calls[(support, day)]
        assert len(calls) == 96  # 15-minute intervals
        assert sum(calls) == pytest.approx(
            sum(round(weekday_total * s) for s in SHAPE.values()), abs=0.01
        )
        for hour, share in SHAPE.items():
            assert _hourly(calls, hour) == pytest.approx(round(weekday_total * share), abs=0.01)
        assert _hourly(calls, 12) == 0  # the lunch hour had no calls


def test_a_growing_history_is_forecast_along_its_trend(center):
    support = center.queue("Support")
    growth = 1.03  # a week

    def growing(day: date) -> float:
        return 1000 * growth ** ((day - FIRST).days / 7)

    write_history(center, support, FIRST, 70, level=growing)
    with center.db.read() as session:
        f = forecast(session, tz="UTC", start=TODAY, days=14)
    for i in (0, 3, 13):
        day = TODAY + timedelta(days=i)
        assert sum(f.calls[(support, day)]) == pytest.approx(growing(day), rel=0.01)


def test_exceptional_days_stay_out_of_the_history_and_are_forecast_apart(center):
    support = center.queue("Support")
    holidays = {FIRST + timedelta(days=15), FIRST + timedelta(days=50)}  # Tuesdays

    def with_holidays(day: date) -> float:
        return WEEKDAY[day.weekday()] * (0.3 if day in holidays else 1)

    write_history(center, support, FIRST, 70, level=with_holidays)
    next_holiday = TODAY + timedelta(days=1)
    with center.db.write() as session:
        for day in (*holidays, next_holiday):
            session.add(ExceptionalDay(day=day, kind="holiday"))
    with center.db.read() as session:
        f = forecast(session, tz="UTC", start=TODAY, days=9)
    ordinary = sum(round(WEEKDAY[1] * s) for s in SHAPE.values())
    # the Tuesday a week on learns only from ordinary Tuesdays
    assert sum(f.calls[(support, TODAY + timedelta(days=8))]) == pytest.approx(ordinary)
    # tomorrow's holiday is an ordinary Tuesday times what past holidays showed (0.3)
    assert sum(f.calls[(support, next_holiday)]) == pytest.approx(0.3 * ordinary, rel=0.02)
    assert f.exceptional == {next_holiday: "holiday"}


def test_a_holiday_kind_never_seen_before_is_forecast_as_an_ordinary_day_and_said(center):
    support = center.queue("Support")
    write_history(center, support, FIRST, 70, level=_flat)
    with center.db.write() as session:
        session.add(ExceptionalDay(day=TODAY, kind="campaign"))
    with center.db.read() as session:
        f = forecast(session, tz="UTC", start=TODAY, days=1)
    assert sum(f.calls[(support, TODAY)]) == pytest.approx(sum(f.calls[(support, TODAY)]))
    assert any("no campaign day before" in note for note in f.notes)


def test_the_poisson_floor_is_the_mean_absolute_deviation():
    # E|X − λ| for λ = 1: 2·e^−1·1^1/1! = 0.7358; λ = 2.5: 2·e^−2.5·2.5^3/2! = 1.2825
    assert poisson_mad(1.0) == pytest.approx(0.7358, abs=1e-4)
    assert poisson_mad(2.5) == pytest.approx(1.2825, abs=1e-4)
    assert poisson_mad(0) == 0


def test_the_backtest_on_poisson_calls_stays_near_the_floor(center):
    support = center.queue("Support")
    write_history(center, support, FIRST, 70, level=_flat, poisson=random.Random(17))
    with center.db.read() as session:
        test = backtest(session, tz="UTC", today=TODAY, weeks_back=2)
    assert len(test.days) == 14
    assert test.interval_floor is not None and test.interval_wmape is not None
    assert test.interval_wmape > test.interval_floor * 0.8  # chance leaves its error
    assert test.floor_ratio is not None and test.floor_ratio < 1.3
    assert test.daily_wmape is not None and test.daily_wmape < 0.08


def _target(center) -> str:
    """The center's store as --db takes it (a PostgreSQL URL with its password)."""
    return center.db.engine.url.render_as_string(hide_password=False)


def _svcdesk(center, *args: str):
    as_of = datetime.combine(TODAY, datetime.min.time(), UTC) + timedelta(hours=6)
    return runner.invoke(
        app, ["forecast", "--db", _target(center), "--as-of", as_of.isoformat(), *args]
    )


def test_svcdesk_forecast_prints_the_plan_in_each_format(center):
    support = center.queue("Support")
    write_history(center, support, FIRST, 70, level=_flat)
    text = _svcdesk(center, "--days", "2")
    assert text.exit_code == 0, text.output
    assert "Support" in text.output and "Shifts against the need" in text.output
    assert "short by" in text.output  # nobody is on shift at all
    data = json.loads(_svcdesk(center, "--format", "json", "--days", "1").output)
    assert data["days"][0]["queues"]["Support"] == pytest.approx(
        sum(round(WEEKDAY[0] * s) for s in SHAPE.values())
    )
    first = data["intervals"][0]
    assert first["erlang_a_agents"] <= first["erlang_c_agents"]
    assert data["gaps"][0]["words"].startswith("Monday")
    csv_out = _svcdesk(center, "--format", "csv", "--days", "1", "--queue", "support").output
    assert csv_out.splitlines()[0].startswith("queue,day,start,calls,erlang_c_agents")


def test_the_interval_minutes_setting_is_the_forecasts_default_interval(center):
    support = center.queue("Support")
    write_history(center, support, FIRST, 70, level=_flat)
    center.staff(getpass.getuser(), "manager", name="Mara Vos")
    hourly = runner.invoke(
        app, ["settings", "set", "interval_minutes", "60", "--db", _target(center)]
    )
    assert hourly.exit_code == 0, hourly.output
    data = json.loads(_svcdesk(center, "--format", "json", "--days", "1").output)
    assert data["interval_minutes"] == 60
    assert len({row["start"] for row in data["intervals"]}) <= 24
    quarter = _svcdesk(center, "--format", "json", "--days", "1", "--interval", "15")
    assert json.loads(quarter.output)["interval_minutes"] == 15


def test_svcdesk_forecast_backtest_prints_errors_beside_the_floor(center):
    support = center.queue("Support")
    write_history(center, support, FIRST, 70, level=_flat, poisson=random.Random(3))
    result = _svcdesk(center, "--backtest", "2")
    assert result.exit_code == 0, result.output
    assert "Daily error (wMAPE)" in result.output and "Poisson floor" in result.output
    summary = json.loads(_svcdesk(center, "--backtest", "2", "--format", "json").output)
    assert summary["summary"]["days"] == 14


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--days", "15"], "--days must be from 1 to 14"),
        (["--interval", "20"], "--interval must be one of 15, 30, 60"),
        (["--format", "xml"], "--format must be one of"),
        (["--queue", "Nope"], "no queue 'Nope'"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(center, args, words):
    center.queue("Support")
    result = _svcdesk(center, *args)
    assert result.exit_code == 2
    assert words in result.output
    assert "Traceback" not in result.output


def test_exceptional_days_are_added_listed_and_removed_with_an_audit_row(center):
    center.staff(getpass.getuser(), "manager")  # the OS login acts
    db = _target(center)

    def run(*args: str):
        return runner.invoke(app, ["forecast", "exceptional", *args, "--db", db])

    added = run("add", "2026-12-25", "--kind", "holiday", "--note", "Christmas")
    assert added.exit_code == 0, added.output
    listed = runner.invoke(app, ["forecast", "exceptional", "list", "--db", db])
    assert "2026-12-25" in listed.output and "Christmas" in listed.output
    assert run("add", "2026-12-26", "--kind", "party").exit_code == 2
    assert run("remove", "2026-12-25").exit_code == 0
    assert run("remove", "2026-12-25").exit_code == 2
    from sqlmodel import select

    from svcdesk_tui.models import AuditEntry

    with center.db.read() as session:
        actions = [a.action for a in session.exec(select(AuditEntry)).all()]
    assert actions.count("exceptional_day.mark") == 1
    assert actions.count("exceptional_day.unmark") == 1


def test_the_report_has_a_forecast_section_in_every_format_and_a_picture_in_html(center):
    support = center.queue("Support")
    write_history(center, support, FIRST, 70, level=_flat)
    as_of = (datetime.combine(TODAY, datetime.min.time(), UTC) + timedelta(hours=6)).isoformat()

    def report(fmt: str) -> str:
        args = ["report", "--db", _target(center), "--as-of", as_of, "--section", "forecast"]
        result = runner.invoke(app, [*args, "--format", fmt])
        assert result.exit_code == 0, result.output
        return result.stdout

    doc = json.loads(report("json"))["sections"]["forecast"]
    monday = sum(round(WEEKDAY[0] * s) for s in SHAPE.values())
    assert doc["tables"]["forecast_days"]["rows"][0]["calls"] == pytest.approx(monday)
    assert doc["figures"]["forecast_first_day"] == TODAY.isoformat()
    html = report("html")
    assert "<svg" in html and html.count("<polyline") == 3
    for fmt in ("text", "markdown", "csv"):
        assert "forecast" in report(fmt).lower()


def test_a_flat_noisy_history_shows_no_trend():
    """A hundred histories of sixteen weeks of Poisson-like days around flat weekday levels:
    the slope stays at zero in nearly all (at two standard errors, about one in fifteen
    showed a trend that was only noise)."""
    trends = 0
    for seed in range(100):
        rng = random.Random(seed)
        days = [FIRST + timedelta(days=i) for i in range(16 * 7)]
        means = [WEEKDAY[day.weekday()] for day in days]
        counts = {
            day: [max(0, round(rng.gauss(mean, mean**0.5)))]
            for day, mean in zip(days, means, strict=True)
        }
        trends += slope(counts, days) != 0.0
    assert trends <= 2

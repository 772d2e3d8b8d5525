"""The report's `monitoring` section in every format, and its `--fail-on` names
(run on SQLite, and on PostgreSQL in the second pass)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from svcdesk_tui.cli import app
from svcdesk_tui.core.settings import save_setting
from svcdesk_tui.models import Feedback
from svcdesk_tui.monitoring import evaluations

from .conftest import MORNING
from .monitoring_helpers import answers, build_floor

runner = CliRunner()
DAY = "2026-01-05"


@pytest.fixture
def judged(center):
    """Ann: one call fully met, one failing a critical item (both missed reflecting back);
    Bo: one call scored by Lars and by Lena (a calibration 6/21 apart); Bo has a happy
    customer, Ann an unhappy one."""
    floor = build_floor(center)
    ann, bo = floor.calls["ann"], floor.calls["bo"]
    with floor.db.write() as session:
        for who, call, changed in (
            (floor.lena, ann[5], {"reflected": "no"}),
            (floor.lena, ann[6], {"reflected": "no", "can_do": "no"}),
            (floor.lars, bo[5], {}),
            (floor.lena, bo[5], {"listened": "no", "reflected": "no"}),
        ):
            evaluations.evaluate(session, who, call, answers(**changed), now=MORNING)
        session.add(Feedback(customer_id=1, call_id=bo[5], received_at=MORNING, csat=5))
        session.add(Feedback(customer_id=1, call_id=ann[5], received_at=MORNING, csat=1))
        save_setting(session, "timezone", "UTC")
    return floor


def report(center, fmt, *extra):
    return runner.invoke(
        app,
        ["report", "--since", DAY, "--until", DAY, "--section", "monitoring", "--format", fmt,
         "--db", str(center.db.where), "--as-of", "2026-01-06T08:00:00", *extra],
    )  # fmt: skip


def test_json_holds_the_figures_and_tables_worked_out_by_hand(judged):
    result = report(judged, "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    section = doc["sections"]["monitoring"]
    figures = section["figures"]
    assert figures["evaluations"] == 3
    assert figures["quality_score"] == pytest.approx((18 / 21 + 0 + 1) / 3)
    assert (figures["critical_fails"], figures["critical_fail_rate"]) == (1, pytest.approx(1 / 3))
    assert figures["calibrated_calls"] == 1
    assert figures["calibration_spread"] == pytest.approx(6 / 21)
    agents = {row["agent"]: row for row in section["tables"]["by_agent"]["rows"]}
    assert agents["Ann Agent"]["quality_score"] == pytest.approx(9 / 21)
    assert agents["Ann Agent"]["critical_fails"] == 1
    assert (agents["Ann Agent"]["csat"], agents["Bo Agent"]["csat"]) == (0, 1)
    assert agents["Bo Agent"]["quality_score"] == 1  # Lars's score; Lena's was calibration
    # FCR of the evaluated calls themselves: Ann's customers 5 and 6 both called about
    # billing again within the week (Bo took those calls), so neither stayed solved
    assert agents["Ann Agent"]["fcr"] == 0
    missed = section["tables"]["most_missed"]["rows"]
    assert (missed[0]["item"], missed[0]["missed"], missed[0]["answered"]) == ("reflected", 2, 3)
    assert (missed[1]["item"], missed[1]["missed"]) == ("can_do", 1)
    teams = {row["team"]: row for row in section["tables"]["by_team"]["rows"]}
    assert teams["Lena Lead"]["evaluations"] == 3
    calibration = section["tables"]["calibration"]["rows"]
    assert [(c["team"], c["calls"]) for c in calibration] == [("Lena Lead", 1)]
    assert doc["measures"]["calibration_spread"] == pytest.approx(6 / 21)


@pytest.mark.parametrize(
    ("fmt", "shown"),
    [
        ("text", ["QUALITY MONITORING", "Critical-fail rate:           33.3%", "Ann Agent"]),
        ("markdown", ["## Quality monitoring", "| Ann Agent |", "Calibration spread"]),
        ("html", ["<h2", "Quality monitoring", "Ann Agent", "Calibration spread"]),
    ],
)
def test_every_format_shows_the_section(judged, fmt, shown):
    result = report(judged, fmt)
    assert result.exit_code == 0, result.output
    for words in shown:
        assert words in result.stdout, (fmt, words)


def test_csv_rows_carry_the_section(judged):
    result = report(judged, "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert any(row[0] == "monitoring" and "quality_score" in row for row in rows)
    assert any("Ann Agent" in row for row in rows)


def test_fail_on_knows_the_monitoring_measures(judged):
    breached = report(judged, "text", "--fail-on", "critical_fail_rate>0.2")
    assert breached.exit_code == 3, breached.output
    fine = report(judged, "text", "--fail-on", "quality_score<0.5")
    assert fine.exit_code == 0, fine.output
    needs = runner.invoke(
        app,
        ["report", "--section", "queues", "--fail-on", "calibration_spread>0.1",
         "--db", str(judged.db.where)],
    )  # fmt: skip
    assert needs.exit_code == 2 and "add --section monitoring" in needs.stderr


def test_a_center_without_evaluations_reports_no_value_not_zero(center):
    center.queue("Support")
    result = report(center, "json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)["sections"]["monitoring"]["figures"]
    assert figures["evaluations"] == 0 and figures["quality_score"] is None
    assert figures["calibration_spread"] is None

"""First-time fix and promised-vs-actual times, against figures worked out by hand.

The week of Monday 5 January 2026 (UTC). Gold promises a technician on site
within 4 h and a fix within 8 h; Silver 24 h and 48 h; Bob has no agreement.

  T1 Ann  boiler   opened Mon 08:00  Sam  on site 10:00, fixed 11:00    (2 h, 3 h)
  T2 Ann  network  opened Tue 08:00  Tina on site 14:00, fixed 15:00    (6 h, 7 h)
  T3 Ann  network  opened Fri 08:00  Tina on site 09:00, not fixed 10:00;
                                     Sam  on site Sat 08:00, fixed 09:00 (1 h, 25 h)
  T4 Cora boiler   opened Wed 08:00  Sam  on site 20:00, fixed 22:00    (12 h, 14 h)
  T5 Bob  boiler   opened Thu 08:00  no visit yet
  T6 Ann  boiler   opened Mon 19 Jan 12:00: 14 days and 1 hour after T1's fix

First-time fix (judged: T1-T4): T1 and T4 yes; T2 no (T3 is the same fault
within 14 days); T3 no (its first visit did not fix it). 2 of 4.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from typer.testing import CliRunner

from svcdesk_tui.cli import app
from svcdesk_tui.core.periods import days_period
from svcdesk_tui.service_desk.first_time_fix import first_time_fix
from svcdesk_tui.service_desk.service_times import promises_kept

from .service_desk_helpers import add_agreement, add_fault_type, add_ticket, add_visit, technician

WEEK = days_period(date(2026, 1, 5), date(2026, 1, 12), "UTC")
H = 3600


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 1, day, hour, tzinfo=UTC)


@pytest.fixture
def week(center):
    gold = add_agreement(center, "Gold", 4, 8, rank=2)
    silver = add_agreement(center, "Silver", 24, 48, rank=1)
    ann = center.customer("Ann", agreement=gold)
    cora = center.customer("Cora", agreement=silver)
    bob = center.customer("Bob")
    boiler = add_fault_type(center, "boiler", "Boiler leak", "Repair boilers")
    network = add_fault_type(center, "network", "Network down", "Repair networks")
    sam = technician(center, "sam", "Sam", "boiler", "O", shift=False)
    tina = technician(center, "tina", "Tina", "network", "U", shift=False)
    gold_promise = {"agreement": gold, "promised": (4, 8)}
    t1 = add_ticket(center, ann, boiler, opened=at(5, 8), **gold_promise)
    add_visit(center, t1, sam, at=at(5, 10), hours=1, outcome="fixed")
    t2 = add_ticket(center, ann, network, opened=at(6, 8), **gold_promise)
    add_visit(center, t2, tina, at=at(6, 14), hours=1, outcome="fixed")
    t3 = add_ticket(center, ann, network, opened=at(9, 8), **gold_promise)
    add_visit(center, t3, tina, at=at(9, 9), hours=1, outcome="not_fixed")
    add_visit(center, t3, sam, at=at(10, 8), hours=1, outcome="fixed")
    t4 = add_ticket(center, cora, boiler, opened=at(7, 8), agreement=silver, promised=(24, 48))
    add_visit(center, t4, sam, at=at(7, 20), hours=2, outcome="fixed")
    add_ticket(center, bob, boiler, opened=at(8, 8))
    add_ticket(center, ann, boiler, opened=at(19, 12), **gold_promise)
    return center


def ftf(center, by=None, window=14):
    with center.db.read() as session:
        rows = first_time_fix(session, WEEK, window_days=window, by=by)
    return {row.label: (row.fixed_first_time, row.judged) for row in rows}


def test_first_time_fix_for_the_center_and_per_technician_fault_and_tier(week):
    assert ftf(week) == {"All": (2, 4)}
    assert ftf(week, "technician") == {"Sam": (2, 2), "Tina": (0, 2)}
    assert ftf(week, "fault_type") == {"Boiler leak": (2, 2), "Network down": (0, 2)}
    assert ftf(week, "tier") == {"Gold": (1, 3), "Silver": (1, 1)}


def test_the_window_is_a_setting(week):
    # T3 was opened 2 days 17 hours after T2's fix: outside a 2-day window.
    assert ftf(week, window=2) == {"All": (3, 4)}
    assert ftf(week, window=3) == {"All": (2, 4)}


def test_a_new_fault_just_inside_the_window_undoes_the_fix(week):
    # T6 came 14 days and 1 hour after T1's fix; with a 15-day window it undoes it.
    assert ftf(week, window=15) == {"All": (1, 4)}


def test_promised_against_actual_per_tier(week):
    with week.db.read() as session:
        rows = {row.tier: row for row in promises_kept(session, WEEK)}
    assert list(rows) == ["Gold", "Silver", "No agreement"]
    gold = rows["Gold"]
    assert (gold.tickets, gold.responded, gold.fixed) == (3, 3, 3)
    assert gold.promised_response_seconds == 4 * H
    assert gold.mean_response_seconds == pytest.approx((2 + 6 + 1) / 3 * H)  # 3 h
    assert gold.response_gap_seconds == pytest.approx(-1 * H)
    assert gold.response_in_time_rate == pytest.approx(2 / 3)
    assert gold.mean_fix_seconds == pytest.approx((3 + 7 + 25) / 3 * H)
    assert gold.fix_gap_seconds == pytest.approx((35 / 3 - 8) * H)
    assert gold.fix_in_time_rate == pytest.approx(2 / 3)
    silver = rows["Silver"]
    assert (silver.response_gap_seconds, silver.fix_gap_seconds) == (-12 * H, -34 * H)
    assert (silver.response_in_time_rate, silver.fix_in_time_rate) == (1.0, 1.0)
    none = rows["No agreement"]
    assert (none.tickets, none.responded, none.mean_response_seconds) == (1, 0, None)
    assert none.response_in_time_rate is None and none.response_gap_seconds is None


def test_the_report_quality_section_shows_first_time_fix_and_promises(week):
    week_days = ["--since", "2026-01-05", "--until", "2026-01-11"]
    args = ["report", "--db", str(week.db.where), *week_days, "--format", "json"]
    result = CliRunner().invoke(app, [*args, "--section", "quality"])
    assert result.exit_code == 0, result.output
    quality = json.loads(result.stdout)["sections"]["quality"]
    assert quality["figures"]["first_time_fix"] == 0.5
    per_tier = quality["tables"]["first_time_fix_by_tier"]["rows"]
    assert [(r["name"], r["judged"], r["fixed"]) for r in per_tier] == [
        ("Gold", 3, 1),
        ("Silver", 1, 1),
    ]
    promises = {r["tier"]: r for r in quality["tables"]["promised_vs_actual"]["rows"]}
    assert (promises["Gold"]["promised_response"], promises["Gold"]["response_gap"]) == (
        4 * H,
        -1 * H,
    )
    text = CliRunner().invoke(app, [*args[:-2], "--section", "quality"]).stdout
    assert "First-time fix (service tickets):" in text and "50.0%" in text

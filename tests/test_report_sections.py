"""Every section of the management report on the hand-built Sunday of report_center.py.

The expected figures are worked out by hand in the comments, never by the code under test.
"""

from __future__ import annotations

from datetime import date

import pytest

from svcdesk_tui.core.clock import FrozenClock
from svcdesk_tui.core.settings import load_settings
from svcdesk_tui.escalations.measures import escalation_measures
from svcdesk_tui.report.build import build_report, resolve_period

from .builders import Center
from .report_center import DAY, NOW, build
from .stores import new_store


@pytest.fixture(scope="module")
def center(tmp_path_factory):
    built = build(Center.create(new_store(tmp_path_factory.mktemp("report")), FrozenClock(NOW)))
    yield built
    built.db.close()


@pytest.fixture(scope="module")
def report(center):
    with center.db.read() as session:
        period = resolve_period("day", NOW.date(), "UTC")  # yesterday: Sunday 4 January
        return build_report(
            session, settings=load_settings(session), center="Test", period=period, now=NOW
        )


def section(report, key):
    return next(s for s in report.sections if s.key == key)


def figures(report, key):
    return {f.key: f.value for f in section(report, key).figures}


def rows(report, key, table):
    found = next(t for t in section(report, key).tables if t.key == table)
    return {r[found.columns[0].key]: r for r in found.rows}, found.total


def test_the_default_period_is_yesterday(report):
    assert (report.period.first, report.period.last) == (DAY, DAY)


def test_queues(report):
    queues, total = rows(report, "queues", "queues")
    support, billing = queues["Support"], queues["Billing"]
    # Support: 6 offered, 4 answered, 1 real abandon (50 s), 1 short (3 s)
    assert (support["offered"], support["answered"], support["abandoned"]) == (6, 4, 1)
    assert support["short_abandons"] == 1
    # within 20 s: waits 10, 5, 15 (not 25) → 3 ÷ (4 + 1)
    assert support["service_level"] == pytest.approx(3 / 5)
    assert support["sl_status"] == "breach"
    assert support["asa_seconds"] == pytest.approx((10 + 25 + 5 + 15) / 4)
    assert support["aht_seconds"] == pytest.approx((360 + 240 + 120 + 480) / 4)
    assert support["abandon_rate"] == pytest.approx(1 / 5)
    assert support["longest_wait_seconds"] == 50
    # Billing: waits 40 and 20 within 30 s → 1 of 2, below its 90 % target
    assert billing["service_level"] == pytest.approx(1 / 2)
    assert billing["aht_seconds"] == pytest.approx((600 + 60) / 2)
    assert (total["offered"], total["service_level"]) == (8, pytest.approx(4 / 7))
    assert total["asa_seconds"] == pytest.approx((55 + 60) / 6)
    assert total["abandon_rate"] == pytest.approx(1 / 7)
    assert report.measures()["service_level"] == pytest.approx(4 / 7)
    assert report.measures()["queues_breached"] == 2


def test_load_per_hour_against_staffing(report):
    hours, _ = rows(report, "load", "hours")
    by_hour = {h.hour: r for h, r in hours.items()}
    assert sorted(by_hour) == [8, 9, 10, 11]
    # 08: nobody calls; Ann and Bob on shift, Bob logs in at 08:30
    assert (by_hour[8]["on_shift"], by_hour[8]["logged_in"], by_hour[8]["needed"]) == (2, 1.5, 0)
    # 09: Support 5 calls (AHT 300 s): A = 0.417 Erl; 1 agent gives SL 1 − 0.417·e^(−0.039)
    # = 60 % < 80 %, 2 give 94 % → 2. Billing 1 call (AHT 330 s): 1 agent gives 91.6 % ≥ 90 %
    # → 1. Needed 3, logged in 2 (Bob's pause is logged-in time) → understaffed.
    nine = by_hour[9]
    assert (nine["offered"], nine["abandoned"]) == (6, 1)
    assert (nine["on_shift"], nine["logged_in"], nine["needed"]) == (2, 2, 3)
    assert nine["staffing"] == "understaffed"
    assert (by_hour[10]["needed"], by_hour[10]["logged_in"], by_hour[10]["staffing"]) == (
        1,
        1,
        "ok",
    )
    assert figures(report, "load") == {"understaffed_hours": 1, "peak_needed_agents": 3}


def test_load_per_day_for_longer_periods(center):
    with center.db.read() as session:
        period = resolve_period("day", NOW.date(), "UTC", date(2026, 1, 3), date(2026, 1, 5))
        report = build_report(
            session,
            settings=load_settings(session),
            center="Test",
            period=period,
            now=NOW,
            sections=["load"],
        )
    days, _ = rows(report, "load", "days")
    # Support's AHT over the three days: (360 + 240 + 120 + 480 + 70 + 70) ÷ 6 = 223 s.
    # 3 January 15:00 and 5 January 08:00: one call each, 1 agent needed (SL 94 %), nobody
    # logged in. 4 January 09:00: Support 5 calls, A = 0.31 Erl: 1 agent gives 71 %, 2 give
    # 96 % → 2; Billing 1 call → 1; 3 needed, 2 logged in. 10:00 and 11:00: 1 needed, Ann there.
    assert days[date(2026, 1, 3)] == {
        "day": date(2026, 1, 3),
        "offered": 1,
        "abandoned": 0,
        "on_shift_hours": 0,
        "logged_in_hours": 0,
        "needed_hours": 1,
        "understaffed_hours": 1,
    }
    sunday = days[date(2026, 1, 4)]
    assert (sunday["offered"], sunday["abandoned"]) == (8, 1)
    # shifts Ann 08–12 and Bob 08–10; sessions Ann 08–12 and Bob 08:30–10:00
    assert (sunday["on_shift_hours"], sunday["logged_in_hours"]) == (6, 5.5)
    assert (sunday["needed_hours"], sunday["understaffed_hours"]) == (5, 1)
    assert days[date(2026, 1, 5)]["understaffed_hours"] == 1
    short, _ = rows(report, "load", "understaffed")
    assert [h.strftime("%d %H") for h in short] == ["03 15", "04 09", "05 08"]
    assert figures(report, "load")["understaffed_hours"] == 3


def test_agents(report):
    agents, center = rows(report, "agents", "agents")
    ann, bob = agents["Ann Archer"], agents["Bob Baker"]
    assert set(agents) == {"Ann Archer", "Bob Baker"}
    # Ann: calls 1, 2, 7, 8 (360 + 240 + 600 + 60 s); 4 h logged in; 1 shift
    assert ann["handled"] == 4
    assert ann["aht_seconds"] == pytest.approx(1260 / 4)
    assert ann["calls_per_logged_in_hour"] == pytest.approx(1.0)
    assert ann["calls_per_shift"] == pytest.approx(4.0)
    assert ann["occupancy"] == pytest.approx(1260 / 14400)
    # FCR base: calls 1, 2, 7 (call 8 has no customer); 1 is repeated by 3, 2 on 5 January
    assert ann["fcr"] == pytest.approx(1 / 3)
    assert ann["csat"] == pytest.approx(1 / 2)  # calls 1 (5) and 2 (3)
    # Bob: calls 3, 6 (120 + 480 s); 1.5 h logged in
    assert bob["calls_per_logged_in_hour"] == pytest.approx(2 / 1.5, abs=0.01)
    assert bob["occupancy"] == pytest.approx(600 / 5400)
    assert (bob["fcr"], bob["csat"]) == (1.0, 1.0)
    assert center["handled"] == 6
    assert center["occupancy"] == pytest.approx(1860 / 19800)
    assert center["calls_per_shift"] == pytest.approx(3.0)
    assert center["fcr"] == pytest.approx(3 / 5)


def test_logged_in_time_agrees_between_the_agents_and_the_hours(report):
    # Ann 08–12 (4 h) and Bob 08:30–10:00 (1.5 h): the agents' total and the hours' sum
    _, center = rows(report, "agents", "agents")
    hours, _ = rows(report, "load", "hours")
    assert center["logged_in_seconds"] == 5.5 * 3600
    assert sum(h["logged_in"] for h in hours.values()) == pytest.approx(5.5)


def test_reasons_show_half_the_calls_ask_how_to_use_the_product(report):
    reasons, _ = rows(report, "reasons", "reasons")
    assert next(iter(reasons)) == "How to operate the product"
    how = reasons["How to operate the product"]
    assert (how["calls"], how["share"]) == (3, pytest.approx(3 / 6))
    assert how["fcr"] == pytest.approx(1 / 3)  # only call 3 was not followed up
    assert reasons["Billing question"]["fcr"] == 1.0
    assert reasons["Other"]["fcr"] is None  # no customer: cannot be judged
    assert figures(report, "reasons")["top_reason_share"] == pytest.approx(0.5)


def test_quality(report):
    q = figures(report, "quality")
    assert q["fcr"] == pytest.approx(3 / 5)
    # handled calls of known customers: 1, 2, 3, 6, 7; repeats: 3 (after 1), 7 (after
    # 3 January), 6 (after 7)
    assert q["repeat_call_rate"] == pytest.approx(3 / 5)
    assert (q["complaints_resolved"], q["close_the_loop_rate"]) == (2, pytest.approx(1 / 2))
    assert q["unconfirmed_closes"] == 1
    assert q["repeat_complaint_rate"] == 0.0
    assert (q["csat"], q["csat_responses"]) == (pytest.approx(2 / 3), 3)
    # NPS answers 10, 6, 8, 9: 2 promoters, 1 detractor of 4 → +25
    assert (q["nps"], q["nps_responses"]) == (pytest.approx(25.0), 4)
    assert (q["detractors"], q["detractors_followed_up"]) == (1, 0.0)


def test_escalations(report, center):
    e = figures(report, "escalations")
    assert e["escalations_raised"] == 2
    assert e["escalations_per_1000_calls"] == pytest.approx(2000 / 6, abs=0.01)
    assert (e["reached_manager"], e["resolved_at_manager"], e["reached_executive"]) == (1, 0, 1)
    assert e["hardest_call_index"] == 0.0
    assert e["executive_status"] == "executive"
    assert e["median_resolution_seconds"] == 3600
    listed, _ = rows(report, "escalations", "reached_executive")
    (only,) = listed.values()
    assert (only["customer"], only["raised_by"], only["anger"]) == ("C Three", "Bob Baker", 5)
    with center.db.read() as session:  # the list agrees with the shared count
        assert escalation_measures(session, report.period.period).reached_executive == len(listed)


def test_retention(report):
    r = figures(report, "retention")
    # agents on 4 January: Ann, Bob, Dan (joins that day); Cat leaves that day
    assert (r["headcount_start"], r["headcount"], r["joiners"], r["leavers"]) == (3, 3, 1, 1)
    assert r["attrition"] == pytest.approx(1 / 3)
    # tenure: Ann 2024-01-01 → 734 d, Bob 2025-01-01 → 368 d, Dan 0 d
    assert r["median_tenure_days"] == 368
    assert r["median_tenure_leavers_days"] == 918  # Cat: 2023-07-01 → 2026-01-04


def test_caribbean_lists_the_single_person_dependency(report):
    c = figures(report, "caribbean")
    assert (c["single_person_procedures"], c["bus_factor"], c["uncovered_procedures"]) == (1, 1, 0)
    findings, _ = rows(report, "caribbean", "findings")
    assert findings["procedure"]["name"] == "Refund run"
    assert findings["procedure"]["who"] == "Ann Archer"
    assert findings["procedure"]["status"] == "breach"


def test_only_the_sections_asked_for(center):
    with center.db.read() as session:
        period = resolve_period("day", NOW.date(), "UTC")
        report = build_report(
            session,
            settings=load_settings(session),
            center="Test",
            period=period,
            now=NOW,
            sections=["retention", "queues"],
        )
    assert [s.key for s in report.sections] == ["queues", "retention"]


def test_every_headline_figure_is_a_known_threshold_name(report):
    from svcdesk_tui.report.build import MEASURE_SECTIONS

    measured = {name: s.key for s in report.sections for name in s.measures} | {
        f.key: s.key
        for s in report.sections
        for f in s.figures
        if f.kind not in ("text", "date", "datetime", "status")
    }
    assert measured == MEASURE_SECTIONS


@pytest.mark.parametrize(
    ("kind", "first", "last"),
    [
        ("day", date(2026, 1, 4), date(2026, 1, 4)),
        ("week", date(2025, 12, 29), date(2026, 1, 4)),  # Monday to Sunday before Monday 5th
        ("month", date(2025, 12, 1), date(2025, 12, 31)),
        ("year", date(2025, 1, 1), date(2025, 12, 31)),
    ],
)
def test_calendar_periods_end_before_today(kind, first, last):
    period = resolve_period(kind, date(2026, 1, 5), "Europe/Amsterdam")
    assert (period.first, period.last) == (first, last)
    # local midnight in Amsterdam is 23:00 UTC the evening before
    assert period.period.since.hour == 23


def test_since_and_until_override_the_period():
    period = resolve_period("month", date(2026, 1, 5), "UTC", date(2025, 11, 3), None)
    assert (period.first, period.last, period.days) == (date(2025, 11, 3), date(2026, 1, 5), 64)

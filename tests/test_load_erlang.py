"""Erlang C against textbook values, and local hours across a daylight-saving change."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from svcdesk_tui.core.periods import days_period
from svcdesk_tui.core.sqltime import offsets
from svcdesk_tui.queue.erlang import agents_needed, service_level
from svcdesk_tui.queue.load import hourly_load
from svcdesk_tui.queue.measures import queue_kpis


@pytest.mark.parametrize(
    ("agents", "waiting"),
    # Erlang C tables, 10 Erlangs: probability of waiting with 11..14 agents
    [(11, 0.6821), (12, 0.4494), (13, 0.2853), (14, 0.1741)],
)
def test_probability_of_waiting_matches_the_table(agents, waiting):
    # with a threshold of 0 s, the service level is 1 − P(wait)
    assert 1 - service_level(agents, 10.0, 0, 180) == pytest.approx(waiting, abs=5e-4)


def test_the_textbook_example_needs_14_agents_for_80_in_20():
    # 100 calls per half hour (200 per hour), AHT 3 minutes: 10 Erlangs.
    # 13 agents: 1 − 0.2853·e^(−3·20/180) = 79.6 %; 14 agents: 1 − 0.1741·e^(−4·20/180) = 88.8 %
    assert service_level(13, 10.0, 20, 180) == pytest.approx(0.7956, abs=5e-4)
    assert service_level(14, 10.0, 20, 180) == pytest.approx(0.8884, abs=5e-4)
    assert agents_needed(200, aht_s=180, threshold_s=20, target=0.8) == 14


def test_no_calls_need_no_agents():
    assert agents_needed(0, aht_s=180, threshold_s=20, target=0.8) == 0


def test_local_offsets_follow_summer_time():
    # Amsterdam leaves winter time (+1 h) for summer time (+2 h) at 01:00 UTC on 29 March 2026
    period = days_period(date(2026, 3, 28), date(2026, 3, 31), "Europe/Amsterdam")
    change = int(datetime(2026, 3, 29, 1, 0, tzinfo=UTC).timestamp())
    assert offsets(period, "Europe/Amsterdam") == [
        (int(period.since.timestamp()), 3600),
        (change, 7200),
    ]
    assert len(offsets(days_period(date(2026, 1, 1), date(2026, 1, 2), "UTC"), "UTC")) == 1


def test_hours_are_local_on_the_day_summer_time_starts(center):
    support = center.queue("Support")
    agent = center.staff("ann")
    # 07:30 UTC on 29 March is 09:30 in Amsterdam (summer time began at 02:00 local)
    center.call(
        support, entered=datetime(2026, 3, 29, 7, 30, tzinfo=UTC), wait=5, talk=60, agent=agent
    )
    center.shift(
        agent, datetime(2026, 3, 29, 6, 30, tzinfo=UTC), datetime(2026, 3, 29, 8, 0, tzinfo=UTC)
    )
    period = days_period(date(2026, 3, 29), date(2026, 3, 30), "Europe/Amsterdam")
    with center.db.read() as session:
        load = hourly_load(
            session,
            period,
            "Europe/Amsterdam",
            now=period.until,
            queues=queue_kpis(session, period),
        )
    hours = {(h.start.hour, h.offered, h.on_shift) for h in load.hours}
    # the shift 08:30–10:00 local: half of 08:00, all of 09:00; the call at 09:30
    assert hours == {(8, 0, 0.5), (9, 1, 1.0)}
    assert load.hours[0].start.utcoffset() == timedelta(hours=2)

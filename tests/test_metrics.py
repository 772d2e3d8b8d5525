"""Queue measures on a hand-built day whose answers are worked out below."""

from __future__ import annotations

from datetime import timedelta

import pytest

from svcdesk_tui.core.periods import today_period
from svcdesk_tui.models import CallState
from svcdesk_tui.queue.measures import queue_kpis

from .conftest import MORNING


@pytest.fixture
def day(center):
    support = center.queue("Support", threshold=20, target=0.8, short=5)
    billing = center.queue("Billing", threshold=30, target=0.9, short=5)
    at = MORNING - timedelta(hours=2)
    center.call(support, entered=at, wait=10, talk=100, wrap=20)
    center.call(support, entered=at, wait=30, talk=200, wrap=40)
    center.call(support, entered=at, wait=20, talk=60, wrap=0)  # exactly T: counts as within
    center.call(support, entered=at, state=CallState.ABANDONED, wait=3)  # short abandon
    center.call(support, entered=at, state=CallState.ABANDONED, wait=5)  # short (threshold itself)
    center.call(support, entered=at, state=CallState.ABANDONED, wait=40)
    center.call(support, entered=MORNING - timedelta(minutes=1), state=CallState.WAITING)
    center.call(support, entered=at, state=CallState.ON_CALL, wait=15)
    center.call(support, entered=at - timedelta(days=1), wait=100, talk=50, wrap=5)  # yesterday
    center.call(billing, entered=at, wait=25, talk=300, wrap=60)
    with center.db.read() as session:
        return {k.queue_name: k for k in queue_kpis(session, today_period("UTC", now=MORNING))}


def test_counts_per_queue(day):
    support = day["Support"]
    assert (support.offered, support.answered, support.abandoned, support.short_abandons) == (
        8,
        4,
        1,
        2,
    )
    assert support.answered_within_threshold == 3
    assert support.handled == 3
    assert support.longest_wait_seconds == 40


def test_service_level_excludes_short_abandons_and_waiting(day):
    # answered within 20 s (10, 20, 15) ÷ (4 answered + 1 real abandon)
    assert day["Support"].service_level == pytest.approx(3 / 5)
    assert day["Support"].breached
    assert day["Billing"].service_level == 1.0
    assert not day["Billing"].breached


def test_asa_aht_and_abandon_rate(day):
    support = day["Support"]
    assert support.asa_seconds == pytest.approx((10 + 30 + 20 + 15) / 4)
    assert support.aht_seconds == pytest.approx((120 + 240 + 60) / 3)
    assert support.abandon_rate == pytest.approx(1 / (8 - 2))


def test_total_adds_up_each_queue_with_its_own_threshold(day):
    total = day["All queues"]
    assert (total.offered, total.answered, total.abandoned) == (9, 5, 1)
    assert total.service_level == pytest.approx(4 / 6)
    assert total.sl_target is None and not total.breached


def test_quiet_queue_has_no_rates(center):
    center.queue("Sales", threshold=15, target=0.8)
    with center.db.read() as session:
        sales, total = queue_kpis(session, today_period("UTC", now=MORNING))
    assert sales.offered == 0
    assert sales.service_level is None and sales.asa_seconds is None and sales.abandon_rate is None
    assert total.queue_id is None


def test_today_follows_the_center_time_zone(center):
    support = center.queue("Support")
    # 23:30 UTC on 4 January is already 5 January in Amsterdam (UTC+1 in winter)
    center.call(
        support, entered=MORNING.replace(hour=0) - timedelta(minutes=30), wait=5, talk=60, wrap=0
    )
    with center.db.read() as session:
        in_utc = queue_kpis(session, today_period("UTC", now=MORNING))[0]
        in_amsterdam = queue_kpis(session, today_period("Europe/Amsterdam", now=MORNING))[0]
    assert (in_utc.offered, in_amsterdam.offered) == (0, 1)

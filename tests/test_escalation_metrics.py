"""The hardest-call measures on a hand-built day whose answers are worked out below.

Monday 5 January 2026 (UTC), 8 answered calls and 2 abandoned ones. Escalations
raised that day (minutes after 09:00 in brackets):

  E1 lead resolves after 10 min                          resolved at lead,      600 s
  E2 lead passes up, Mara accepts, resolves at 50 min    resolved at manager,  3000 s
  E3 climbs by itself at 30 min, Max resolves at 90 min  resolved at manager,  5400 s
  E4 lead passes up, nobody accepts, climbs at 60+10,
     Eve resolves at 200 min                             resolved at executive, 12000 s
  E5 waits at lead                                       open
  E6 Mara accepts at manager, passes to the executive    open at executive
  E7 lead resolves, then it is reopened                  open (reopen = unresolved)
  E0 raised the day before, resolved by Mara             outside the period

Whole center: 7 escalations, 7 × 1000 ÷ 8 = 875 per 1,000 calls; resolved at
lead 1/7, manager 2/7, executive 1/7; reached the manager E2 E3 E4 E6 = 4, of
which resolved there E2 E3 = 2, index 0.5; reached the executive E4 E6 = 2;
median time to resolution of 600, 3000, 5400, 12000 = (3000 + 5400) ÷ 2 = 4200 s.
Per manager: Mara E2 E6 (index 1/2, median 3000), Max E3 (1/1, 5400),
nobody accepted E4 (0/1, 12000).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from svcdesk_tui.core.periods import day_period
from svcdesk_tui.escalations import moves as esc
from svcdesk_tui.escalations.measures import NOBODY, escalation_measures, measures_by_manager
from svcdesk_tui.models import CallState

from .escalation_helpers import build_floor

NINE = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def day(center):
    floor = build_floor(center)  # its one answered call (Alice's) counts: 1 of the 8
    for n in range(7):
        floor.call(floor.support, entered=NINE + timedelta(minutes=n), wait=5, talk=60, wrap=10)
    for n in range(2):
        floor.call(floor.support, entered=NINE, state=CallState.ABANDONED, wait=30 + n)
    floor.call(floor.support, entered=NINE - timedelta(days=1), wait=5, talk=60, wrap=10)
    return floor


def at(floor, minutes, move, actor, *args, **kwargs):
    floor.clock.at = NINE + timedelta(minutes=minutes)
    with floor.db.write() as session:
        return move(session, actor, *args, now=floor.clock.now(), **kwargs)


def raised(floor, minutes, actor=None):
    floor.clock.at = NINE + timedelta(minutes=minutes)
    with floor.db.write() as session:
        return esc.raise_escalation(
            session,
            actor or floor.alice,
            now=floor.clock.now(),
            reason="angry",
            anger=5,
            customer_id=floor.ann,
        ).id


def tick(floor, minutes):
    floor.clock.at = NINE + timedelta(minutes=minutes)
    with floor.db.write() as session:
        return esc.climb_overdue(session, now=floor.clock.now())


def test_measures_of_a_hand_built_day(day):
    f = day
    e0 = raised(f, -24 * 60)
    at(f, -24 * 60 + 5, esc.escalate_further, f.lena, e0, justification="j")
    at(f, -24 * 60 + 10, esc.resolve, f.mara, e0, note="n", promise="p")

    e1, e2, e3, e4, e5, e6, e7 = (raised(f, 0) for _ in range(7))
    at(f, 10, esc.resolve, f.lena, e1, note="n", promise="p")
    at(f, 5, esc.escalate_further, f.lena, e2, justification="j")
    at(f, 6, esc.accept, f.mara, e2)
    at(f, 8, esc.escalate_further, f.lena, e4, justification="j")
    at(f, 9, esc.escalate_further, f.lena, e6, justification="j")
    at(f, 9, esc.accept, f.mara, e6)
    at(f, 12, esc.resolve, f.lena, e7, note="n", promise="p")
    at(f, 13, esc.reopen, f.lena, e7, note="again")
    at(f, 14, esc.accept, f.lena, e5)
    at(f, 14, esc.accept, f.lena, e7)
    assert [c.escalation_id for c in tick(f, 30)] == [e3]
    at(f, 40, esc.escalate_further, f.mara, e6, justification="board member")
    at(f, 50, esc.resolve, f.mara, e2, note="n", promise="p")
    assert [c.escalation_id for c in tick(f, 68)] == [e4]  # at manager since 9:08, 60 min
    at(f, 90, esc.resolve, f.max, e3, note="n", promise="p")
    at(f, 200, esc.resolve, f.eve, e4, note="n", promise="p")

    with f.db.read() as session:
        whole = escalation_measures(session, day_period(date(2026, 1, 5), "UTC"))
        managers = measures_by_manager(session, day_period(date(2026, 1, 5), "UTC"))

    assert (whole.calls, whole.escalations, whole.per_1000_calls) == (8, 7, 875.0)
    assert [(lvl.name, lvl.resolved) for lvl in whole.resolved_by_level] == [
        ("Agent", 0),
        ("Shift lead", 1),
        ("Service manager", 2),
        ("Executive", 1),
    ]
    assert whole.share_resolved_at(2) == pytest.approx(1 / 7)
    assert whole.share_resolved_at(3) == pytest.approx(2 / 7)
    assert (whole.reached_manager, whole.resolved_at_manager, whole.hardest_call_index) == (
        4,
        2,
        0.5,
    )
    assert whole.reached_executive == 2
    assert whole.median_resolution_seconds == 4200

    rows = [
        (m.label, m.escalations, m.reached_manager, m.resolved_at_manager, m.reached_executive)
        for m in managers
    ]
    assert rows == [
        ("Mara Vos", 2, 2, 1, 1),
        ("Max Meyer", 1, 1, 1, 0),
        (NOBODY, 1, 1, 0, 1),
    ]
    assert [m.hardest_call_index for m in managers] == [0.5, 1.0, 0.0]
    assert [m.median_resolution_seconds for m in managers] == [3000, 5400, 12000]


def test_a_quiet_period_has_no_figures_rather_than_zeros(center):
    build_floor(center)
    with center.db.read() as session:
        quiet = escalation_measures(session, day_period(date(2025, 6, 1), "UTC"))
        managers = measures_by_manager(session, day_period(date(2025, 6, 1), "UTC"))
    assert (quiet.calls, quiet.escalations, quiet.per_1000_calls) == (0, 0, None)
    assert quiet.hardest_call_index is None and quiet.median_resolution_seconds is None
    assert quiet.share_resolved_at(3) is None and managers == []

"""Shifts against the need: per interval, agents on shift minus agents to schedule, in words."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from svcdesk_tui.core.settings import save_setting
from svcdesk_tui.models import Shift
from svcdesk_tui.planning.erlang_a import agents_needed
from svcdesk_tui.planning.forecast import forecast
from svcdesk_tui.planning.staffing import plan_staffing

from .planning_helpers import SHAPE, WEEKDAY, write_history
from .test_forecast import FIRST, TODAY


def _flat(day):
    return WEEKDAY[day.weekday()]


def _shifts(center, count: int, start: int, end: int, queue_id: int | None = None) -> None:
    day = TODAY
    people = [center.staff(f"agent{queue_id}-{start}-{i}") for i in range(count)]
    with center.db.write() as session:
        for person in people:
            session.add(
                Shift(
                    staff_id=person.id,
                    queue_id=queue_id,
                    starts_at=datetime.combine(day, time(start), UTC),
                    ends_at=datetime.combine(day, time(end), UTC),
                )
            )


def _plan(center, shrinkage: float = 0.0):
    with center.db.read() as session:
        return plan_staffing(
            session,
            forecast(session, tz="UTC", start=TODAY, days=1),
            tz="UTC",
            shrinkage=shrinkage,
        )


def test_a_thin_morning_shows_as_one_gap_in_words(center):
    support = center.queue("Support")
    write_history(center, support, FIRST, 70, level=_flat)
    # Monday 10:00-11:00: 50 calls an hour (12.5 a quarter), AHT 240 s, no abandons
    need = agents_needed(
        round(WEEKDAY[0] * SHAPE[10]), aht_s=240, patience_s=864000, threshold_s=20, target=0.8
    )
    _shifts(center, 2, 8, 16)  # two agents all day: short everywhere there are calls
    _shifts(center, 20, 12, 16)  # plenty in the afternoon
    plan = _plan(center)
    words = [gap.words() for gap in plan.gaps]
    assert words[0].startswith("Monday 2025-12-15 08:00–12:00 short by")
    assert f"short by {need - 2} in Support" in words[0]  # the 10:00 peak
    assert all("13:" not in w and "14:" not in w for w in words)


def test_shrinkage_puts_agents_on_top_of_the_need(center):
    support = center.queue("Support")
    write_history(center, support, FIRST, 70, level=_flat)
    without = _plan(center, 0.0)
    with_breaks = _plan(center, 0.5)
    peak = max(without.pools[0].needed.values())
    assert max(with_breaks.pools[0].needed.values()) == 2 * peak
    with center.db.write() as session:
        save_setting(session, "shrinkage", 0.5)


def test_shifts_for_a_queue_count_against_that_queue_only(center):
    support = center.queue("Support")
    billing = center.queue("Billing")
    write_history(center, support, FIRST, 70, level=_flat)
    write_history(center, billing, FIRST, 70, level=_flat)
    _shifts(center, 30, 7, 17, queue_id=billing)  # Billing amply staffed, Support by nobody
    plan = _plan(center)
    pools = {gap.pool for gap in plan.gaps}
    assert pools == {"Support"}
    assert {p.name for p in plan.pools} == {"Billing", "Support"}
    assert plan.gaps[0].start.date() == TODAY
    assert plan.gaps[-1].end <= datetime.combine(TODAY, time(16), UTC) + timedelta(hours=0)

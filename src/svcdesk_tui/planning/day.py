"""One day's load by interval, as the Load screen and the report show it.

Offered calls against their forecast (learnt from before the day), agents logged
in against the agents needed on the phone (Erlang A on the forecast), and
the service level as it happened; and the gaps of the next days' shifts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlmodel import Session

from svcdesk_tui.core import rates
from svcdesk_tui.core.periods import zone
from svcdesk_tui.core.settings import CenterSettings
from svcdesk_tui.planning.forecast import forecast
from svcdesk_tui.planning.history import by_interval, slots_per_day
from svcdesk_tui.planning.staffing import Gap, logged_in, plan_staffing

GAP_DAYS = 7
"""Days ahead whose gaps the Load screen lists."""


@dataclass
class DayCurves:
    """Per interval of one local day (index = slot); ``None`` where nothing happened."""

    day: date
    interval_minutes: int
    offered: list[int]
    forecast: list[float]
    logged_in: list[float]
    needed: list[int]
    """Agents on the phone Erlang A says the forecast needs (no shrinkage: they are logged in)."""
    service_level: list[float | None]
    within: int = 0
    counted: int = 0
    gaps: list[Gap] = field(default_factory=list)
    until: int | None = None
    """Today: the slots that have happened (what happened stops there); None for a past day."""

    def happened(self) -> range:
        """The open slots whose calls, agents and service level are known."""
        span = self.open_slots()
        return range(
            span.start, min(span.stop, self.until) if self.until is not None else span.stop
        )

    @property
    def day_service_level(self) -> float | None:
        return rates.share(self.within, self.counted)

    def open_slots(self) -> range:
        """First to last interval with calls, forecast or agents (the whole day if none)."""
        busy = [
            i
            for i in range(len(self.offered))
            if self.offered[i] or self.forecast[i] >= 0.05 or self.logged_in[i] or self.needed[i]
        ]
        return range(busy[0], busy[-1] + 1) if busy else range(len(self.offered))


def read_day(
    session: Session,
    settings: CenterSettings,
    day: date,
    *,
    now: datetime,
    today: date,
    interval_minutes: int | None = None,
    with_gaps: bool = True,
) -> DayCurves:
    """``interval_minutes``: default the ``interval_minutes`` setting."""
    tz = settings.timezone
    interval_minutes = interval_minutes or settings.interval_minutes
    slots = slots_per_day(interval_minutes)
    after = day + timedelta(days=1)
    offered = [0] * slots
    within = [0] * slots
    counted = [0] * slots
    for row in by_interval(
        session, queue_id=None, start=day, end=after, tz=tz, interval_minutes=interval_minutes
    ):
        offered[row.slot] += row.offered
        within[row.slot] += row.within_threshold
        counted[row.slot] += row.answered + row.abandoned
    plan = plan_staffing(
        session,
        forecast(session, tz=tz, start=day, days=1, interval_minutes=interval_minutes),
        tz=tz,
        shrinkage=settings.shrinkage,
    )
    expected = [0.0] * slots
    for calls in plan.forecast.calls.values():
        expected = [e + c for e, c in zip(expected, calls, strict=True)]
    needed = [0] * slots
    for need in plan.intervals:  # on the phone: logged-in agents answer calls, shrinkage aside
        needed[need.slot] += need.erlang_a
    agents = logged_in(session, day, after, tz, interval_minutes, now=now)
    curves = DayCurves(
        day,
        interval_minutes,
        offered,
        expected,
        [agents.get((day, s), 0.0) for s in range(slots)],
        needed,
        [rates.share(w, c) for w, c in zip(within, counted, strict=True)],
        sum(within),
        sum(counted),
    )
    if day == today:
        local = now.astimezone(zone(tz))
        curves.until = (local.hour * 60 + local.minute) // interval_minutes + 1
    if with_gaps:
        ahead = plan_staffing(
            session,
            forecast(session, tz=tz, start=today, days=GAP_DAYS, interval_minutes=interval_minutes),
            tz=tz,
            shrinkage=settings.shrinkage,
        )
        curves.gaps = ahead.gaps
    return curves

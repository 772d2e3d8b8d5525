"""The simulated callers: they ring in the hourly shape of the center and hang up when tired.

Arrivals are a Poisson process whose rate is the hour's share of the day
(:mod:`.traffic`), sped up by the simulator's pace; each caller gets a patience
when they enter, and hangs up when it runs out before an agent answers.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from svcdesk_tui.demo.sim_center import SimCenter
from svcdesk_tui.demo.traffic import QUEUE_PICKERS, REASON_PICKER, calls_per_hour, sample_patience
from svcdesk_tui.models import Call, is_waiting
from svcdesk_tui.queue import live as queue

MAX_ARRIVALS_PER_TICK = 500
ANONYMOUS_SHARE = 0.04


class Callers:
    """New callers since the last tick, and the hang-ups of those who waited too long."""

    def __init__(self, center: SimCenter) -> None:
        self.center = center
        self.plans = center.plans
        self.agents_total = 0
        self._next_arrival: datetime | None = None

    def arrivals(self, session: Session, agents_total: int, *, now: datetime) -> int:
        """Callers who rang since the last tick, each entered at its own second."""
        self.agents_total = agents_total
        if self._next_arrival is None or self._next_arrival < now - timedelta(minutes=1):
            self._next_arrival = self._after(now - timedelta(seconds=1))
        arrived = 0
        while self._next_arrival <= now and arrived < MAX_ARRIVALS_PER_TICK:
            if self.center.queue_ids:
                self.enqueue(session, self._next_arrival)
                arrived += 1
            self._next_arrival = self._after(self._next_arrival)
        return arrived

    def _after(self, moment: datetime) -> datetime:
        """The next arrival after ``moment`` (skipping closed hours)."""
        for _ in range(24 * 8):
            rate = self._rate(moment)
            hour_end = moment.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
            if rate > 0:
                candidate = moment + timedelta(seconds=self.center.rng.expovariate(rate))
                if candidate < hour_end:
                    return candidate.replace(microsecond=0) + timedelta(seconds=1)
            moment = hour_end  # memoryless: start again at the next hour's rate
        return moment + timedelta(days=1)

    def _rate(self, moment: datetime) -> float:
        """Expected arrivals per second at ``moment``, sped up."""
        center = self.center
        local = moment.astimezone(center.tz)
        per_hour = calls_per_hour(
            self.agents_total, local.weekday(), local.hour, night_line=center.night_line
        )
        return per_hour * center.speed / 3600

    def enqueue(self, session: Session, at: datetime, reason: str | None = None) -> Call:
        """A caller enters the queue their reason leads to, with a patience of their own."""
        center = self.center
        rng = center.rng
        reason = reason or REASON_PICKER.pick(rng)
        queue_id = center.queue_ids.get(QUEUE_PICKERS[reason].pick(rng))
        if queue_id is None:
            queue_id = rng.choice(list(center.queue_ids.values()))
        customer_id = None
        if rng.random() >= ANONYMOUS_SHARE:
            customer_id = center.pick_customer(session)
        number = None if customer_id else f"+31 6 {rng.randint(10000000, 99999999)}"
        call = queue.enqueue_call(
            session,
            queue_id=queue_id,
            now=at,
            customer_id=customer_id,
            caller_number=number,
            source="sim",
        )
        assert call.id is not None
        self.plans.reason[call.id] = reason
        self.plans.patience[call.id] = at + center.scaled(sample_patience(rng))
        return call

    def hang_ups(self, session: Session, *, now: datetime) -> tuple[int, int]:
        """Callers whose patience ran out hang up; returns (hung up, still holding).

        A waiting call we have not seen before (a person's, or an earlier run's)
        first gets a patience of its own.
        """
        center, patience = self.center, self.plans.patience
        waiting = session.exec(select(Call.id, Call.entered_at).where(is_waiting())).all()
        still = {call_id for call_id, _ in waiting}
        for gone in [c for c in patience if c not in still]:
            del patience[gone]  # answered by someone, or hung up elsewhere
        abandoned = 0
        for call_id, entered in waiting:
            if call_id is None:
                continue
            deadline = patience.get(call_id)
            if deadline is None:  # a caller we have not seen yet (a person or an older run)
                deadline = entered + center.scaled(sample_patience(center.rng))
                if deadline < now:
                    deadline = now + center.scaled(center.rng.uniform(0, 120))
                patience[call_id] = deadline
            if deadline <= now and queue.abandon_call(session, call_id, now=now):
                del patience[call_id]
                abandoned += 1
        return abandoned, len(waiting) - abandoned

"""Live traffic for a demo: callers ring, simulated agents answer, talk and hang up.

Calls arrive in the hourly shape of :mod:`.traffic`; simulated agents use the
same moves as people (``take_call``, ``end_talk``, ``complete_call``), so a
human agent and the simulator never hold the same call. An agent is driven by
the simulator only while nobody else is logged in as them: their status has no
client, or a client that starts with ``sim``. Plans (when a talk ends, how long
a caller holds on) live in memory; started on a store where calls already wait
or are in progress, the simulator makes new plans for them, and closes what is
clearly left over from long ago with plausible figures.
"""

from __future__ import annotations

import math
import random
import threading
import time
from bisect import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate

from sqlalchemy import func, or_, select
from sqlmodel import Session

from svcdesk_tui.core import audit
from svcdesk_tui.core.clock import Clock, to_epoch
from svcdesk_tui.core.db import Database
from svcdesk_tui.core.errors import Conflict
from svcdesk_tui.core.periods import zone
from svcdesk_tui.core.settings import load_settings
from svcdesk_tui.demo.traffic import (
    QUEUE_PICKERS,
    REASON_PICKER,
    RESOLVE_RATE,
    Picker,
    calls_per_hour,
    reasons_for_queue,
    sample_patience,
    sample_talk,
    sample_wrap,
)
from svcdesk_tui.models import (
    AgentStateKind,
    AgentStatus,
    Call,
    CallOutcome,
    CallState,
    ContactReason,
    Customer,
    Queue,
    Role,
    Staff,
    is_waiting,
)
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, require
from svcdesk_tui.queue import live as queue
from svcdesk_tui.queue.erlang import agents_needed

SIM_CLIENT = "sim"
STALE_AFTER = timedelta(minutes=30)
"""Waiting or talking longer than this when the simulator starts: left over, closed as it was."""
SHRINKAGE = 0.13
BREAK_EVERY_S = 2.5 * 3600
BREAK_S = 900
MAX_ARRIVALS_PER_TICK = 500
ANONYMOUS_SHARE = 0.04


@dataclass(frozen=True)
class TickSummary:
    """What one tick did, for a progress line."""

    at: datetime
    arrived: int = 0
    answered: int = 0
    completed: int = 0
    abandoned: int = 0
    conflicts: int = 0
    logged_in: int = 0
    waiting: int = 0
    recovered: int = 0

    def __str__(self) -> str:
        return (
            f"{self.at:%H:%M:%S} +{self.arrived} arrived, {self.answered} answered, "
            f"{self.completed} completed, {self.abandoned} abandoned; "
            f"{self.waiting} waiting, {self.logged_in} simulated agents logged in"
        )


@dataclass
class _Counts:
    arrived: int = 0
    answered: int = 0
    completed: int = 0
    abandoned: int = 0
    conflicts: int = 0
    recovered: int = 0


@dataclass
class _Agent:
    """A driven agent for the length of one tick."""

    staff: Staff
    status: AgentStatus | None
    actor: Actor = field(init=False)

    def __post_init__(self) -> None:
        self.actor = Actor.of(self.staff)

    @property
    def state(self) -> str:
        return self.status.state if self.status else AgentStateKind.OFFLINE


class Simulator:
    """Drives arrivals and simulated agents, one short write transaction per :meth:`tick`."""

    def __init__(
        self,
        db: Database,
        *,
        seed: int | None = None,
        speed: float = 1.0,
        skip_logins: set[str] | frozenset[str] = frozenset(),
    ) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.db = db
        self.rng = random.Random(seed)
        self.speed = speed
        self.skip_logins = frozenset(skip_logins)
        self._ready = False
        self._last: datetime | None = None
        self._next_arrival: datetime | None = None
        self._patience: dict[int, datetime] = {}  # waiting call -> when the caller hangs up
        self._talk_end: dict[int, datetime] = {}
        self._wrap_end: dict[int, datetime] = {}
        self._reason: dict[int, str] = {}
        self._pause_until: dict[int, datetime] = {}

    # --- the tick ----------------------------------------------------------------

    def tick(self, now: datetime) -> TickSummary:
        """One step at ``now``: arrivals, hang-ups, ends of calls, log-ins, answers."""
        counts = _Counts()
        with self.db.write() as session:
            if not self._ready:
                self._load(session)
                counts.recovered = self._recover(session, now)
            agents = self._driven(session, now)
            counts.arrived = self._arrivals(session, now)
            counts.abandoned, holding = self._hang_ups(session, now)
            counts.completed = self._finish_calls(session, now, agents)
            self._staff(session, now, agents)
            if holding:
                counts.answered, counts.conflicts = self._answer(session, now, agents, holding)
            for agent in agents:
                if agent.status is not None and agent.state != AgentStateKind.OFFLINE:
                    agent.status.heartbeat_at = now
            waiting = session.execute(
                select(func.count()).select_from(Call).where(is_waiting())
            ).scalar_one()
            logged_in = sum(a.state != AgentStateKind.OFFLINE for a in agents)
        self._last = now
        return TickSummary(
            at=now,
            arrived=counts.arrived,
            answered=counts.answered,
            completed=counts.completed,
            abandoned=counts.abandoned,
            conflicts=counts.conflicts,
            logged_in=logged_in,
            waiting=waiting,
            recovered=counts.recovered,
        )

    def close(self, now: datetime) -> None:
        """Hand the floor back: simulated calls end now and simulated agents log out."""
        with self.db.write() as session:
            if not self._ready:
                return
            for agent in self._driven(session, now):
                if agent.state in queue.BUSY_STATES:
                    self._complete(session, agent, now)
                if agent.state != AgentStateKind.OFFLINE:
                    queue.log_out(session, agent.actor, now)

    # --- what the store holds --------------------------------------------------------

    def _load(self, session: Session) -> None:
        settings = load_settings(session)
        self.tz = zone(settings.timezone)
        rows = session.execute(select(Queue.id, Queue.name).order_by(Queue.id)).all()
        self.queue_ids = {name: qid for qid, name in rows}
        self.queue_names = {qid: name for qid, name in rows}
        self.reason_codes = list(
            session.execute(select(ContactReason.code).order_by(ContactReason.id)).scalars()
        )
        self.queue_reasons: dict[int, Picker] = {
            qid: reasons_for_queue(name) for qid, name in self.queue_names.items()
        }
        self.customers = list(session.execute(select(Customer.id).order_by(Customer.id)).scalars())
        self.cumulative = list(
            accumulate(math.exp(self.rng.gauss(0.0, 0.8)) for _ in self.customers)
        )
        self._ready = True

    def _driven(self, session: Session, now: datetime) -> list[_Agent]:
        """Active agents the simulator may move: not skipped, not logged in elsewhere."""
        today = now.astimezone(self.tz).date()
        rows = session.execute(
            select(Staff, AgentStatus)
            .outerjoin(AgentStatus, AgentStatus.staff_id == Staff.id)
            .where(
                Staff.role == Role.AGENT,
                or_(Staff.left_on.is_(None), Staff.left_on > today),  # type: ignore[union-attr]
                Staff.hired_on <= today,
            )
            .order_by(Staff.id)
        ).all()
        return [
            _Agent(staff, status)
            for staff, status in rows
            if staff.login not in self.skip_logins
            and (status is None or status.client is None or status.client.startswith(SIM_CLIENT))
        ]

    def _active_agents(self, session: Session, now: datetime) -> int:
        today = now.astimezone(self.tz).date()
        return session.execute(
            select(func.count())
            .select_from(Staff)
            .where(
                Staff.role == Role.AGENT,
                or_(Staff.left_on.is_(None), Staff.left_on > today),  # type: ignore[union-attr]
            )
        ).scalar_one()

    # --- recovery ------------------------------------------------------------------

    def _recover(self, session: Session, now: datetime) -> int:
        """Close what was left long ago (as it would have ended); plan the rest anew."""
        stale_s = to_epoch(now - STALE_AFTER)
        recovered = 0
        driven = {a.staff.id: a for a in self._driven(session, now)}
        old_waiting = session.execute(
            select(Call).where(is_waiting(), Call.entered_at < stale_s)
        ).scalars()
        for call in old_waiting:
            patience = sample_patience(self.rng)
            call.state, call.end_reason = CallState.ABANDONED, "abandoned"
            call.wait_seconds = patience
            call.ended_at = call.entered_at + timedelta(seconds=patience)
            recovered += 1
        for agent in driven.values():
            status = agent.status
            if status is None or status.state == AgentStateKind.OFFLINE:
                continue
            call = session.get(Call, status.call_id) if status.call_id else None
            if call is not None and call.answered_at and to_epoch(call.answered_at) < stale_s:
                self._finish_as_it_was(session, call, status)
                recovered += 1
            last_seen = status.heartbeat_at or status.since
            if status.state != AgentStateKind.OFFLINE and to_epoch(last_seen) < stale_s:
                self._log_out_as_it_was(session, status, last_seen)
                recovered += 1
        if recovered:
            audit.record(
                session,
                None,
                "simulation.recover",
                "call",
                None,
                at=now,
                after={"closed": recovered},
            )
        return recovered

    def _finish_as_it_was(self, session: Session, call: Call, status: AgentStatus) -> None:
        """A call left talking long ago: complete it with a plausible length."""
        reason = self._reason_for(call)
        assert call.answered_at is not None
        if call.talk_ended_at is None:
            call.talk_seconds = sample_talk(self.rng, reason)
            call.talk_ended_at = call.answered_at + timedelta(seconds=call.talk_seconds)
        call.wrap_seconds = sample_wrap(self.rng)
        call.ended_at = call.talk_ended_at + timedelta(seconds=call.wrap_seconds)
        call.state, call.end_reason = CallState.COMPLETED, "completed"
        call.reason_id = self._reason_id(session, reason)
        call.outcome = self._outcome(reason)
        status.state, status.since, status.call_id = AgentStateKind.AVAILABLE, call.ended_at, None
        status.heartbeat_at = call.ended_at

    @staticmethod
    def _log_out_as_it_was(session: Session, status: AgentStatus, last_seen: datetime) -> None:
        """An agent logged in long ago and never heard of again: their session ended then."""
        queue.close_presence(session, status.staff_id, last_seen)
        status.state, status.since, status.reason = AgentStateKind.OFFLINE, last_seen, None
        status.client, status.call_id = None, None

    # --- callers -------------------------------------------------------------------

    def _arrivals(self, session: Session, now: datetime) -> int:
        """New callers since the last tick, each entered at its own second."""
        self._agents_total = self._active_agents(session, now)
        if self._next_arrival is None or self._next_arrival < now - timedelta(minutes=1):
            self._next_arrival = self._after(now - timedelta(seconds=1))
        arrived = 0
        while self._next_arrival <= now and arrived < MAX_ARRIVALS_PER_TICK:
            if self.queue_ids:
                self._enqueue(session, self._next_arrival)
                arrived += 1
            self._next_arrival = self._after(self._next_arrival)
        return arrived

    def _after(self, moment: datetime) -> datetime:
        """The next arrival after ``moment`` (skipping closed hours)."""
        for _ in range(24 * 8):
            rate = self._rate(moment)
            hour_end = moment.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
            if rate > 0:
                candidate = moment + timedelta(seconds=self.rng.expovariate(rate))
                if candidate < hour_end:
                    return candidate.replace(microsecond=0) + timedelta(seconds=1)
            moment = hour_end  # memoryless: start again at the next hour's rate
        return moment + timedelta(days=1)

    def _rate(self, moment: datetime) -> float:
        """Expected arrivals per second at ``moment``, sped up."""
        local = moment.astimezone(self.tz)
        per_hour = calls_per_hour(self._agents_total, local.weekday(), local.hour)
        return per_hour * self.speed / 3600

    def _enqueue(self, session: Session, at: datetime) -> None:
        rng = self.rng
        reason = REASON_PICKER.pick(rng)
        queue_id = self.queue_ids.get(QUEUE_PICKERS[reason].pick(rng))
        if queue_id is None:
            queue_id = rng.choice(list(self.queue_ids.values()))
        customer_id = None
        number = None
        if self.customers and rng.random() >= ANONYMOUS_SHARE:
            pick = bisect(self.cumulative, rng.random() * self.cumulative[-1])
            customer_id = self.customers[pick]
        else:
            number = f"+31 6 {rng.randint(10000000, 99999999)}"
        call = queue.enqueue_call(
            session,
            queue_id=queue_id,
            now=at,
            customer_id=customer_id,
            caller_number=number,
            source="sim",
        )
        assert call.id is not None
        self._reason[call.id] = reason
        self._patience[call.id] = at + self._scaled(sample_patience(rng))

    def _hang_ups(self, session: Session, now: datetime) -> tuple[int, int]:
        """Callers whose patience ran out hang up; returns (hung up, still holding).

        A waiting call we have not seen before (a person's, or an earlier run's)
        first gets a patience of its own.
        """
        waiting = session.execute(select(Call.id, Call.entered_at).where(is_waiting())).all()
        still = {call_id for call_id, _ in waiting}
        for call_id in [c for c in self._patience if c not in still]:
            del self._patience[call_id]  # answered by someone, or hung up elsewhere
        abandoned = 0
        for call_id, entered in waiting:
            deadline = self._patience.get(call_id)
            if deadline is None:  # a caller we have not seen yet (a person or an older run)
                deadline = entered + self._scaled(sample_patience(self.rng))
                if deadline < now:
                    deadline = now + self._scaled(self.rng.uniform(0, 120))
                self._patience[call_id] = deadline
            if deadline <= now and queue.abandon_call(session, call_id, now):
                del self._patience[call_id]
                abandoned += 1
        return abandoned, len(waiting) - abandoned

    # --- agents --------------------------------------------------------------------

    def _finish_calls(self, session: Session, now: datetime, agents: list[_Agent]) -> int:
        """Talks that are over go to wrap-up; wrap-ups that are over complete."""
        completed = 0
        for agent in agents:
            status = agent.status
            if status is None or status.state not in queue.BUSY_STATES or status.call_id is None:
                continue
            call_id = status.call_id
            if status.state == AgentStateKind.ON_CALL:
                if call_id not in self._talk_end:  # a talk we did not start
                    self._talk_end[call_id] = self._plan_talk(session, call_id, now)
                if self._talk_end[call_id] > now:
                    continue
                try:
                    with session.begin_nested():
                        queue.end_talk(session, agent.actor, now)
                except Conflict:
                    self._forget(call_id)
                    continue
                self._wrap_end[call_id] = now + self._scaled(
                    sample_wrap(self.rng, self._pace(agent))
                )
            if call_id not in self._wrap_end:  # a wrap-up we did not start
                self._wrap_end[call_id] = now + self._scaled(self.rng.uniform(5, 60))
            if self._wrap_end[call_id] <= now and self._complete(session, agent, now):
                completed += 1
        return completed

    def _plan_talk(self, session: Session, call_id: int, now: datetime) -> datetime:
        """A talk we did not start (recovered): it lasts its sampled length, or a bit more."""
        call = session.get(Call, call_id)
        answered = call.answered_at if call and call.answered_at else now
        ends = answered + self._scaled(sample_talk(self.rng, self._reason_for(call)))
        return max(ends, now + self._scaled(self.rng.uniform(5, 60)))

    def _complete(self, session: Session, agent: _Agent, now: datetime) -> bool:
        status = agent.status
        assert status is not None and status.call_id is not None
        call_id = status.call_id
        reason = self._reason_for(session.get(Call, call_id))
        code = reason if reason in self.reason_codes else (self.reason_codes or ["other"])[0]
        try:
            with session.begin_nested():
                queue.complete_call(
                    session, agent.actor, now, queue.Completion(code, outcome=self._outcome(reason))
                )
        except Conflict:
            return False
        finally:
            self._forget(call_id)
        return True

    def _staff(self, session: Session, now: datetime, agents: list[_Agent]) -> None:
        """Log in enough simulated agents for the hour, send some on a break, log out the rest."""
        local = now.astimezone(self.tz)
        per_hour = calls_per_hour(self._agents_total, local.weekday(), local.hour)
        wanted = math.ceil(agents_needed(per_hour) / (1 - SHRINKAGE)) if per_hour else 0
        wanted = min(wanted, len(agents))
        logged = [a for a in agents if a.state != AgentStateKind.OFFLINE]
        offline = [a for a in agents if a.state == AgentStateKind.OFFLINE]
        self.rng.shuffle(offline)
        for agent in offline[: max(0, wanted - len(logged))]:
            queue.log_in(session, agent.actor, now, client=SIM_CLIENT)
            agent.status = session.get(AgentStatus, agent.staff.id)
        spare = len(logged) - wanted
        elapsed = (now - self._last).total_seconds() if self._last else 0.0
        break_chance = min(1.0, max(0.0, elapsed) * self.speed / BREAK_EVERY_S)
        for agent in logged:
            state, staff_id = agent.state, agent.staff.id
            if state == AgentStateKind.PAUSED:
                if staff_id not in self._pause_until:  # a pause we did not start
                    self._pause_until[staff_id] = now + self._scaled(self.rng.uniform(0, BREAK_S))
                if self._pause_until[staff_id] <= now:
                    self._pause_until.pop(staff_id, None)
                    queue.resume(session, agent.actor, now)
            if agent.state not in (AgentStateKind.AVAILABLE, AgentStateKind.PAUSED):
                continue
            if spare > 0:
                queue.log_out(session, agent.actor, now)
                self._pause_until.pop(staff_id, None)
                spare -= 1
            elif agent.state == AgentStateKind.AVAILABLE and self.rng.random() < break_chance:
                queue.pause(session, agent.actor, "break", now)
                self._pause_until[staff_id] = now + self._scaled(BREAK_S)

    def _answer(
        self, session: Session, now: datetime, agents: list[_Agent], holding: int
    ) -> tuple[int, int]:
        """Available simulated agents take the next waiting call (the real claim)."""
        answered = conflicts = 0
        free = [a for a in agents if a.state == AgentStateKind.AVAILABLE]
        self.rng.shuffle(free)
        for agent in free[:holding]:
            try:
                with session.begin_nested():
                    call = queue.take_call(session, agent.actor, now)
            except Conflict:
                conflicts += 1
                continue
            if call is None:
                break
            assert call.id is not None
            answered += 1
            self._patience.pop(call.id, None)
            reason = self._reason_for(call)
            talk = sample_talk(self.rng, reason, self._pace(agent))
            self._talk_end[call.id] = now + self._scaled(talk)
        return answered, conflicts

    # --- small helpers -------------------------------------------------------------

    def _scaled(self, seconds: float) -> timedelta:
        return timedelta(seconds=seconds / self.speed)

    def _pace(self, agent: _Agent) -> float:
        """Some agents talk longer than others; a stable factor per person."""
        return 0.85 + (agent.staff.id * 37 % 30) / 100

    def _reason_for(self, call: Call | None) -> str:
        if call is None or call.id is None:
            return REASON_PICKER.pick(self.rng)
        if call.id not in self._reason:
            picker = self.queue_reasons.get(call.queue_id, REASON_PICKER)
            self._reason[call.id] = picker.pick(self.rng)
        return self._reason[call.id]

    def _reason_id(self, session: Session, code: str) -> int | None:
        return session.execute(
            select(ContactReason.id).where(ContactReason.code == code)
        ).scalar_one_or_none()

    def _outcome(self, reason: str) -> str:
        resolved = self.rng.random() < RESOLVE_RATE.get(reason, 0.8)
        return str(CallOutcome.RESOLVED if resolved else CallOutcome.UNRESOLVED)

    def _forget(self, call_id: int) -> None:
        for plans in (self._talk_end, self._wrap_end, self._reason, self._patience):
            plans.pop(call_id, None)  # type: ignore[attr-defined]


def run_simulation(
    db: Database,
    clock: Clock,
    *,
    speed: float = 1.0,
    duration_s: float | None = None,
    stop: threading.Event | None = None,
    tick_seconds: float = 1.0,
    on_tick: Callable[[TickSummary], None] | None = None,
    seed: int | None = None,
    skip_logins: set[str] | frozenset[str] = frozenset(),
    actor: Actor | None = None,
) -> None:
    """Tick until ``stop`` is set or ``duration_s`` (wall seconds) has passed.

    ``actor``: the person who asked for it, checked against the role table (None: a
    demo center feeding itself).

    Sleeps with ``stop.wait`` between ticks, so another thread stops it at once;
    no transaction is open while it sleeps. On the way out simulated calls end
    and simulated agents log out.
    """
    if actor is not None:
        with db.read():  # checked inside a session, so a refusal is audited
            require(actor, Action.RUN_SIMULATION)
    stop = stop or threading.Event()
    simulator = Simulator(db, seed=seed, speed=speed, skip_logins=skip_logins)
    started = time.monotonic()
    try:
        while not stop.is_set():
            summary = simulator.tick(clock.now())
            if on_tick is not None:
                on_tick(summary)
            pause = tick_seconds
            if duration_s is not None:
                left = duration_s - (time.monotonic() - started)
                if left <= 0:
                    break
                pause = min(pause, left)
            if stop.wait(pause):
                break
    finally:
        simulator.close(clock.now())

"""Live traffic for a demo: callers ring, simulated agents answer, talk and hang up.

One :meth:`Simulator.tick` is one short write transaction: left-overs are
closed on the first tick (:mod:`.leftovers`), then callers arrive and hang up
(:mod:`.sim_callers`), and simulated agents finish calls, log in or out, pause
and answer (:mod:`.sim_agents`). Plans live in memory; started on a store where
calls already wait or are in progress, the simulator makes new plans for them.

A real center is quiet at night. A demo must not be: :func:`run_simulation`
first wakes a demo center (:mod:`.wake`) and keeps a night line open, so that
at any hour callers ring and agents work.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from svcdesk_tui.core.clock import Clock
from svcdesk_tui.core.db import Database
from svcdesk_tui.demo.leftovers import close_leftovers
from svcdesk_tui.demo.sim_agents import (
    DrivenAgent,
    Floor,
    active_agents,
    agents_wanted,
    driven_agents,
)
from svcdesk_tui.demo.sim_callers import Callers
from svcdesk_tui.demo.sim_center import SIM_CLIENT, SimCenter
from svcdesk_tui.models import Call, is_waiting
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, require
from svcdesk_tui.queue import live as queue

__all__ = ["SIM_CLIENT", "Simulator", "TickSummary", "run_simulation"]


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


class Simulator:
    """Drives arrivals and simulated agents, one short write transaction per :meth:`tick`.

    ``night_line``: keep taking calls outside opening hours (a demo at any hour).
    """

    def __init__(
        self,
        db: Database,
        *,
        seed: int | None = None,
        speed: float = 1.0,
        skip_logins: set[str] | frozenset[str] = frozenset(),
        night_line: bool = False,
    ) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.db = db
        self.rng = random.Random(seed)
        self.speed = speed
        self.skip_logins = frozenset(skip_logins)
        self.night_line = night_line
        self._parts: tuple[SimCenter, Callers, Floor] | None = None
        self._last: datetime | None = None

    def tick(self, *, now: datetime) -> TickSummary:
        """One step at ``now``: arrivals, hang-ups, ends of calls, log-ins, answers."""
        recovered = answered = conflicts = 0
        with self.db.write() as session:
            if self._parts is None:
                center = SimCenter(session, self.rng, self.speed, night_line=self.night_line)
                self._parts = center, Callers(center), Floor(center)
                recovered = close_leftovers(
                    session, center, self._driven(session, now=now), now=now
                )
            center, callers, floor = self._parts
            agents = self._driven(session, now=now)
            total = active_agents(session, now.astimezone(center.tz).date())
            arrived = callers.arrivals(session, total, now=now)
            abandoned, holding = callers.hang_ups(session, now=now)
            completed = floor.finish_calls(session, agents, now=now)
            elapsed = (now - self._last).total_seconds() if self._last else 0.0
            floor.staff(session, agents, agents_wanted(center, total, now=now), elapsed, now=now)
            if holding:
                answered, conflicts = floor.answer(session, agents, holding, now=now)
            for agent in agents:
                if agent.status is not None and agent.logged_in:
                    agent.status.heartbeat_at = now
            waiting = session.exec(select(func.count()).select_from(Call).where(is_waiting())).one()
        self._last = now
        return TickSummary(
            at=now,
            arrived=arrived,
            answered=answered,
            completed=completed,
            abandoned=abandoned,
            conflicts=conflicts,
            logged_in=sum(a.logged_in for a in agents),
            waiting=waiting,
            recovered=recovered,
        )

    def close(self, *, now: datetime) -> None:
        """Hand the floor back: simulated calls end now and simulated agents log out."""
        if self._parts is None:
            return
        floor = self._parts[2]
        with self.db.write() as session:
            for agent in self._driven(session, now=now):
                if agent.state in queue.BUSY_STATES:
                    floor.complete(session, agent, now=now)
                if agent.logged_in:
                    queue.log_out(session, agent.actor, now=now)

    def _driven(self, session: Session, *, now: datetime) -> list[DrivenAgent]:
        assert self._parts is not None
        return driven_agents(session, now.astimezone(self._parts[0].tz).date(), self.skip_logins)


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
    demo center feeding itself). A demo center is woken first and never closes.

    Sleeps with ``stop.wait`` between ticks, so another thread stops it at once;
    no transaction is open while it sleeps. On the way out simulated calls end
    and simulated agents log out.
    """
    if actor is not None:
        with db.read():  # checked inside a session, so a refusal is audited
            require(actor, Action.RUN_SIMULATION)
    if db.demo:
        from svcdesk_tui.demo.wake import wake

        wake(db, now=clock.now(), skip_logins=frozenset(skip_logins))
    stop = stop or threading.Event()
    simulator = Simulator(db, seed=seed, speed=speed, skip_logins=skip_logins, night_line=db.demo)
    started = time.monotonic()
    try:
        while not stop.is_set():
            summary = simulator.tick(now=clock.now())
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
        simulator.close(now=clock.now())

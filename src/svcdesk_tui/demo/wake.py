"""Waking a demo center: whenever it is opened, callers are on hold and agents at work.

A demo is generated up to its own "now" and opened later: minutes later, or a
week later at five in the morning. :func:`wake` runs when a desk opens a demo
and when the simulator starts on one. It first closes what was left over long
ago (:mod:`.leftovers`: no caller holds for days). Then, if no simulated agent
is logged in, it writes a live moment around "now" through the moves people
use: a few agents who logged in a while ago and are busy on calls they
answered minutes ago, and callers on hold for less than a caller's patience.
Everything lands in the store as it happened, so every figure on the screens
and in the reports is the store's own; the simulator (which keeps a night line
open on a demo) carries the day on from there.

Why not a demo clock that maps real time onto the center's open day? Every
process on the store (desks over SSH, cron's report, the CLI's moves) would
have to share that clock, and one that did not would write the real time into
a store that lives at another. Waking keeps one time, the real one, for all.
The generator is untouched: the same arguments still give the same file.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from svcdesk_tui.core import audit
from svcdesk_tui.core.clock import to_epoch
from svcdesk_tui.core.db import Database
from svcdesk_tui.core.errors import SvcdeskError
from svcdesk_tui.demo.leftovers import close_leftovers
from svcdesk_tui.demo.sim_agents import DrivenAgent, active_agents, agents_wanted, driven_agents
from svcdesk_tui.demo.sim_callers import Callers
from svcdesk_tui.demo.sim_center import SimCenter, pace
from svcdesk_tui.demo.traffic import REASON_PICKER, sample_talk
from svcdesk_tui.models import AgentStatus
from svcdesk_tui.queue import live as queue

AGENTS_AT_WORK = (3, 8)
"""Fewest and most agents a waking puts on calls (within the hour's staffing)."""
CALLERS_ON_HOLD = (3, 6)
HELD_AT_MOST_S = 240
"""The callers on hold at waking rang within the last four minutes."""
TALKED_AT_MOST_S = 15 * 60


@dataclass(frozen=True)
class WakeSummary:
    """What waking did: left-overs closed, agents put to work, callers put on hold."""

    closed: int = 0
    agents: int = 0
    waiting: int = 0

    @property
    def woke(self) -> bool:
        return self.agents > 0


def wake(
    db: Database,
    *,
    now: datetime,
    skip_logins: frozenset[str] = frozenset(),
    seed: int | str | None = None,
) -> WakeSummary:
    """Close what a demo left long ago and, if nobody simulated is at work, start a moment.

    ``skip_logins`` are never put to work (the person at the desk). The moment is
    the same for the same ``now`` unless ``seed`` says otherwise. A demo that is
    alive (a simulated agent logged in) is left as it is.
    """
    rng = random.Random(f"svcdesk-wake:{to_epoch(now) if seed is None else seed}")
    with db.write() as session:
        center = SimCenter(session, rng, 1.0, night_line=True)
        today = now.astimezone(center.tz).date()
        agents = driven_agents(session, today, skip_logins)
        closed = close_leftovers(session, center, agents, now=now)
        if any(agent.logged_in for agent in agents) or not center.queue_ids:
            return WakeSummary(closed=closed)
        wanted = agents_wanted(center, active_agents(session, today), now=now)
        count = min(len(agents), max(AGENTS_AT_WORK[0], min(AGENTS_AT_WORK[1], wanted)))
        rng.shuffle(agents)
        callers = Callers(center)
        for n, agent in enumerate(agents[:count]):
            _at_work(session, center, callers, agent, now=now, wrapping=n == 3)
        on_hold = rng.randint(*CALLERS_ON_HOLD)
        for entered in sorted(rng.randint(5, HELD_AT_MOST_S) for _ in range(on_hold)):
            callers.enqueue(session, now - timedelta(seconds=entered))
        summary = WakeSummary(closed=closed, agents=count, waiting=on_hold)
        audit.record(
            session,
            None,
            "demo.wake",
            "center",
            None,
            at=now,
            after={"closed": closed, "agents": count, "waiting": on_hold},
        )
    return summary


def wake_on_opening(db: Database, login: str, *, now: datetime) -> str | None:
    """Wake a demo as a desk opens on it for ``login``; a store that refuses says why instead."""
    try:
        wake(db, now=now, skip_logins=frozenset({login}))
    except SvcdeskError as error:
        return f"The demo was not woken: {error.message}"
    return None


def _at_work(
    session: Session,
    center: SimCenter,
    callers: Callers,
    agent: DrivenAgent,
    *,
    now: datetime,
    wrapping: bool,
) -> None:
    """One agent: logged in a while ago, on a call answered minutes ago (or wrapping it up).

    No desk beats for them (no heartbeat, like an agent the PBX reports), so an
    open desk does not log them out; the simulator drives them when it runs.
    """
    rng = center.rng
    reason = REASON_PICKER.pick(rng)
    talk = sample_talk(rng, reason, pace(agent.id))
    if wrapping:
        talked = min(talk, TALKED_AT_MOST_S)
        answered = now - timedelta(seconds=talked + rng.randint(5, 40))
    else:
        answered = now - timedelta(seconds=min(int(talk * rng.uniform(0.1, 0.9)), TALKED_AT_MOST_S))
    entered = answered - timedelta(seconds=rng.randint(3, 40))
    queue.log_in(session, agent.actor, now=entered - timedelta(seconds=rng.randint(60, 1200)))
    call = callers.enqueue(session, entered, reason)
    queue.take_call(session, agent.actor, call.id, now=answered)
    if wrapping:
        queue.end_talk(session, agent.actor, now=answered + timedelta(seconds=talked))
    status = session.get(AgentStatus, agent.id)
    assert status is not None
    status.heartbeat_at = None
    agent.status = status

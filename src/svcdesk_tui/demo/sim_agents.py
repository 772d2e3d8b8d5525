"""The simulated agents: who may be driven, and how they log in, talk, wrap up and pause.

An agent is driven only while nobody else is logged in as them: their status
has no client, or a client that starts with ``sim``. They use the same moves
as people (``take_call``, ``end_talk``, ``complete_call``, ``pause``), so a human
agent and the simulator never hold the same call.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import ColumnElement, func, or_
from sqlmodel import Session, col, select

from svcdesk_tui.core.errors import Conflict
from svcdesk_tui.demo.sim_center import SIM_CLIENT, SimCenter, pace
from svcdesk_tui.demo.traffic import calls_per_hour, sample_talk, sample_wrap
from svcdesk_tui.models import AgentStateKind, AgentStatus, Call, Role, Staff
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.queue import live as queue
from svcdesk_tui.queue.erlang import agents_needed

SHRINKAGE = 0.13
BREAK_EVERY_S = 2.5 * 3600
BREAK_S = 900


@dataclass
class DrivenAgent:
    """An agent the simulator moves, for the length of one tick."""

    staff: Staff
    status: AgentStatus | None
    actor: Actor = field(init=False)

    def __post_init__(self) -> None:
        self.actor = Actor.of(self.staff)

    @property
    def id(self) -> int:
        return self.actor.id

    @property
    def state(self) -> str:
        return self.status.state if self.status else AgentStateKind.OFFLINE

    @property
    def logged_in(self) -> bool:
        return self.state != AgentStateKind.OFFLINE


def _employed(today: date) -> tuple[ColumnElement[bool], ...]:
    """Agents not gone by ``today`` (SQL)."""
    return (
        col(Staff.role) == Role.AGENT,
        or_(col(Staff.left_on).is_(None), col(Staff.left_on) > today),
    )


def driven_agents(
    session: Session, today: date, skip_logins: frozenset[str] = frozenset()
) -> list[DrivenAgent]:
    """Hired agents the simulator may move: not skipped, not logged in elsewhere."""
    rows = session.exec(
        select(Staff, AgentStatus)
        .outerjoin(AgentStatus, col(AgentStatus.staff_id) == col(Staff.id))
        .where(*_employed(today), col(Staff.hired_on) <= today)
        .order_by(col(Staff.id))
    ).all()
    return [
        DrivenAgent(staff, status)
        for staff, status in rows
        if staff.login not in skip_logins
        and (status is None or status.client is None or status.client.startswith(SIM_CLIENT))
    ]


def active_agents(session: Session, today: date) -> int:
    """The size of the center: agents not gone by ``today``."""
    return session.exec(select(func.count()).select_from(Staff).where(*_employed(today))).one()


def agents_wanted(center: SimCenter, agents_total: int, *, now: datetime) -> int:
    """Agents to have logged in for this hour's traffic (Erlang C, plus shrinkage)."""
    local = now.astimezone(center.tz)
    per_hour = calls_per_hour(
        agents_total, local.weekday(), local.hour, night_line=center.night_line
    )
    return math.ceil(agents_needed(per_hour) / (1 - SHRINKAGE)) if per_hour else 0


class Floor:
    """The simulated agents' side of a tick: ends of talks, staffing, answers."""

    def __init__(self, center: SimCenter) -> None:
        self.center = center
        self.plans = center.plans

    def finish_calls(self, session: Session, agents: list[DrivenAgent], *, now: datetime) -> int:
        """Talks that are over go to wrap-up; wrap-ups that are over complete."""
        center, plans = self.center, self.plans
        completed = 0
        for agent in agents:
            status = agent.status
            if status is None or status.state not in queue.BUSY_STATES or status.call_id is None:
                continue
            call_id = status.call_id
            if status.state == AgentStateKind.ON_CALL:
                if call_id not in plans.talk_end:  # a talk we did not start
                    plans.talk_end[call_id] = self._plan_talk(session, call_id, now=now)
                if plans.talk_end[call_id] > now:
                    continue
                try:
                    with session.begin_nested():
                        queue.end_talk(session, agent.actor, now=now)
                except Conflict:
                    plans.forget(call_id)
                    continue
                wrap = sample_wrap(center.rng, pace(agent.id))
                plans.wrap_end[call_id] = now + center.scaled(wrap)
            if call_id not in plans.wrap_end:  # a wrap-up we did not start
                plans.wrap_end[call_id] = now + center.scaled(center.rng.uniform(5, 60))
            if plans.wrap_end[call_id] <= now and self.complete(session, agent, now=now):
                completed += 1
        return completed

    def _plan_talk(self, session: Session, call_id: int, *, now: datetime) -> datetime:
        """A talk we did not start (recovered): it lasts its sampled length, or a bit more."""
        center = self.center
        call = session.get(Call, call_id)
        answered = call.answered_at if call and call.answered_at else now
        ends = answered + center.scaled(sample_talk(center.rng, center.reason_for(call)))
        return max(ends, now + center.scaled(center.rng.uniform(5, 60)))

    def complete(self, session: Session, agent: DrivenAgent, *, now: datetime) -> bool:
        """Complete the agent's call with its reason and an outcome; False on a conflict."""
        center = self.center
        status = agent.status
        assert status is not None and status.call_id is not None
        call_id = status.call_id
        reason = center.reason_for(session.get(Call, call_id))
        completion = queue.Completion(center.reason_code(reason), outcome=center.outcome(reason))
        try:
            with session.begin_nested():
                queue.complete_call(session, agent.actor, completion, now=now)
        except Conflict:
            return False
        finally:
            self.plans.forget(call_id)
        return True

    def staff(
        self,
        session: Session,
        agents: list[DrivenAgent],
        wanted: int,
        elapsed_s: float,
        *,
        now: datetime,
    ) -> None:
        """Log in ``wanted`` simulated agents, send some on a break, log out the rest."""
        center, plans = self.center, self.plans
        wanted = min(wanted, len(agents))
        logged = [a for a in agents if a.logged_in]
        offline = [a for a in agents if not a.logged_in]
        center.rng.shuffle(offline)
        for agent in offline[: max(0, wanted - len(logged))]:
            queue.log_in(session, agent.actor, now=now, client=SIM_CLIENT)
            agent.status = session.get(AgentStatus, agent.id)
        spare = len(logged) - wanted
        break_chance = min(1.0, max(0.0, elapsed_s) * center.speed / BREAK_EVERY_S)
        for agent in logged:
            if agent.state == AgentStateKind.PAUSED:
                if agent.id not in plans.pause_until:  # a pause we did not start
                    until = now + center.scaled(center.rng.uniform(0, BREAK_S))
                    plans.pause_until[agent.id] = until
                if plans.pause_until[agent.id] <= now:
                    plans.pause_until.pop(agent.id, None)
                    queue.resume(session, agent.actor, now=now)
            if agent.state not in (AgentStateKind.AVAILABLE, AgentStateKind.PAUSED):
                continue
            if spare > 0:
                queue.log_out(session, agent.actor, now=now)
                plans.pause_until.pop(agent.id, None)
                spare -= 1
            elif agent.state == AgentStateKind.AVAILABLE and center.rng.random() < break_chance:
                queue.pause(session, agent.actor, "break", now=now)
                plans.pause_until[agent.id] = now + center.scaled(BREAK_S)

    def answer(
        self, session: Session, agents: list[DrivenAgent], holding: int, *, now: datetime
    ) -> tuple[int, int]:
        """Available simulated agents take the next waiting call (the real claim)."""
        center, plans = self.center, self.plans
        answered = conflicts = 0
        free = [a for a in agents if a.state == AgentStateKind.AVAILABLE]
        center.rng.shuffle(free)
        for agent in free[:holding]:
            try:
                with session.begin_nested():
                    call = queue.take_call(session, agent.actor, now=now)
            except Conflict:
                conflicts += 1
                continue
            if call is None or call.id is None:
                break
            answered += 1
            plans.patience.pop(call.id, None)
            talk = sample_talk(center.rng, center.reason_for(call), pace(agent.id))
            plans.talk_end[call.id] = now + center.scaled(talk)
        return answered, conflicts

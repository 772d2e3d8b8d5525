"""The shift plan: how many agents each day needs, and who works which shift.

A planner sizes each day from the forecast (Erlang C on the hourly shape),
then fills the early and late shift week by week within each agent's contract
and planned absences. Sick days are not known when the plan is made: a sick
agent simply does not come, and nobody replaces them. That, plus the daily
noise of the traffic, is what makes some hours breach their target.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from svcdesk_tui.demo.people import People, Person
from svcdesk_tui.demo.traffic import CALLS_PER_AGENT_DAY, HOURLY_SHARE, WEEKDAY_FACTOR
from svcdesk_tui.demo.world import World
from svcdesk_tui.models import AbsenceKind
from svcdesk_tui.queue.erlang import agents_needed

SHIFTS = {"early": (7, 15), "late": (13, 21)}  # local hours
SHRINKAGE = 0.13  # share of a shift spent on breaks, lunch, coaching
PLANNED_AWAY = {AbsenceKind.VACATION, AbsenceKind.TRAINING, AbsenceKind.LEAVING}
PLAN_AHEAD_DAYS = 7


@dataclass
class Slot:
    """One agent's shift on one day, and the pauses they plan to take in it."""

    agent: Person
    start: int
    end: int
    pauses: list[tuple[int, int, str]] = field(default_factory=list)


def shift_needs(agents: int, weekday: int) -> tuple[int, int]:
    """Agents to plan on the early and the late shift of a weekday."""
    daily = CALLS_PER_AGENT_DAY * agents * WEEKDAY_FACTOR[weekday]
    need = {
        hour: math.ceil(agents_needed(daily * share) / (1 - SHRINKAGE))
        for hour, share in HOURLY_SHARE.items()
    }
    early_only = range(SHIFTS["early"][0], SHIFTS["late"][0])
    late_only = range(SHIFTS["early"][1], SHIFTS["late"][1])
    early = max(1, *(need[h] for h in early_only))
    late = max(1, *(need[h] for h in late_only))
    for hour in range(SHIFTS["late"][0], SHIFTS["early"][1]):
        late += max(0, need[hour] - early - late)
    return early, late


def plan_roster(world: World, people: People) -> dict[date, list[Slot]]:
    """Slots per local day, from the first simulated day to a week after today."""
    rng = world.rng("roster")
    last = world.today + timedelta(days=PLAN_AHEAD_DAYS)
    monday = world.first_day - timedelta(days=world.first_day.weekday())
    plan: dict[date, list[Slot]] = {}
    while monday <= last:
        week = [monday + timedelta(days=i) for i in range(7)]
        for day, slots in _plan_week(world, people, week, rng).items():
            if world.first_day <= day <= last:
                plan[day] = slots
        monday += timedelta(days=7)
    return plan


def _available(people: People, agent: Person, day: date) -> bool:
    return agent.employed_on(day) and people.away(agent.id, day) not in PLANNED_AWAY


def _plan_week(
    world: World, people: People, week: list[date], rng: random.Random
) -> dict[date, list[Slot]]:
    needs = [shift_needs(world.agents, day.weekday()) for day in week]
    free = {a.id: [_available(people, a, day) for day in week] for a in people.agents}
    supply = sum(min(a.contract_days, sum(free[a.id])) for a in people.agents)
    demand = sum(e + late for e, late in needs)
    if demand > supply:  # too few people: every day gets its share of the shortage
        scale = supply / demand
        needs = [(max(1, int(e * scale)), max(1, int(late * scale))) for e, late in needs]
    remaining = {a.id: a.contract_days for a in people.agents}
    plan: dict[date, list[Slot]] = {}
    for i, day in enumerate(week):
        early, late = needs[i]
        candidates = [a for a in people.agents if free[a.id][i] and remaining[a.id] > 0]
        ties = {a.id: rng.random() for a in candidates}
        # Those who still owe the most days relative to the days left go first.
        candidates.sort(key=lambda a: (-remaining[a.id] / sum(free[a.id][i:]), ties[a.id]))
        chosen = candidates[: early + late]
        if len(chosen) < early + late:  # not enough people: share the gap over both shifts
            early = round(len(chosen) * early / (early + late))
        chosen.sort(key=lambda a: (not a.prefers_early, ties[a.id]))
        slots = []
        for rank, agent in enumerate(chosen):
            remaining[agent.id] -= 1
            if people.away(agent.id, day) == AbsenceKind.SICK:
                continue  # planned, but called in sick: nobody fills the gap
            hours = SHIFTS["early"] if rank < early else SHIFTS["late"]
            start = world.local_epoch(day, hours[0])
            end = world.local_epoch(day, hours[1])
            slots.append(Slot(agent, start, end, _pauses(rng, start)))
        slots.sort(key=lambda s: (s.start, s.agent.id))
        plan[day] = slots
    return plan


def _pauses(rng: random.Random, start: int) -> list[tuple[int, int, str]]:
    """Two short breaks and lunch; now and then a coaching session or a training."""
    pauses = [  # staggered, so that not the whole shift is away at once
        (start + rng.randint(5400, 9900), 900, "break"),
        (start + rng.randint(12600, 18000), 1800, "lunch"),
        (start + rng.randint(20700, 24300), 900, "break"),
    ]
    if rng.random() < 0.08:
        pauses.append((start + rng.randint(3600, 25200), 1800, "coaching"))
    if rng.random() < 0.03:
        pauses.append((start + rng.randint(3600, 21600), 3600, "training"))
    pauses.sort()
    return pauses

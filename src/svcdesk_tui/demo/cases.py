"""Escalations, feedback and compensation that follow some of the calls."""

from __future__ import annotations

import math
import random
from typing import Any, NamedTuple

from svcdesk_tui.complaints.feedback import is_detractor
from svcdesk_tui.core.center_setup import DEFAULT_LADDER
from svcdesk_tui.core.settings import CenterSettings
from svcdesk_tui.demo import names
from svcdesk_tui.demo.people import LEAD_LIMIT_CENTS, People
from svcdesk_tui.demo.reference import CustomerBook
from svcdesk_tui.demo.seeds import CompensationSeed, EscalationSeed, FeedbackSeed
from svcdesk_tui.demo.store import BulkWriter
from svcdesk_tui.demo.world import World
from svcdesk_tui.escalations.ladder import CLIMB_KINDS
from svcdesk_tui.escalations.moves import EXECUTIVE_WARNING, EventKind
from svcdesk_tui.models import (
    Compensation,
    CompensationKind,
    CompensationState,
    Escalation,
    EscalationEvent,
    EscalationState,
    Feedback,
)

HOUR = 3600
DAY = 86400
AGENT_RANK, LEAD_RANK, MANAGER_RANK, EXECUTIVE_RANK = 1, 2, 3, 4
RESPONSE_MINUTES = {rank: minutes for rank, _code, _name, _role, minutes in DEFAULT_LADDER}
RUNG_NAMES = {rank: name for rank, _code, name, _role, _minutes in DEFAULT_LADDER}
CLIMB_CHANCE = {LEAD_RANK: 0.22, MANAGER_RANK: 0.03}  # reaching the executive is a failure
AUTO_CLIMB_SHARE = 0.25  # of the climbs: nobody accepted in time, the ladder moved it
RESOLVE_MEDIAN_HOURS = {LEAD_RANK: 3.0, MANAGER_RANK: 8.0, EXECUTIVE_RANK: 30.0}
OPEN_NOW = 3  # the newest escalations are still being worked on at ``end``
DEFAULT_SETTINGS = CenterSettings()


class Step(NamedTuple):
    """One event of an escalation's story, as ``services.escalation`` would write it."""

    at: int
    kind: str
    from_rank: int | None
    to_rank: int | None
    actor: int | None
    note: str | None


# --- escalations ---------------------------------------------------------------


def write_escalations(
    writer: BulkWriter,
    world: World,
    people: People,
    book: CustomerBook,
    seeds: list[EscalationSeed],
) -> dict[str, int]:
    """Escalations with their event history; returns counts (total, open, at the executive)."""
    rng = world.rng("escalations")
    end_s = world.end_s
    tops = [_top_rank(rng) for _ in seeds]
    _force_rare_endings(seeds, tops, end_s)
    rows: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    summary = {"escalations": len(seeds), "open": 0, "executive": 0}
    for i, seed in enumerate(seeds):
        story = _escalation_story(rng, seed, abs(tops[i]), people)
        if tops[i] < 0:  # forced open: nobody has resolved it yet
            story = [step for step in story if step.kind != EventKind.RESOLVED]
        story = [step for step in story if step.at <= end_s]
        row = _fold_escalation(i + 1, seed, story, book, rng)
        rows.append(row)
        summary["open"] += row["state"] != EscalationState.RESOLVED
        summary["executive"] += row["level_rank"] == EXECUTIVE_RANK
        first_id = len(events) + 1
        events.extend(
            {
                "id": first_id + n,
                "escalation_id": i + 1,
                "at": step.at,
                "actor_id": step.actor,
                "kind": step.kind,
                "from_rank": step.from_rank,
                "to_rank": step.to_rank,
                "note": step.note,
            }
            for n, step in enumerate(story)
        )
    writer.rows(Escalation, rows)
    writer.rows(EscalationEvent, events)
    return summary


def _top_rank(rng: random.Random) -> int:
    """The highest rung an escalation reaches: an agent's lands with the lead (2)."""
    rank = LEAD_RANK
    while rank < EXECUTIVE_RANK and rng.random() < CLIMB_CHANCE[rank]:
        rank += 1
    return rank


def _force_rare_endings(seeds: list[EscalationSeed], tops: list[int], end_s: int) -> None:
    """Every demo shows one escalation that reached the executive and a few still open.

    A negative top rank marks an escalation nobody has resolved yet.
    """
    if len(seeds) >= 20 and EXECUTIVE_RANK not in tops:
        old = next((i for i, s in enumerate(seeds) if s.raised < end_s - 7 * DAY), None)
        if old is not None:
            tops[old] = EXECUTIVE_RANK
    for i in range(len(seeds) - min(OPEN_NOW, len(seeds) // 5), len(seeds)):
        tops[i] = -tops[i]


def _escalation_story(
    rng: random.Random, seed: EscalationSeed, top: int, people: People
) -> list[Step]:
    """Raised by the agent to the lead, accepted, passed on (or climbed by itself), resolved.

    Acceptance comes within the rung's response time; a climb nobody prevented
    happens exactly when that time runs out, as ``climb_overdue`` would do it.
    """
    lead = seed.lead_id or people.leads[0].id
    person = {LEAD_RANK: lead, MANAGER_RANK: people.manager.id, EXECUTIVE_RANK: people.executive.id}
    rank, at = LEAD_RANK, seed.raised
    story = [Step(at, EventKind.RAISED, AGENT_RANK, rank, seed.agent_id, seed.reason)]
    while True:
        limit = RESPONSE_MINUTES[rank] * 60
        if rank < top and rng.random() < AUTO_CLIMB_SHARE:
            at += limit
            note = f"not accepted within {RESPONSE_MINUTES[rank]} min at {RUNG_NAMES[rank]}"
            story.append(
                Step(at, EventKind.AUTO_ESCALATED, rank, rank + 1, None, _flag(note, rank + 1))
            )
            rank += 1
            continue
        at += int(limit * rng.uniform(0.1, 0.9))
        story.append(Step(at, EventKind.ACCEPTED, rank, rank, person[rank], None))
        if rank < top:
            at += int(2 * HOUR * math.exp(rng.gauss(0.0, 0.7)))
            note = _flag(rng.choice(names.ESCALATION_JUSTIFICATIONS), rank + 1)
            story.append(Step(at, EventKind.ESCALATED, rank, rank + 1, person[rank], note))
            rank += 1
            continue
        resolve_at = at + int(RESOLVE_MEDIAN_HOURS[rank] * HOUR * math.exp(rng.gauss(0.0, 0.8)))
        if rng.random() < 0.3:
            back = at + (resolve_at - at) // 2
            story.append(
                Step(
                    back,
                    EventKind.CALLED_BACK,
                    rank,
                    rank,
                    person[rank],
                    "called the customer back",
                )
            )
        note, promise = rng.choice(names.RESOLUTION_NOTES), rng.choice(names.PROMISES)
        story.append(
            Step(
                resolve_at,
                EventKind.RESOLVED,
                rank,
                rank,
                person[rank],
                f"{note} — promised: {promise}",
            )
        )
        return story


def _flag(note: str, rank: int) -> str:
    return f"{note} [{EXECUTIVE_WARNING}]" if rank == EXECUTIVE_RANK else note


def _fold_escalation(
    escalation_id: int,
    seed: EscalationSeed,
    story: list[Step],
    book: CustomerBook,
    rng: random.Random,
) -> dict[str, object]:
    """The escalation row as the story so far leaves it."""
    top = max(step.to_rank or 0 for step in story)
    row: dict[str, object] = {
        "id": escalation_id,
        "customer_id": book.ids[seed.customer],
        "call_id": seed.call_id,
        "complaint_id": seed.complaint + 1 if seed.complaint >= 0 else None,
        "raised_by_id": seed.agent_id,
        "raised_at": seed.raised,
        "anger": min(5, rng.choice((3, 3, 4, 4, 5)) + (1 if top >= MANAGER_RANK else 0)),
        "reason": seed.reason,
        "resolved_by_id": None,
        "resolved_at": None,
        "resolution_note": None,
        "promise": None,
    }
    for step in story:
        if step.kind in CLIMB_KINDS:
            row.update(
                level_rank=step.to_rank,
                level_entered_at=step.at,
                state=EscalationState.RAISED,
                accepted_by_id=None,
                accepted_at=None,
            )
        elif step.kind == EventKind.ACCEPTED:
            row.update(
                state=EscalationState.ACCEPTED, accepted_by_id=step.actor, accepted_at=step.at
            )
        elif step.kind == EventKind.RESOLVED:
            note, _, promise = (step.note or "").partition(" — promised: ")
            row.update(
                state=EscalationState.RESOLVED,
                resolved_by_id=step.actor,
                resolved_at=step.at,
                resolution_note=note,
                promise=promise,
            )
    return row


# --- feedback --------------------------------------------------------------------

CSAT_WEIGHTS = {True: (2, 4, 10, 40, 44), False: (25, 25, 25, 17, 8)}
NPS_RANGE = {1: (0, 3), 2: (2, 5), 3: (5, 7), 4: (7, 9), 5: (8, 10)}


def write_feedback(
    writer: BulkWriter,
    world: World,
    people: People,
    book: CustomerBook,
    seeds: list[FeedbackSeed],
) -> dict[str, int]:
    """Survey answers; the manager personally calls back every detractor, most in time.

    A detractor is what ``services.feedback`` calls one (NPS 0–6, or a low CSAT).
    """
    rng = world.rng("feedback")
    end_s = world.end_s
    rows: list[dict[str, Any]] = []
    detractors = followed = 0
    for seed in seeds:
        received = seed.ended + int(rng.uniform(0.5, 48) * HOUR)
        if received > end_s:
            continue
        csat = rng.choices((1, 2, 3, 4, 5), CSAT_WEIGHTS[seed.resolved])[0]
        if seed.wait > 120 and rng.random() < 0.3:
            csat = max(1, csat - 1)
        nps: int | None = rng.randint(*NPS_RANGE[csat])
        roll = rng.random()
        score: int | None = csat
        if roll < 0.2:
            nps = None
        elif roll < 0.3:
            score = None
        comment = None
        if rng.random() < 0.3:
            comment = rng.choice(names.FEEDBACK_GOOD if csat >= 4 else names.FEEDBACK_BAD)
        row = {
            "id": len(rows) + 1,
            "customer_id": book.ids[seed.customer],
            "call_id": seed.call_id,
            "complaint_id": None,
            "received_at": received,
            "csat": score,
            "nps": nps,
            "comment": comment,
            "followup_owner_id": None,
            "followed_up_at": None,
            "followup_outcome": None,
        }
        if is_detractor(score, nps, DEFAULT_SETTINGS):
            detractors += 1
            row["followup_owner_id"] = people.manager.id
            in_time = rng.random() < 0.85  # most within 48 h, the rest days late
            delay = rng.uniform(2, 47) if in_time else rng.uniform(49, 240)
            done = received + int(delay * HOUR)
            if done <= end_s:
                followed += 1
                row["followed_up_at"] = done
                row["followup_outcome"] = rng.choice(names.FOLLOWUP_OUTCOMES)
        rows.append(row)
    writer.rows(Feedback, rows)
    return {"feedback": len(rows), "detractors": detractors, "followed_up": followed}


# --- compensation ----------------------------------------------------------------

KIND_WEIGHTS = {
    CompensationKind.CREDIT: 45,
    CompensationKind.REFUND: 25,
    CompensationKind.REPLACEMENT: 15,
    CompensationKind.FREE_DELIVERY: 15,
}


def _amount(rng: random.Random, kind: str) -> int:
    if kind == CompensationKind.FREE_DELIVERY:
        return 695
    if kind == CompensationKind.REPLACEMENT:
        return rng.randint(30, 150) * 100
    cents = int(2000 * math.exp(rng.gauss(0.0, 0.8)))
    return max(500, min(40000, cents // 50 * 50))


def write_compensations(
    writer: BulkWriter,
    world: World,
    people: People,
    book: CustomerBook,
    seeds: list[CompensationSeed],
    first_closed: dict[int, int],
) -> dict[str, int]:
    """Granted within the agent's limit; above it, waiting for a lead or the manager.

    As in ``services.compensation``: a grant is decided by the agent at once; a
    request is decided by someone else whose limit covers it, and always before
    its complaint is closed (``first_closed``: complaint index -> first close).
    """
    rng = world.rng("compensations")
    end_s = world.end_s
    rows: list[dict[str, Any]] = []
    states: dict[str, int] = {}
    kinds, weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    for seed in seeds:
        kind = rng.choices(kinds, weights)[0]
        amount = _amount(rng, kind)
        row = {
            "id": len(rows) + 1,
            "customer_id": book.ids[seed.customer],
            "complaint_id": seed.complaint + 1 if seed.complaint >= 0 else None,
            "call_id": seed.call_id,
            "kind": str(kind),
            "amount_cents": amount,
            "requested_by_id": seed.agent_id,
            "requested_at": seed.at,
            "state": CompensationState.GRANTED,
            "decided_by_id": seed.agent_id,
            "decided_at": seed.at,
            "note": f"{seed.reason.replace('_', ' ')}: goodwill {kind.replace('_', ' ')}",
        }
        if amount > seed.agent_limit:
            decided = seed.at + int(20 * HOUR * math.exp(rng.gauss(0.0, 0.9)))
            if seed.complaint in first_closed:
                decided = max(seed.at + 300, min(decided, first_closed[seed.complaint] - 600))
            row.update(state=CompensationState.PENDING, decided_by_id=None, decided_at=None)
            if decided <= end_s:
                approve = rng.random() < 0.8
                lead = seed.lead_id or people.manager.id
                row.update(
                    decided_by_id=lead if amount <= LEAD_LIMIT_CENTS else people.manager.id,
                    decided_at=decided,
                    state=CompensationState.APPROVED if approve else CompensationState.REJECTED,
                    note=f"{row['note']}\n{'Approved' if approve else 'Rejected'}: "
                    f"{rng.choice(names.DECISION_NOTES[approve])}",
                )
        states[str(row["state"])] = states.get(str(row["state"]), 0) + 1
        rows.append(row)
    writer.rows(Compensation, rows)
    return states

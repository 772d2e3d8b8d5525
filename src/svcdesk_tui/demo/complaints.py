"""Complaints and their loop: resolved, confirmed by the customer, or not.

Each complaint gets a story (a list of dated events) told from the call that
opened it; only the part before ``end`` is written, so young complaints are
still open and old ones are closed, as they would be in a real center.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Any

from svcdesk_tui.demo import names
from svcdesk_tui.demo.people import People
from svcdesk_tui.demo.reference import CustomerBook
from svcdesk_tui.demo.seeds import ComplaintSeed
from svcdesk_tui.demo.store import BulkWriter
from svcdesk_tui.demo.world import World
from svcdesk_tui.models import (
    AttemptResult,
    Complaint,
    ComplaintClosure,
    ComplaintState,
    FollowUpAttempt,
)

HOUR = 3600
DAY = 86400
FOLLOWUP_DUE_HOURS = 48
MAX_FAILED_ATTEMPTS = 3

# Shown on purpose in every demo: the oldest complaints end like this ...
OLD_SCENARIOS = ("closed", "closed_unconfirmed", "reopened")
# ... and the youngest are still in these states.
YOUNG_SCENARIOS = ("open", "in_progress", "awaiting_confirmation")

Event = tuple[int, str, object]  # (at, what, detail)


@dataclass
class Story:
    """The folded state of one complaint at ``end``."""

    state: str = ComplaintState.OPEN
    resolved_at: int | None = None
    closed_at: int | None = None
    followup_due_at: int | None = None
    reopen_count: int = 0
    followed_up: bool = False  # ever resolved, so somebody owns the call-back
    attempts: list[tuple[int, str]] = field(default_factory=list)
    closures: list[list] = field(default_factory=list)  # [kind, at, void, voided_at, by lead]


def write_complaints(
    writer: BulkWriter, world: World, people: People, book: CustomerBook, seeds: list[ComplaintSeed]
) -> tuple[dict[str, int], dict[int, int]]:
    """Write complaints, follow-up attempts and closures.

    Returns the count per state and, per complaint index, when it was first
    closed (a compensation request must be decided before that).
    """
    rng = world.rng("complaints")
    end_s = world.end_s
    child_opened: dict[int, int] = {}
    for seed in seeds:
        if seed.parent >= 0:
            child_opened.setdefault(seed.parent, seed.opened)
    forced = _forced_scenarios(seeds, child_opened)
    complaints: list[dict[str, Any]] = []
    attempts: list[dict[str, Any]] = []
    closures: list[dict[str, Any]] = []
    per_state: dict[str, int] = {}
    first_closed: dict[int, int] = {}
    for i, seed in enumerate(seeds):
        owner = seed.lead_id if seed.lead_id and rng.random() < 0.6 else seed.agent_id
        deadline = child_opened.get(i)
        if i in forced:
            events = _scripted(forced[i], seed.opened, end_s)
        else:
            events = _random_story(rng, seed.opened, deadline)
        story = _fold(events, end_s)
        per_state[str(story.state)] = per_state.get(str(story.state), 0) + 1
        complaint_id = i + 1
        complaints.append(
            {
                "id": complaint_id,
                "customer_id": book.ids[seed.customer],
                "call_id": seed.call_id,
                "category": seed.category,
                "description": names.COMPLAINT_TEXTS[seed.category],
                "opened_by_id": seed.agent_id,
                "owner_id": owner,
                "state": story.state,
                "opened_at": seed.opened,
                "promised_by": seed.opened + int(book.fix_hours[seed.customer] * HOUR),
                "resolved_at": story.resolved_at,
                "closed_at": story.closed_at,
                "followup_owner_id": owner if story.followed_up else None,
                "followup_due_at": story.followup_due_at,
                "reopen_count": story.reopen_count,
                "repeat_of_id": seed.parent + 1 if seed.parent >= 0 else None,
            }
        )
        for at, result in story.attempts:
            attempts.append(
                {
                    "id": len(attempts) + 1,
                    "complaint_id": complaint_id,
                    "staff_id": owner,
                    "at": at,
                    "result": result,
                    "note": _attempt_note(result),
                }
            )
        lead = seed.lead_id or people.manager.id
        for kind, at, void, voided_at, by_lead in story.closures:
            first_closed.setdefault(i, at)
            closures.append(
                {
                    "id": len(closures) + 1,
                    "complaint_id": complaint_id,
                    "kind": kind,
                    "closed_at": at,
                    "closed_by_id": lead if by_lead else owner,
                    "void": void,
                    "voided_at": voided_at,
                }
            )
    writer.rows(Complaint, complaints)
    writer.rows(FollowUpAttempt, attempts)
    writer.rows(ComplaintClosure, closures)
    return per_state, first_closed


def _forced_scenarios(seeds: list[ComplaintSeed], child_opened: dict[int, int]) -> dict[int, str]:
    """The oldest complaints show every ending, the youngest every open state."""
    forced: dict[int, str] = {}
    if len(seeds) < len(OLD_SCENARIOS) + len(YOUNG_SCENARIOS):
        return forced
    by_age = sorted(range(len(seeds)), key=lambda i: (seeds[i].opened, i))
    free = [i for i in by_age if i not in child_opened and seeds[i].parent < 0]
    for i, scenario in zip(free, OLD_SCENARIOS, strict=False):
        forced[i] = scenario
    young = [i for i in reversed(free) if i not in forced]
    for i, scenario in zip(young, YOUNG_SCENARIOS, strict=False):
        forced[i] = scenario
    return forced


def _scripted(scenario: str, opened: int, end_s: int) -> list[Event]:
    """A story squeezed into the time between opening and ``end``."""
    span = max(60, end_s - opened)

    def at(share: float) -> int:
        return opened + int(span * share)

    if scenario == "open":
        return []
    if scenario == "in_progress":
        return [(at(0.5), "work", None)]
    if scenario == "awaiting_confirmation":
        return [(at(0.2), "work", None), (at(0.6), "resolve", None)]
    story: list[Event] = [(at(0.05), "work", None), (at(0.1), "resolve", None)]
    if scenario == "closed_unconfirmed":
        failed = [(at(share), "attempt", AttemptResult.NO_ANSWER) for share in (0.2, 0.3, 0.4)]
        return [*story, *failed, (at(0.45), "close_unconfirmed", None)]
    story.append((at(0.2), "attempt", AttemptResult.CONFIRMED))
    if scenario == "reopened":
        story += [
            (at(0.35), "reopen", None),
            (at(0.5), "resolve", None),
            (at(0.6), "attempt", AttemptResult.CONFIRMED),
        ]
    return story


def _random_story(rng: random.Random, opened: int, deadline: int | None) -> list[Event]:
    """Work, resolution, follow-up calls; a "not solved" or a late call-back reopens it.

    ``deadline`` (when the same customer comes back about the same thing) forces
    the complaint to be closed before then: that is what makes it a repeat.
    """
    if deadline is not None:
        resolve = opened + int((deadline - opened) * rng.uniform(0.1, 0.35))
        result = AttemptResult.CONFIRMED if rng.random() < 0.7 else AttemptResult.NO_ANSWER
        story: list[Event] = [(opened + HOUR, "work", None), (resolve, "resolve", None)]
        gap = max(60, (deadline - resolve) // 5)
        if result == AttemptResult.CONFIRMED:
            return [*story, (resolve + gap, "attempt", result)]
        unanswered = [
            (resolve + gap * (n + 1), "attempt", result) for n in range(MAX_FAILED_ATTEMPTS)
        ]
        return [*story, *unanswered, (resolve + gap * 4, "close_unconfirmed", None)]
    story = [(opened + int(rng.uniform(0.3, 8) * HOUR), "work", None)]
    at = story[0][0]
    for _cycle in range(3):
        at += int(40 * HOUR * math.exp(rng.gauss(0.0, 0.9)))
        story.append((at, "resolve", None))
        failed = 0
        at += int(rng.uniform(2, 40) * HOUR)
        while True:
            roll = rng.random()
            if roll < 0.68:
                story.append((at, "attempt", AttemptResult.CONFIRMED))
                break
            if roll < 0.74:
                story.append((at, "attempt", AttemptResult.NOT_SOLVED))
                break
            result = AttemptResult.NO_ANSWER if roll < 0.93 else AttemptResult.LEFT_MESSAGE
            story.append((at, "attempt", result))
            failed += 1
            if failed >= MAX_FAILED_ATTEMPTS:  # a lead may now close it as unconfirmed
                at += int(rng.uniform(2, 30) * HOUR)
                story.append((at, "close_unconfirmed", None))
                break
            at += int(rng.uniform(20, 30) * HOUR)
        if story[-1][2] == AttemptResult.CONFIRMED and rng.random() < 0.05:
            at += int(rng.uniform(1, 10) * DAY)  # the customer calls: it is not fixed after all
            story.append((at, "reopen", None))
        elif story[-1][2] != AttemptResult.NOT_SOLVED:
            break
    return story


def _fold(events: list[Event], end_s: int) -> Story:
    """Play the events that happened before ``end``."""
    story = Story()
    failed = 0
    for at, what, detail in events:
        if at > end_s:
            break
        if what == "work":
            story.state = ComplaintState.IN_PROGRESS
        elif what == "resolve":
            story.state = ComplaintState.AWAITING_CONFIRMATION
            story.resolved_at, story.followup_due_at = at, at + FOLLOWUP_DUE_HOURS * HOUR
            story.followed_up = True
            failed = 0
        elif what == "reopen":  # the customer calls: not solved after all
            story.closures[-1][2:4] = [True, at]
            _reopen(story)
        elif what == "close_unconfirmed" and failed >= MAX_FAILED_ATTEMPTS:
            story.state, story.closed_at = ComplaintState.CLOSED_UNCONFIRMED, at
            story.closures.append(["unconfirmed", at, False, None, True])
        elif what == "attempt":
            story.attempts.append((at, str(detail)))
            if detail == AttemptResult.CONFIRMED:
                story.state, story.closed_at = ComplaintState.CLOSED, at
                story.closures.append(["confirmed", at, False, None, False])
            elif detail == AttemptResult.NOT_SOLVED:
                _reopen(story)
            else:
                failed += 1
    return story


def _reopen(story: Story) -> None:
    """As ``services.complaints`` reopens: back to work, the close and its due date gone."""
    story.state = ComplaintState.IN_PROGRESS
    story.closed_at = story.followup_due_at = None
    story.reopen_count += 1


def _attempt_note(result: str) -> str | None:
    notes: dict[str, str | None] = {
        AttemptResult.CONFIRMED: "Customer confirms the problem is solved; thanked them",
        AttemptResult.NOT_SOLVED: "Customer says it is not solved; reopened",
        AttemptResult.NO_ANSWER: None,
        AttemptResult.LEFT_MESSAGE: "Left a voicemail with the case number",
    }
    return notes.get(result)

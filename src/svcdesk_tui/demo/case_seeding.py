"""What a finished call of the history leads to: a complaint, an escalation, a survey, a credit.

The calls decide (here, with the calls' own random stream, in the order the
calls are written); the cases modules tell the story from the seeds.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from svcdesk_tui.demo import names
from svcdesk_tui.demo.call_rows import CallRec
from svcdesk_tui.demo.roster import Slot
from svcdesk_tui.demo.seeds import (
    CaseSeeds,
    CompensationSeed,
    ComplaintSeed,
    EscalationSeed,
    FeedbackSeed,
)

MIN_COMPLAINTS = 8  # enough to show every state of the loop, even in a tiny demo
CANDIDATES_KEPT = 64

CallBack = Callable[[int, int, int, str, int, int], None]
"""Schedule a contact: (day index, days ahead, customer, reason, tag, product)."""


class CaseSeeder:
    """Turns finished calls into case seeds; keeps a sample of complaint calls for small demos."""

    def __init__(self, rng: random.Random, seeds: CaseSeeds, call_back_later: CallBack) -> None:
        self.rng, self.seeds = rng, seeds
        self.call_back_later = call_back_later
        self.candidates: list[tuple[int, CallRec, Slot]] = []
        self.candidates_seen = 0

    def seed_cases(self, index: int, call_id: int, rec: CallRec, slot: Slot) -> None:
        """Decide whether a finished call leads to a complaint, escalation, survey, compensation."""
        rng, seeds = self.rng, self.seeds
        agent = slot.agent
        complaint = -1
        if rec.tag:  # the customer is back about a complaint that was closed
            parent = rec.tag - 1
            complaint = self._complaint(
                call_id, rec, slot, seeds.complaints[parent].category, parent
            )
        elif rng.random() < _complaint_chance(rec):
            category = rng.choice(names.COMPLAINT_CATEGORIES[rec.reason])
            complaint = self._complaint(call_id, rec, slot, category)
            if rng.random() < 0.10:  # it will come back: the fault was closed, not fixed
                days = rng.randint(8, 28)
                self.call_back_later(
                    index, days, rec.customer, "complaint", complaint + 1, rec.product
                )
        elif rec.reason == "complaint":
            self._keep_candidate(call_id, rec, slot)
        escalate = 0.12 if complaint >= 0 else 0.004 if not rec.resolved else 0.0004
        if rng.random() < escalate:
            why = rng.choice(names.ESCALATION_REASONS)
            seeds.escalations.append(
                EscalationSeed(
                    call_id, rec.customer, agent.id, agent.lead_id, rec.talk_end, complaint, why
                )
            )
        if rng.random() < 0.09:
            seeds.feedback.append(
                FeedbackSeed(call_id, rec.customer, rec.ended, rec.resolved, rec.wait)
            )
        compensate = 0.3 if complaint >= 0 else 0.02 if rec.reason == "fault" else 0.001
        if rng.random() < compensate:
            seeds.compensations.append(
                CompensationSeed(
                    call_id,
                    rec.customer,
                    agent.id,
                    agent.limit_cents,
                    agent.lead_id,
                    rec.talk_end,
                    complaint,
                    rec.reason,
                )
            )

    def _complaint(
        self, call_id: int, rec: CallRec, slot: Slot, category: str, parent: int = -1
    ) -> int:
        agent = slot.agent
        self.seeds.complaints.append(
            ComplaintSeed(
                call_id, rec.customer, agent.id, agent.lead_id, rec.talk_end, category, parent
            )
        )
        return len(self.seeds.complaints) - 1

    def _keep_candidate(self, call_id: int, rec: CallRec, slot: Slot) -> None:
        """Remember a sample of complaint calls, in case a small demo needs more complaints."""
        self.candidates_seen += 1
        candidate = (call_id, rec, slot)
        if len(self.candidates) < CANDIDATES_KEPT:
            self.candidates.append(candidate)
        else:
            j = self.rng.randrange(self.candidates_seen)
            if j < CANDIDATES_KEPT:
                self.candidates[j] = candidate

    def ensure_complaints(self, minimum: int = MIN_COMPLAINTS) -> None:
        """Top up a small demo so that every complaint state can be shown."""
        missing = minimum - len(self.seeds.complaints)
        if missing <= 0 or not self.candidates:
            return
        pool = sorted(self.candidates, key=lambda c: c[0])
        step = max(1, len(pool) // missing)
        for call_id, rec, slot in pool[::step][:missing]:
            category = self.rng.choice(names.COMPLAINT_CATEGORIES[rec.reason])
            self._complaint(call_id, rec, slot, category)


def _complaint_chance(rec: CallRec) -> float:
    """About 1.5 % of calls end in a complaint, most of them calls about one."""
    if rec.reason == "complaint":
        return 0.14
    return 0.02 if not rec.resolved else 0.0035

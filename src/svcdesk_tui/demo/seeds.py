"""What a call leaves behind for the cases: the calls decide, the cases module tells the story."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class ComplaintSeed(NamedTuple):
    call_id: int
    customer: int  # index into the customer book
    agent_id: int
    lead_id: int | None
    opened: int  # epoch seconds
    category: str
    parent: int  # index of the complaint this one repeats, or -1


class EscalationSeed(NamedTuple):
    call_id: int
    customer: int
    agent_id: int
    lead_id: int | None
    raised: int
    complaint: int  # index of the complaint of the same call, or -1
    reason: str  # why the agent escalates, in their words


class FeedbackSeed(NamedTuple):
    call_id: int
    customer: int
    ended: int
    resolved: bool
    wait: int


class CompensationSeed(NamedTuple):
    call_id: int
    customer: int
    agent_id: int
    agent_limit: int
    lead_id: int | None
    at: int
    complaint: int
    reason: str


@dataclass
class CaseSeeds:
    complaints: list[ComplaintSeed] = field(default_factory=list)
    escalations: list[EscalationSeed] = field(default_factory=list)
    feedback: list[FeedbackSeed] = field(default_factory=list)
    compensations: list[CompensationSeed] = field(default_factory=list)

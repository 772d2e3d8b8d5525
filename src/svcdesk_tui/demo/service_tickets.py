"""Where the demo's calls went: fault calls routed to a system expert or a technician
(service tickets with visits booked on free, skilled technicians), and leads for sales.

Visits are planned the way the dispatch form allows: a technician with the skill
(senior when the fault needs one), on shift for the whole visit and not already
booked. Visits after the demo's now are still planned, so today's board is busy.
"""

from __future__ import annotations

import random
from bisect import bisect_left, insort
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import text

from svcdesk_tui.demo.field_service import FAULTS, FaultSpec, FieldService, Technician
from svcdesk_tui.demo.reference import TIERS
from svcdesk_tui.demo.store import BulkWriter
from svcdesk_tui.demo.world import World
from svcdesk_tui.models import CallRouting, Lead, ServiceTicket, Visit

HOUR = 3600
SEARCH_HOURS = 24 * 10  # how far ahead a visit is looked for
LEAD_EVERY = 60  # about one completed call in sixty tells us of a need or an opportunity
DISPATCH_SHARE = 0.45  # of unresolved fault calls; the others go to a system expert

LEAD_TEXTS = (
    ("need", "Works from home now; asks about a faster line"),
    ("need", "Second office opening next month, needs a connection there"),
    ("opportunity", "Unhappy with the mobile provider; open to a bundle offer"),
    ("opportunity", "Shop owner interested in the business Wi-Fi package"),
    ("information", "Moving house in the spring; wants to keep the number"),
    ("information", "Children start streaming a lot; asked about the TV package"),
)
NOT_FIXED = ("not_fixed", "parts_needed", "no_access")
TECHNICIAN_NOTES = (
    "Replaced the power supply; customer to watch it for a week",
    "Spare part ordered from the warehouse",
    "Nobody home at the agreed time; left a card",
    "Splice box outside was water-damaged",
)


@dataclass
class Planner:
    """Who is booked when: each technician's visits as sorted (start, end) epoch pairs."""

    world: World
    service: FieldService
    booked: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    _able: dict[tuple[str, bool], list[tuple[Technician, str]]] = field(default_factory=dict)
    _windows: dict[date, tuple[int, int]] = field(default_factory=dict)

    def able(self, fault: str, senior: bool) -> list[tuple[Technician, str]]:
        """The technicians (and their level) who may take the fault at all."""
        key = (fault, senior)
        if key not in self._able:
            self._able[key] = [
                (tech, level)
                for tech in self.service.technicians
                if (level := tech.can_fix(fault, senior))
            ]
        return self._able[key]

    def window(self, day: date) -> tuple[int, int]:
        """From the first shift's start to the last shift's end that day (empty: no shifts)."""
        if day not in self._windows:
            spans = [t.shifts[day] for t in self.service.technicians if day in t.shifts]
            first = min((s for s, _ in spans), default=0)
            self._windows[day] = (first, max((e for _, e in spans), default=0))
        return self._windows[day]

    def free(self, tech: Technician, start: int, end: int) -> bool:
        """No booking of the technician overlaps [start, end)."""
        visits = self.booked.get(tech.staff_id, [])
        i = bisect_left(visits, (start, start))
        before_ok = i == 0 or visits[i - 1][1] <= start
        after_ok = i == len(visits) or visits[i][0] >= end
        return before_ok and after_ok

    def book(
        self, spec: FaultSpec, senior: bool, earliest: int, hours: float, rng: random.Random
    ) -> tuple[Technician, str, int] | None:
        """The first whole hour from ``earliest`` with a skilled, free technician on shift."""
        slot = earliest - earliest % HOUR + HOUR
        length = int(hours * HOUR)
        candidates = self.able(spec.code, senior)
        candidates = rng.sample(candidates, len(candidates))  # the first one free: a fair pick
        last = slot + SEARCH_HOURS * HOUR
        while slot < last:
            day = datetime.fromtimestamp(slot, self.world.tz).date()
            opens, closes = self.window(day)
            if slot < opens:
                slot += (opens - slot + HOUR - 1) // HOUR * HOUR  # to the first hour of the day
                continue
            if slot + length > closes:
                slot += HOUR
                continue
            for tech, level in candidates:
                span = tech.shifts.get(day)
                on_shift = span is not None and span[0] <= slot and slot + length <= span[1]
                if on_shift and self.free(tech, slot, slot + length):
                    insort(self.booked.setdefault(tech.staff_id, []), (slot, slot + length))
                    return tech, level, slot
            slot += HOUR
        return None


@dataclass
class Written:
    routed: list[dict[str, object]] = field(default_factory=list)
    tickets: list[dict[str, object]] = field(default_factory=list)
    visits: list[dict[str, object]] = field(default_factory=list)
    leads: list[dict[str, object]] = field(default_factory=list)


@dataclass(frozen=True)
class FaultCall:
    call_id: int
    customer_id: int
    agent_id: int
    ended_s: int
    agreement_id: int | None


def write_service_tickets(
    writer: BulkWriter, world: World, service: FieldService
) -> dict[str, int]:
    """Route the fault calls, open tickets with visits, record leads; returns counts."""
    rng = world.rng("service-tickets")
    planner = Planner(world, service)
    tiers: dict[int, int | None] = {
        cid: agreement
        for cid, agreement in writer.connection.execute(
            text("SELECT id, agreement_id FROM customer")
        ).all()
    }
    done = Written()
    fault_reason = world.reason_ids.get("fault")
    calls = writer.connection.execute(
        text(
            "SELECT id, customer_id, agent_id, ended_at, outcome, reason_id FROM call "
            "WHERE state = 'completed' AND customer_id IS NOT NULL "
            "AND (reason_id = :fault OR id % :every = 0) ORDER BY ended_at, id"
        ),
        {"fault": fault_reason, "every": LEAD_EVERY},
    ).all()
    for call_id, customer_id, agent_id, ended_s, outcome, reason_id in calls:
        if reason_id == fault_reason:
            call = FaultCall(call_id, customer_id, agent_id, ended_s, tiers.get(customer_id))
            if outcome == "resolved":
                route = "solved"
            elif rng.random() < DISPATCH_SHARE and _dispatch(planner, done, rng, call, world.end_s):
                route = "dispatch"
            else:
                route = "expert"
            done.routed.append(_routing(call_id, route, agent_id, ended_s, rng))
        elif call_id % LEAD_EVERY == 0:
            kind, words = rng.choice(LEAD_TEXTS)
            done.leads.append(
                {
                    "id": len(done.leads) + 1,
                    "customer_id": customer_id,
                    "agent_id": agent_id,
                    "call_id": call_id,
                    "kind": kind,
                    "text": words,
                    "created_at": ended_s,
                }
            )
            if outcome == "resolved":
                done.routed.append(_routing(call_id, "sales", agent_id, ended_s, rng))
    writer.rows(CallRouting, done.routed)
    writer.rows(ServiceTicket, done.tickets)
    writer.rows(Visit, done.visits)
    writer.rows(Lead, done.leads)
    return {
        "service_tickets": len(done.tickets),
        "visits": len(done.visits),
        "leads": len(done.leads),
        "technicians": len(service.technicians),
    }


def _routing(
    call_id: int, route: str, agent_id: int, at: int, rng: random.Random
) -> dict[str, object]:
    mode = rng.choice(("on_line", "call_back")) if route == "expert" else None
    return {
        "call_id": call_id,
        "route": route,
        "expert_mode": mode,
        "agent_id": agent_id,
        "routed_at": at,
    }


def _dispatch(
    planner: Planner, done: Written, rng: random.Random, call: FaultCall, now_s: int
) -> bool:
    """Open a ticket and book visits until one fixes it (or the demo's now); False when
    no skilled technician is free in time."""
    spec = rng.choices(FAULTS, [f.weight for f in FAULTS])[0]
    tier = TIERS[call.agreement_id - 1] if call.agreement_id else None
    senior = rng.random() < spec.senior_share
    hours = round(rng.uniform(*spec.hours) * 2) / 2
    response = tier.response_hours if tier and tier.response_hours else rng.uniform(12, 96)
    earliest = call.ended_s + int(response * rng.uniform(0.2, 1.05) * HOUR)
    booked = planner.book(spec, senior, earliest, hours, rng)
    if booked is None:
        return False
    ticket: dict[str, object] = {
        "id": len(done.tickets) + 1,
        "customer_id": call.customer_id,
        "call_id": call.call_id,
        "fault_type_id": planner.service.fault_type_ids[spec.code],
        "fault": rng.choice(spec.words),
        "estimated_fix_hours": hours,
        "senior_required": senior,
        "equipment": "Spare router" if spec.code == "router" else None,
        "agreement_id": call.agreement_id,
        "promised_response_hours": tier.response_hours if tier else None,
        "promised_fix_hours": tier.fix_hours if tier else None,
        "opened_at": call.ended_s,
        "opened_by_id": call.agent_id,
        "state": "open",
        "fixed_at": None,
        "internal_note": None,
    }
    done.tickets.append(ticket)
    while booked is not None:
        tech, level, start = booked
        visit: dict[str, object] = {
            "id": len(done.visits) + 1,
            "ticket_id": ticket["id"],
            "technician_id": tech.staff_id,
            "planned_at": start,
            "planned_until": start + int(hours * HOUR),
            "arrived_at": None,
            "ended_at": None,
            "outcome": None,
            "internal_note": None,
        }
        done.visits.append(visit)
        ended = start + int(hours * HOUR * rng.uniform(0.6, 1.0))
        if ended > now_s:
            return True  # planned, not done yet
        fixed = rng.random() < (0.86 if level == "O" else 0.74)
        visit.update(arrived_at=start, ended_at=ended, outcome="fixed" if fixed else None)
        if fixed:
            ticket.update(state="fixed", fixed_at=ended)
            return True
        visit["outcome"] = rng.choice(NOT_FIXED)
        visit["internal_note"] = rng.choice(TECHNICIAN_NOTES)
        ticket["internal_note"] = "Customer asked to be called before the next visit"
        earliest = ended + int(rng.uniform(16, 60) * HOUR)
        booked = planner.book(spec, senior, earliest, hours, rng)
    return True

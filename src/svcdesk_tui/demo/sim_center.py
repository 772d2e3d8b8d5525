"""What the live simulator knows of the center, and the plans it keeps in memory.

Read once from the store (time zone, queues, reasons, customers), then shared by
the callers (:mod:`.sim_callers`), the simulated agents (:mod:`.sim_agents`),
the clean-up of left-over state (:mod:`.leftovers`) and the waking of a demo
(:mod:`.wake`). Plans (when a caller hangs up, when a talk or a wrap-up ends,
what a call is about) are kept per call id and forgotten when the call ends.
"""

from __future__ import annotations

import math
import random
from bisect import bisect
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from svcdesk_tui.core.periods import zone
from svcdesk_tui.core.settings import load_settings
from svcdesk_tui.demo.traffic import REASON_PICKER, RESOLVE_RATE, Picker, reasons_for_queue
from svcdesk_tui.models import Call, CallOutcome, ContactReason, Customer, Queue

SIM_CLIENT = "sim"
"""The client of a status row the simulator logged in."""


@dataclass
class Plans:
    """What the simulator decided about calls and agents, by call id or staff id."""

    patience: dict[int, datetime] = field(default_factory=dict)  # when the caller hangs up
    talk_end: dict[int, datetime] = field(default_factory=dict)
    wrap_end: dict[int, datetime] = field(default_factory=dict)
    reason: dict[int, str] = field(default_factory=dict)
    pause_until: dict[int, datetime] = field(default_factory=dict)  # by staff id

    def forget(self, call_id: int) -> None:
        """A call is over: drop every plan made for it."""
        self.patience.pop(call_id, None)
        self.talk_end.pop(call_id, None)
        self.wrap_end.pop(call_id, None)
        self.reason.pop(call_id, None)


class SimCenter:
    """The center as the simulator sees it: read once, with the random stream and the pace."""

    def __init__(
        self, session: Session, rng: random.Random, speed: float, *, night_line: bool
    ) -> None:
        self.rng, self.speed, self.night_line = rng, speed, night_line
        self.tz: ZoneInfo = zone(load_settings(session).timezone)
        rows = session.exec(select(Queue.id, Queue.name).order_by(col(Queue.id))).all()
        self.queue_ids = {name: qid for qid, name in rows if qid is not None}
        self.queue_reasons: dict[int, Picker] = {
            qid: reasons_for_queue(name) for name, qid in self.queue_ids.items()
        }
        reasons = session.exec(
            select(ContactReason.code, ContactReason.id).order_by(col(ContactReason.id))
        ).all()
        self.reason_ids = {code: rid for code, rid in reasons}
        self.reason_codes = list(self.reason_ids)
        self._customers: list[int] | None = None
        self._cumulative: list[float] = []
        self.plans = Plans()

    def pick_customer(self, session: Session) -> int | None:
        """A known caller; some call far more often than others (None: no customers yet)."""
        if self._customers is None:  # read on the first call, not on every opening
            ids = session.exec(select(Customer.id).order_by(col(Customer.id))).all()
            self._customers = [cid for cid in ids if cid is not None]
            self._cumulative = list(
                accumulate(math.exp(self.rng.gauss(0.0, 0.8)) for _ in self._customers)
            )
        if not self._customers:
            return None
        pick = bisect(self._cumulative, self.rng.random() * self._cumulative[-1])
        return self._customers[pick]

    def scaled(self, seconds: float) -> timedelta:
        """``seconds`` of the center's time, at the simulator's pace."""
        return timedelta(seconds=seconds / self.speed)

    def reason_for(self, call: Call | None) -> str:
        """What a call is about: planned when it entered, or drawn from its queue's mix."""
        if call is None or call.id is None:
            return REASON_PICKER.pick(self.rng)
        if call.id not in self.plans.reason:
            picker = self.queue_reasons.get(call.queue_id, REASON_PICKER)
            self.plans.reason[call.id] = picker.pick(self.rng)
        return self.plans.reason[call.id]

    def reason_code(self, reason: str) -> str:
        """A seeded reason code for ``reason`` (the first one if the store lacks it)."""
        return reason if reason in self.reason_ids else (self.reason_codes or ["other"])[0]

    def outcome(self, reason: str) -> str:
        resolved = self.rng.random() < RESOLVE_RATE.get(reason, 0.8)
        return str(CallOutcome.RESOLVED if resolved else CallOutcome.UNRESOLVED)


def pace(staff_id: int) -> float:
    """Some agents talk longer than others; a stable factor per person."""
    return 0.85 + (staff_id * 37 % 30) / 100

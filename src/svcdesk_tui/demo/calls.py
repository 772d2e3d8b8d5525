"""Months of calls, simulated day by day through a queue of agents' next-free times.

Each day, calls arrive in the hourly shape of the center (plus the retries of
callers who hung up and the call-backs of problems that were not solved).
Every call waits for the earliest agent on shift who is free; if that takes
longer than the caller's patience, the caller hangs up. So service level is
the result of the staffing, as in a real center: fine on most days, breached
in the hours when too few people were there.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from itertools import accumulate

from svcdesk_tui.demo import names
from svcdesk_tui.demo.call_rows import CALL_COLUMNS, Arrival, CallRec, call_row, state_at
from svcdesk_tui.demo.case_seeding import CaseSeeder
from svcdesk_tui.demo.presence import PresenceBook
from svcdesk_tui.demo.reference import CustomerBook
from svcdesk_tui.demo.roster import Slot
from svcdesk_tui.demo.seeds import CaseSeeds
from svcdesk_tui.demo.store import BulkWriter
from svcdesk_tui.demo.traffic import (
    CALLS_PER_AGENT_DAY,
    CLOSE_HOUR,
    HOURLY_SHARE,
    OPEN_HOUR,
    QUEUE_PICKERS,
    REASON_PICKER,
    RESOLVE_RATE,
    WEEKDAY_FACTOR,
    sample_patience,
    sample_talk,
    sample_wrap,
)
from svcdesk_tui.demo.world import World
from svcdesk_tui.models import Call, CallState

FIRST_CONTACT_SHARE = 0.82
"""Share of offered calls that are first contacts; the rest are retries and call-backs."""
ANONYMOUS_SHARE = 0.04
INCIDENT_CHANCE = 0.035  # a weekday with an outage of one product
NEVER = 1 << 62

_BUSIEST_DAY = max(WEEKDAY_FACTOR)
_HOURS = list(HOURLY_SHARE)
_HOUR_CUMULATIVE = list(accumulate(HOURLY_SHARE.values()))


class CallHistory:
    """Writes the calls of every simulated day, the presence they imply and the case seeds."""

    def __init__(
        self,
        world: World,
        book: CustomerBook,
        writer: BulkWriter,
        seeds: CaseSeeds,
        presence: PresenceBook,
    ) -> None:
        self.world, self.book = world, book
        self.writer, self.seeds, self.presence = writer, seeds, presence
        self.rng = world.rng("calls")
        self.last_call_id = 0
        self.later: dict[int, list[Arrival]] = defaultdict(list)  # day index -> (offset, ...)
        self.today_recs: list[tuple[int, CallRec]] = []
        self.today_slots: list[Slot] = []
        self.outage_days: list[date] = []  # the center marks them exceptional for its forecast
        self.seeder = CaseSeeder(self.rng, seeds, self._call_back_later)

    # --- the day loop ---------------------------------------------------------

    def run(
        self, plan: dict[date, list[Slot]], progress: Callable[[str], None] | None = None
    ) -> int:
        """Simulate every day up to ``end``; returns the number of calls written."""
        days = self.world.history_days()
        step = max(1, len(days) // 10)
        for index, day in enumerate(days):
            cutoff = self.world.end_s if day == self.world.today else None
            self._day(index, day, plan.get(day, []), cutoff)
            if progress and ((index + 1) % step == 0 or index + 1 == len(days)):
                progress(f"calls: {index + 1}/{len(days)} days, {self.last_call_id:,} calls")
        return self.last_call_id

    def _day(self, index: int, day: date, slots: list[Slot], cutoff: int | None) -> None:
        """One day: arrivals, the queue, the rows. Today stops at ``cutoff`` (``end``).

        Callers of today still on hold at ``end`` are left out: :meth:`add_waiting`
        puts exactly the asked-for queue there instead.
        """
        open_s = self.world.local_epoch(day, OPEN_HOUR)
        close_s = open_s + 3600 * len(HOURLY_SHARE)
        arrivals = self._arrivals(index, day, open_s)
        recs, pauses = self._serve(index, arrivals, slots, close_s, cutoff)
        if cutoff is not None:  # today: where each call stands at ``end``
            for rec in recs:
                rec.state = state_at(rec, cutoff) or CallState.WAITING
            recs = [rec for rec in recs if rec.state != CallState.WAITING]
        last_end = [0] * len(slots)
        for rec in recs:
            if rec.agent >= 0 and rec.ended > last_end[rec.agent]:
                last_end[rec.agent] = rec.ended
        written = self._write_calls(index, recs, slots)
        for k, slot in enumerate(slots):
            self.presence.worked(slot, max(slot.end, last_end[k]), cutoff)
        for k, start, stop, why in pauses:
            self.presence.paused(slots[k].agent.id, start, stop, why, cutoff)
        if cutoff is not None:
            self.today_recs, self.today_slots = written, slots

    # --- arrivals -------------------------------------------------------------

    def _arrivals(self, index: int, day: date, open_s: int) -> list[Arrival]:
        """First contacts in the hourly shape, an outage now and then, and the call-backs due."""
        rng, book = self.rng, self.book
        weekday = day.weekday()
        volume = CALLS_PER_AGENT_DAY * self.world.agents * WEEKDAY_FACTOR[weekday]
        volume *= FIRST_CONTACT_SHARE * math.exp(rng.gauss(0.0, 0.08))
        arrivals: list[Arrival] = []
        products = len(self.world.product_ids)
        for hour, share in HOURLY_SHARE.items():
            rate = volume * share / 3600
            start = open_s + (hour - OPEN_HOUR) * 3600
            stop = start + 3600
            at = start + rng.expovariate(rate)
            while at < stop:
                if rng.random() < ANONYMOUS_SHARE:
                    customer, product = -1, rng.randrange(products)
                else:
                    customer = book.pick(rng)
                    product = book.products[customer]
                    if rng.random() < 0.15:
                        product = rng.randrange(products)
                arrivals.append((int(at), customer, REASON_PICKER.pick(rng), 0, product))
                at += rng.expovariate(rate)
        if weekday < 5 and rng.random() < INCIDENT_CHANCE:
            arrivals.extend(self._outage(open_s, volume))
            self.outage_days.append(day)
        arrivals.extend(
            (open_s + offset, customer, reason, tag, product)
            for offset, customer, reason, tag, product in self.later.pop(index, [])
        )
        heapq.heapify(arrivals)
        return arrivals

    def _outage(self, open_s: int, volume: float) -> list[Arrival]:
        """A product fails: a wave of fault calls between 09:00 and 17:00."""
        rng = self.rng
        product = rng.randrange(len(self.world.product_ids))
        start = open_s + 2 * 3600
        return [
            (start + rng.randint(0, 8 * 3600), self.book.pick(rng), "fault", 0, product)
            for _ in range(int(volume * rng.uniform(0.2, 0.4)))
        ]

    def _call_back_later(
        self, index: int, days_ahead: int, customer: int, reason: str, tag: int, product: int
    ) -> None:
        """Schedule a contact on a later day, at an hour drawn from the daily shape.

        Few people call back on a Sunday: a call-back that would fall on a quiet
        day moves on to the next day in proportion to how quiet the day is.
        """
        rng = self.rng
        weekday = (self.world.first_day.weekday() + index + days_ahead) % 7
        while rng.random() > WEEKDAY_FACTOR[weekday] / _BUSIEST_DAY:
            days_ahead += 1
            weekday = (weekday + 1) % 7
        hour = _HOURS[bisect(_HOUR_CUMULATIVE, rng.random() * _HOUR_CUMULATIVE[-1])]
        offset = (hour - OPEN_HOUR) * 3600 + rng.randint(0, 3599)
        self.later[index + days_ahead].append((offset, customer, reason, tag, product))

    # --- the queue --------------------------------------------------------------

    def _serve(
        self,
        index: int,
        arrivals: list[Arrival],
        slots: list[Slot],
        close_s: int,
        cutoff: int | None,
    ) -> tuple[list[CallRec], list[tuple[int, int, int, str]]]:
        """Route each call to the earliest free agent on shift, or let the caller hang up."""
        rng, book, queue_ids = self.rng, self.book, self.world.queue_ids
        free = [(slot.start, k) for k, slot in enumerate(slots)]
        heapq.heapify(free)
        next_pause = [0] * len(slots)
        pauses: list[tuple[int, int, int, str]] = []
        recs: list[CallRec] = []
        stop_at = min(close_s + 3 * 3600, cutoff if cutoff is not None else NEVER)
        while arrivals and arrivals[0][0] < stop_at:
            at, customer, reason, tag, product = heapq.heappop(arrivals)
            k, start = self._next_agent(free, slots, next_pause, pauses, at)
            anonymous = customer < 0
            rec = CallRec(
                entered=at,
                queue_id=queue_ids[QUEUE_PICKERS[reason].pick(rng)],
                customer=customer,
                caller=names.phone_number(rng, True) if anonymous else book.phones[customer],
                priority=0 if anonymous else book.priorities[customer],
                reason=reason,
                product=product,
                tag=tag,
            )
            recs.append(rec)
            patience = sample_patience(rng)
            wait = start - at + rng.randint(2, 7)  # the phone rings at the agent's desk
            if wait > patience:
                rec.state, rec.wait, rec.ended = CallState.ABANDONED, patience, at + patience
                if not anonymous and rng.random() < (0.3 if patience <= 5 else 0.55):
                    again = rec.ended + 20 + int(rng.expovariate(1 / 240))
                    if again < close_s:
                        heapq.heappush(arrivals, (again, customer, reason, tag, product))
                    else:
                        self._call_back_later(index, 1, customer, reason, tag, product)
                continue
            agent = slots[k].agent
            rec.agent, rec.wait, rec.answered = k, wait, at + wait
            rec.talk = sample_talk(rng, reason, agent.pace)
            rec.wrap = sample_wrap(rng, agent.pace)
            rec.talk_end = rec.answered + rec.talk
            rec.ended = rec.talk_end + rec.wrap
            rec.resolved = rng.random() < RESOLVE_RATE[reason] + agent.skill
            heapq.heapreplace(free, (rec.ended, k))
            if not anonymous and rng.random() < (0.05 if rec.resolved else 0.55):
                self._call_back_later(index, rng.randint(1, 6), customer, reason, 0, product)
        for at, k in free:  # pauses nobody was busy for are taken as planned
            end = slots[k].end
            for start, length, why in slots[k].pauses[next_pause[k] :]:
                start = max(start, at)
                if start < end:
                    at = min(start + length, end)
                    pauses.append((k, start, at, why))
        return recs, pauses

    @staticmethod
    def _next_agent(
        free: list[tuple[int, int]],
        slots: list[Slot],
        next_pause: list[int],
        pauses: list[tuple[int, int, int, str]],
        at: int,
    ) -> tuple[int, int]:
        """The slot that can take a call arriving ``at``, and when: (-1, NEVER) if none."""
        while free:
            ready, k = free[0]
            slot = slots[k]
            start = at if at > ready else ready
            if start >= slot.end:  # shift over: this agent goes home
                heapq.heappop(free)
                continue
            i = next_pause[k]
            if i < len(slot.pauses) and slot.pauses[i][0] <= start:
                planned, length, why = slot.pauses[i]
                next_pause[k] = i + 1
                begin = planned if planned > ready else ready
                back = min(begin + length, slot.end)
                pauses.append((k, begin, back, why))
                heapq.heapreplace(free, (back, k))
                continue
            return k, start
        return -1, NEVER

    # --- rows -------------------------------------------------------------------

    def _write_calls(
        self, index: int, recs: list[CallRec], slots: list[Slot]
    ) -> list[tuple[int, CallRec]]:
        """Give ids in order of entry, write the rows, and note what each call leads to."""
        world, book = self.world, self.book
        rows = []
        written = []
        recs.sort(key=lambda r: r.entered)
        for rec in recs:
            self.last_call_id += 1
            call_id = self.last_call_id
            written.append((call_id, rec))
            note = None
            done = rec.state == CallState.COMPLETED
            if done and not rec.resolved and self.rng.random() < 0.4:
                note = self.rng.choice(names.CALL_NOTES_UNRESOLVED)
            rows.append(
                call_row(
                    call_id,
                    rec,
                    agent_id=slots[rec.agent].agent.id if rec.agent >= 0 else None,
                    customer_id=book.ids[rec.customer] if rec.customer >= 0 else None,
                    product_id=world.product_ids[rec.product],
                    reason_id=world.reason_ids[rec.reason] if done else None,
                    note=note,
                )
            )
            if done and rec.customer >= 0:
                self.seeder.seed_cases(index, call_id, rec, slots[rec.agent])
        self.writer.tuples(Call, CALL_COLUMNS, rows)
        return written

    def ensure_complaints(self) -> None:
        """Top up a small demo so that every complaint state can be shown."""
        self.seeder.ensure_complaints()

    # --- the queue at ``end`` ---------------------------------------------------

    def add_waiting(self, count: int | None) -> int:
        """Callers on hold at ``end``, entered in the last few minutes; returns how many.

        ``None`` means a realistic handful while the center is open and staffed.
        Among them are customers with special requests and a nuisance caller, so
        the queue shows what agents must know before they pick up.
        """
        rng, book, world = self.rng, self.book, self.world
        if count is None:
            hour = world.end.astimezone(world.tz).hour
            staffed = any(slot.start <= world.end_s < slot.end for slot in self.today_slots)
            count = rng.randint(3, 8) if staffed and OPEN_HOUR <= hour < CLOSE_HOUR else 0
        special = [i for i, flag in enumerate(book.special) if flag]
        nuisance = [i for i, flag in enumerate(book.nuisance) if flag]
        span = max(300, count // 4)
        entered = sorted(world.end_s - rng.randint(1, span) for _ in range(count))
        rows = []
        for n, at in enumerate(entered):
            if n == 1 and special:
                customer = rng.choice(special)
            elif n == 2 and nuisance:
                customer = rng.choice(nuisance)
            else:
                customer = book.pick(rng)
            reason = REASON_PICKER.pick(rng)
            rec = CallRec(
                entered=at,
                queue_id=world.queue_ids[QUEUE_PICKERS[reason].pick(rng)],
                customer=customer,
                caller=book.phones[customer],
                priority=book.priorities[customer],
                reason=reason,
                product=book.products[customer],
                tag=0,
                state=CallState.WAITING,
            )
            self.last_call_id += 1
            rows.append(
                call_row(
                    self.last_call_id,
                    rec,
                    agent_id=None,
                    customer_id=book.ids[customer],
                    product_id=world.product_ids[rec.product],
                )
            )
        self.writer.tuples(Call, CALL_COLUMNS, rows)
        return count

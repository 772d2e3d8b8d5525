"""Which model foretold the service level that happened: Erlang C or Erlang A.

For each past interval with calls and agents logged in, the agents logged in
(the center's, shared among its queues in proportion to each queue's traffic)
and each queue's calls, AHT and patience go into both models; their service
level is set beside the one that happened (docs/measures.md, Service level).
The error is the mean absolute difference, weighted by the calls it counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from svcdesk_tui.core import rates
from svcdesk_tui.planning.erlang_a import erlang_a
from svcdesk_tui.planning.forecast import queues, read_history
from svcdesk_tui.planning.staffing import logged_in, traits
from svcdesk_tui.queue.erlang import service_level as erlang_c_service_level


@dataclass(frozen=True)
class ModelCheck:
    intervals: int
    calls: int
    erlang_c_error: float | None
    erlang_a_error: float | None

    @property
    def closer(self) -> str | None:
        c, a = self.erlang_c_error, self.erlang_a_error
        if c is None or a is None:
            return None
        return "Erlang A" if a < c else "Erlang C" if c < a else "neither"


def check_models(
    session: Session, *, tz: str, start: date, end: date, interval_minutes: int, now: datetime
) -> ModelCheck:
    """Both models' service level against the actual one, over the days ``start`` .. ``end``."""
    history = read_history(
        session, queue_id=None, start=start, end=end, tz=tz, interval_minutes=interval_minutes
    )
    chosen = {q.id: traits(history, q) for q in queues(session)}
    agents = logged_in(session, start, end, tz, interval_minutes, now=now)
    per_hour = 60 / interval_minutes
    intervals = calls = 0
    error_c = error_a = 0.0
    slots: dict[tuple[date, int], list] = {}
    for queue_id, days in history.stats.items():
        for day, row in days.items():
            for slot, stats in enumerate(row):
                if stats is not None and queue_id in chosen:
                    slots.setdefault((day, slot), []).append(stats)
    for key, rows in slots.items():
        on_phone = agents.get(key, 0.0)
        if on_phone < 1:
            continue
        load = {s.queue_id: s.offered * chosen[s.queue_id].aht_s for s in rows}
        whole = sum(load.values())
        intervals += 1
        for s in rows:
            counted = s.answered + s.abandoned
            actual = rates.service_level(s.within_threshold, s.answered, s.abandoned)
            if actual is None or not whole:
                continue
            t = chosen[s.queue_id]
            share = max(1, round(on_phone * load[s.queue_id] / whole))
            traffic = s.offered * per_hour * t.aht_s / 3600
            threshold = t.queue.sl_threshold_seconds
            sl_c = erlang_c_service_level(share, traffic, threshold, t.aht_s)
            sl_a = erlang_a(share, s.offered * per_hour, t.aht_s, t.patience_s, threshold)
            error_c += counted * abs(sl_c - actual)
            error_a += counted * abs(sl_a.service_level - actual)
            calls += counted
    return ModelCheck(intervals, calls, rates.share(error_c, calls), rates.share(error_a, calls))

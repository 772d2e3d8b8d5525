"""Who was logged in when: sessions and pauses, and the agents board at ``end``."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from svcdesk_tui.demo.store import BulkWriter
from svcdesk_tui.demo.world import World
from svcdesk_tui.models import (
    AgentStateKind,
    AgentStatus,
    CallState,
    PresenceKind,
    PresenceLog,
    Shift,
)

if TYPE_CHECKING:
    from svcdesk_tui.demo.call_rows import CallRec
    from svcdesk_tui.demo.roster import Slot

PRESENCE_COLUMNS = ("id", "staff_id", "kind", "reason", "started_at", "ended_at")
STATUS_COLUMNS = ("staff_id", "state", "reason", "since", "call_id", "client", "heartbeat_at")
SHIFT_COLUMNS = ("id", "staff_id", "queue_id", "starts_at", "ends_at")


class PresenceBook:
    """Collects presence intervals as the days are simulated, then writes them."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.rng = world.rng("presence")
        self.rows: list[tuple[int, int, str, str | None, int, int | None]] = []
        self.last_logout: dict[int, int] = {}
        self.logged_in: dict[int, int] = {}  # staff id -> login time, for sessions open at end
        self.open_pause: dict[int, tuple[int, str]] = {}
        self.last_pause_end: dict[int, int] = {}

    def worked(self, slot: Slot, finished: int, cutoff: int | None) -> None:
        """One logged-in session per worked shift: a few minutes early, out after the last call."""
        staff_id = slot.agent.id
        login = slot.start - self.rng.randint(0, 300)
        logout = finished + self.rng.randint(10, 180)
        if cutoff is not None and login > cutoff:
            return
        if cutoff is not None and logout > cutoff:
            self.logged_in[staff_id] = login
            self._add(staff_id, PresenceKind.SESSION, None, login, None)
            return
        self.last_logout[staff_id] = max(logout, self.last_logout.get(staff_id, 0))
        self._add(staff_id, PresenceKind.SESSION, None, login, logout)

    def paused(self, staff_id: int, start: int, stop: int, why: str, cutoff: int | None) -> None:
        if cutoff is not None and start >= cutoff:
            return
        if cutoff is not None and stop > cutoff:
            self.open_pause[staff_id] = (start, why)
            self._add(staff_id, PresenceKind.PAUSE, why, start, None)
            return
        self.last_pause_end[staff_id] = stop
        self._add(staff_id, PresenceKind.PAUSE, why, start, stop)

    def _add(
        self, staff_id: int, kind: str, reason: str | None, start: int, stop: int | None
    ) -> None:
        self.rows.append((len(self.rows) + 1, staff_id, str(kind), reason, start, stop))

    def write(self, writer: BulkWriter) -> None:
        writer.tuples(PresenceLog, PRESENCE_COLUMNS, self.rows)

    def write_board(
        self, writer: BulkWriter, recs: list[tuple[int, CallRec]], slots: list[Slot]
    ) -> dict[str, int]:
        """AgentStatus at ``end``: logged-in agents as they are, everyone else offline."""
        end_s = self.world.end_s
        busy: dict[int, tuple[int, CallRec]] = {}
        idle_since: dict[int, int] = {}
        for call_id, rec in recs:
            if rec.agent < 0:
                continue
            staff_id = slots[rec.agent].agent.id
            if rec.state in (CallState.ON_CALL, CallState.WRAP_UP):
                busy[staff_id] = (call_id, rec)
            elif rec.state == CallState.COMPLETED:
                idle_since[staff_id] = max(rec.ended, idle_since.get(staff_id, 0))
        rows: list[tuple[object, ...]] = []
        states: dict[str, int] = {}
        row: tuple[str, str | None, int, int | None]
        for staff_id, login in sorted(self.logged_in.items()):
            if staff_id in busy:
                call_id, rec = busy[staff_id]
                on_call = rec.state == CallState.ON_CALL
                state = AgentStateKind.ON_CALL if on_call else AgentStateKind.WRAP_UP
                row = (state, None, rec.answered if on_call else rec.talk_end, call_id)
            elif staff_id in self.open_pause:
                start, why = self.open_pause[staff_id]
                row = (AgentStateKind.PAUSED, why, start, None)
            else:
                since = max(
                    login, idle_since.get(staff_id, 0), self.last_pause_end.get(staff_id, 0)
                )
                row = (AgentStateKind.AVAILABLE, None, min(since, end_s), None)
            states[str(row[0])] = states.get(str(row[0]), 0) + 1
            rows.append((staff_id, str(row[0]), row[1], row[2], row[3], None, end_s))
        for staff_id, logout in sorted(self.last_logout.items()):
            if staff_id not in self.logged_in:
                rows.append((staff_id, str(AgentStateKind.OFFLINE), None, logout, None, None, None))
        writer.tuples(AgentStatus, STATUS_COLUMNS, rows)
        return states


def write_shifts(writer: BulkWriter, plan: dict[date, list[Slot]]) -> int:
    """The plan as Shift rows (the blended center: agents serve every queue)."""
    rows: list[tuple[int, int, None, int, int]] = []
    for day in sorted(plan):
        for slot in plan[day]:
            rows.append((len(rows) + 1, slot.agent.id, None, slot.start, slot.end))
    writer.tuples(Shift, SHIFT_COLUMNS, rows)
    return len(rows)

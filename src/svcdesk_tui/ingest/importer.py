"""Applying queue_log events to the store: calls, agent presence and pauses.

One call row per queue leg: a caller who times out of one queue and enters
another is two calls, one per queue, as the queue_log reporting tools count
them. The leg's ``external_id`` is ``"{uniqueid}:{queue}:{entered epoch}"``
(hashed when longer than the column), so the same leg read twice is the same
row, and a caller re-entering the same queue later is a new one.

The open state (calls waiting or on a call, agents logged in or paused) lives
in the store itself: it is read back when an import starts, so a second,
overlapping import or a restarted ``--follow`` carries on where the last left.
Events are applied in memory and written at the end of each batch with a few
executemany statements (see ``store.py``) inside one short transaction: a call
the store does not hold yet is inserted, one it holds (written by an earlier
batch, or open when the import started) is moved forward.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection
from sqlmodel import Session

from svcdesk_tui.core import audit
from svcdesk_tui.core.clock import Clock, SystemClock
from svcdesk_tui.core.db import Database
from svcdesk_tui.core.settings import load_settings
from svcdesk_tui.ingest import store
from svcdesk_tui.ingest.legs import Leg, leg_key
from svcdesk_tui.ingest.names import Directory
from svcdesk_tui.ingest.presence import PRESENCE_EVENTS, Presence
from svcdesk_tui.ingest.queue_log import BadLine, Event, parse_line
from svcdesk_tui.ingest.summary import IngestSummary, Rejection
from svcdesk_tui.monitoring.recordings import pbx_recording
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, require

MAX_KEPT_REJECTIONS = 1000
_RECENT_LIMIT = 200_000

END_REASONS = {
    "COMPLETECALLER": "caller",
    "COMPLETEAGENT": "agent",
    "TRANSFER": "transfer",
    "BLINDTRANSFER": "transfer",
    "ATTENDEDTRANSFER": "transfer",
    "ABANDON": "abandon",
    "EXITWITHTIMEOUT": "timeout",
    "EXITWITHKEY": "exitkey",
    "EXITEMPTY": "exitempty",
}
SKIPPED_ON_PURPOSE = frozenset({"CONFIGRELOAD", "QUEUESTART"})


class QueueLogImporter:
    """Feed it numbered lines batch by batch; each batch is one transaction."""

    def __init__(
        self,
        db: Database,
        actor: Actor,
        *,
        queue_map: dict[str, str] | None = None,
        agent_map: dict[str, str] | None = None,
        clock: Clock | None = None,
    ) -> None:
        require(actor, Action.INGEST_TELEPHONY)
        self.db = db
        self.actor = actor
        self.clock = clock or SystemClock()
        self.directory = Directory(actor, self.clock, queue_map or {}, agent_map or {})
        self._queues, self._staff = self.directory.queues, self.directory.agents  # caches
        self.summary = IngestSummary(
            new_queues=self.directory.new_queues, new_staff=self.directory.new_staff
        )
        self.open: dict[str, Leg] = {}
        self.presence = Presence()
        self.recent: dict[str, int] = {}  # legs ended in this run: key → entered
        self.phones: dict[str, tuple[int, int]] = {}
        self._new_rows: list[tuple] = []  # calls the store lacks (or holds as ended)
        self._moved_rows: list[tuple] = []  # calls the store holds as open
        self._session: Session | None = None
        self._handlers = {
            "ENTERQUEUE": self._enter,
            "CONNECT": self._connect,
            "RINGNOANSWER": self._ring,
        }
        for kind in PRESENCE_EVENTS:
            self._handlers[kind] = self._agent_event
        for kind in ("COMPLETECALLER", "COMPLETEAGENT", "TRANSFER", "BLINDTRANSFER"):
            self._handlers[kind] = self._answered_end
        self._handlers["ATTENDEDTRANSFER"] = self._answered_end
        for kind in ("ABANDON", "EXITWITHTIMEOUT", "EXITWITHKEY", "EXITEMPTY"):
            self._handlers[kind] = self._unanswered_end
        self._start()

    # --- the open state, read back from the store ----------------------------

    def _start(self) -> None:
        with self.db.read() as session:
            self.directory.load(session)
            self._recordings = load_settings(session)
            connection = session.connection()
            self.phones = store.phone_book(connection)
            self._calls_before = store.count_calls(connection)
            by_id: dict[int, str] = {}
            for row in store.open_calls(connection):
                key = row.external_id.rsplit(":", 1)[0]
                leg = Leg(key, row.queue_id, row.entered)
                leg.answered, leg.agent_id, leg.wait = row.answered, row.agent_id, row.wait
                leg.caller, leg.customer_id = row.caller, row.customer_id
                leg.priority = row.priority
                leg.dirty, leg.stored = False, True
                self.open[key] = leg
                by_id[row.call_id] = key
            self.presence.recover(connection, by_id)

    # --- reading lines ---------------------------------------------------------

    def import_lines(self, lines: Iterable[str], first_line: int = 1) -> None:
        """Apply ``lines`` (numbered from ``first_line``) and commit them as one batch.

        Lines come without their line end (newline, or carriage return and newline);
        a blank line is skipped.
        """
        summary, handlers, rejections = self.summary, self._handlers, self.summary.rejections
        applied = 0
        with self.db.write() as session:
            self._session = session
            if self.db.is_sqlite:  # room for the call indexes of a large batch
                session.connection().exec_driver_sql("PRAGMA cache_size = -65536")
            number = first_line - 1
            for number, line in enumerate(lines, start=first_line):
                try:
                    event = parse_line(line)
                except BadLine as error:
                    if not line.strip():
                        summary.skipped["blank line"] += 1
                        continue
                    summary.rejected += 1
                    if len(rejections) < MAX_KEPT_REJECTIONS:
                        rejections.append(Rejection(number, str(error), line[:200]))
                    continue
                handler = handlers.get(event[4])  # the event's kind
                if handler is None:
                    skipped = event.kind if event.kind in SKIPPED_ON_PURPOSE else "unknown event"
                    summary.skipped[skipped] += 1
                    continue
                handler(event)
                applied += 1
            self._flush(session, session.connection())
            self._session = None
        summary.lines += number - first_line + 1  # counted once committed
        summary.events += applied

    def finish(self) -> IngestSummary:
        """Count what was added and leave one audit row for the whole import."""
        with self.db.write() as session:
            self.summary.calls_added = store.count_calls(session.connection()) - self._calls_before
            audit.record(
                session,
                self.actor,
                "ingest.queue_log",
                "call",
                None,
                at=self.clock.now(),
                after=self.summary.as_audit(),
            )
        return self.summary

    # --- calls -----------------------------------------------------------------

    def _queue_id(self, event: Event) -> int:
        assert self._session is not None  # the directory looks in the same cache first
        return self.directory.queue_id(self._session, event.queue, event.at)

    def _staff_id(self, event: Event) -> int:
        assert self._session is not None  # the directory looks in the same cache first
        return self.directory.staff_id(self._session, event.agent, event.at)

    def _enter(self, event: Event) -> None:
        key = leg_key(event)
        leg = self.open.get(key)
        if (leg is not None and leg.entered == event.at) or self.recent.get(key) == event.at:
            self.summary.duplicates += 1
            return
        if leg is not None:  # the caller is back, yet the log never said how they left
            self.summary.unended += 1
            if leg.dirty:
                self._write_open(leg)
        leg = Leg(key, self._queues.get(event.queue) or self._queue_id(event), event.at)
        caller = event.text
        if caller is not None:
            leg.caller = caller[:40]
            if self.phones:
                found = self.phones.get(store.normalise_phone(caller))
                if found is not None:
                    leg.customer_id, leg.priority = found
        self.open[key] = leg

    def _connect(self, event: Event) -> None:
        key = leg_key(event)
        leg = self.open.get(key)
        if leg is None:
            if event.hold is None or key in self.recent:
                self.summary.orphans += 1
                return
            leg = self.open[key] = Leg(key, self._queue_id(event), event.at - event.hold)
        if leg.answered is not None:
            self.summary.duplicates += 1
            return
        leg.answered = event.at
        leg.wait = event.hold if event.hold is not None else max(0, event.at - leg.entered)
        leg.agent_id = staff_id = self._staff.get(event.agent) or self._staff_id(event)
        leg.dirty = True
        self.presence.busy(staff_id, key, event.at)

    def _answered_end(self, event: Event) -> None:
        key = leg_key(event)
        leg = self.open.pop(key, None)
        if leg is None:
            if event.hold is None or event.talk is None or key in self.recent:
                self.summary.orphans += 1
                return
            leg = Leg(key, self._queue_id(event), event.at - event.talk - event.hold)
        if leg.answered is None:
            leg.answered = event.at - event.talk if event.talk is not None else event.at
            hold = event.hold if event.hold is not None else leg.answered - leg.entered
            leg.wait = max(0, hold)
        if event.agent:
            leg.agent_id = self._staff.get(event.agent) or self._staff_id(event)
        talk = event.talk if event.talk is not None else event.at - leg.answered
        self._end(leg, event, "completed", max(0, talk))

    def _unanswered_end(self, event: Event) -> None:
        key = leg_key(event)
        leg = self.open.pop(key, None)
        if leg is None:
            if event.wait is None or key in self.recent:
                self.summary.orphans += 1
                return
            leg = Leg(key, self._queue_id(event), event.at - event.wait)
        leg.wait = event.wait if event.wait is not None else max(0, event.at - leg.entered)
        leg.answered = None
        self._end(leg, event, "abandoned", None)

    def _end(self, leg: Leg, event: Event, state: str, talk: int | None) -> None:
        (self._moved_rows if leg.stored else self._new_rows).append(
            (
                leg.queue_id,
                leg.customer_id,
                leg.caller,
                leg.priority,
                state,
                leg.agent_id if state == "completed" else None,
                leg.entered,
                leg.answered,
                event.at if talk is not None else None,
                event.at,
                leg.wait,
                talk,
                END_REASONS[event.kind],
                store.SOURCE,
                leg.external_id,
                self._recording(event, leg) if state == "completed" else None,
            )
        )
        recent = self.recent
        recent[leg.key] = leg.entered
        if len(recent) > _RECENT_LIMIT:
            for stale in list(recent)[: _RECENT_LIMIT // 2]:
                del recent[stale]
        if leg.agent_id is not None:
            self.presence.free(leg.agent_id, leg.key, event.at)

    def _recording(self, event: Event, leg: Leg) -> str | None:
        """The PBX's recording of the call (MixMonitor names it by uniqueid), if linked."""
        if not self._recordings.recording_folder:
            return None
        return pbx_recording(self._recordings, event.uniqueid, event.queue, leg.entered)

    def _ring(self, event: Event) -> None:
        self.summary.ring_no_answer += 1

    def _agent_event(self, event: Event) -> None:
        staff_id = self._staff.get(event.agent) or self._staff_id(event)
        if not self.presence.apply(event, staff_id):
            self.summary.duplicates += 1  # older than the agent's stored state

    # --- writing a batch -------------------------------------------------------

    def _flush(self, session: Session, connection: Connection) -> None:
        for leg in self.open.values():
            if leg.dirty:
                self._write_open(leg)
        new, self._new_rows = self._new_rows, []
        moved, self._moved_rows = self._moved_rows, []
        written = store.insert_calls(connection, new) + store.upsert_calls(connection, moved)
        self.summary.calls_written += written
        store.count_batch(connection, [*new, *moved])
        self.presence.write(connection, self._external_id)

    def _write_open(self, leg: Leg) -> None:
        """Queue the row of a call still waiting or talking for this batch's write."""
        (self._moved_rows if leg.stored else self._new_rows).append(self._open_row(leg))
        leg.dirty, leg.stored = False, True

    def _external_id(self, key: str) -> str | None:
        leg = self.open.get(key)
        return leg.external_id if leg is not None else None

    def _open_row(self, leg: Leg) -> tuple:
        state = "waiting" if leg.answered is None else "on_call"
        return (
            leg.queue_id,
            leg.customer_id,
            leg.caller,
            leg.priority,
            state,
            leg.agent_id,
            leg.entered,
            leg.answered,
            None,
            None,
            leg.wait,
            None,
            None,
            store.SOURCE,
            leg.external_id,
            None,
        )

"""Agent presence from the PBX: sessions, pauses and who is on which call.

A session opens when an agent joins their first queue (ADDMEMBER) or logs in
(AGENTLOGIN) and closes when they leave their last queue or log off; PAUSE and
PAUSEALL open one pause, whatever number of queues log it, and UNPAUSE(ALL)
ends it. An event older than the agent's stored state was applied by an earlier
import and is skipped. Sessions and pauses become ``presence_log`` intervals,
the agent's state now its ``agent_status`` row.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection

from svcdesk_tui.ingest import store
from svcdesk_tui.ingest.queue_log import Event


class Agent:
    """An agent's presence as the PBX reports it."""

    __slots__ = (
        "call_key",
        "dirty",
        "members",
        "online",
        "pause_reason",
        "pause_start",
        "paused",
        "session_start",
        "since",
        "staff_id",
    )

    def __init__(self, staff_id: int) -> None:
        self.staff_id = staff_id
        self.online = False
        self.members: set[str] | None = set()  # None: logged in before this import, unknown
        self.session_start: int | None = None
        self.paused = False
        self.pause_start: int | None = None
        self.pause_reason: str | None = None
        self.call_key: str | None = None
        self.since = 0
        self.dirty = False

    @property
    def state(self) -> str:
        if self.call_key is not None:
            return "on_call"
        if not self.online:
            return "offline"
        return "paused" if self.paused else "available"


class Presence:
    """Every agent the import has met, and the intervals to write at the end of a batch."""

    def __init__(self) -> None:
        self.agents: dict[int, Agent] = {}
        self._opened: dict[tuple[int, str, int], dict] = {}
        self._closed: list[dict] = []

    def agent(self, staff_id: int) -> Agent:
        agent = self.agents.get(staff_id)
        if agent is None:
            agent = self.agents[staff_id] = Agent(staff_id)
        return agent

    def recover(self, connection: Connection, call_keys: dict[int, str]) -> None:
        """Read back who is logged in, paused or on a call (``call_keys``: call id → leg)."""
        for staff_id, (state, since, call_id, client) in store.agent_states(connection).items():
            agent = self.agent(staff_id)
            agent.since = since
            agent.members = store.members_from(client) if state != "offline" else set()
            agent.call_key = call_keys.get(call_id) if call_id is not None else None
        for interval in store.open_presence(connection):
            agent = self.agent(interval.staff_id)
            if interval.kind == "session":
                agent.online, agent.session_start = True, interval.started
            elif interval.kind == "pause":
                agent.paused, agent.pause_start = True, interval.started
                agent.pause_reason = interval.reason

    def apply(self, event: Event, staff_id: int) -> bool:
        """Apply an agent event; False when an earlier import already did."""
        agent = self.agent(staff_id)
        if event.at < agent.since:
            return False
        _APPLY[event.kind](self, agent, event)
        return True

    # --- calls -----------------------------------------------------------------

    def busy(self, staff_id: int, key: str, at: int) -> None:
        agent = self.agents.get(staff_id) or self.agent(staff_id)
        if at >= agent.since:  # an older call read again must not move the agent back
            agent.call_key, agent.since, agent.dirty = key, at, True

    def free(self, staff_id: int, key: str, at: int) -> None:
        agent = self.agents.get(staff_id)
        if agent is not None and agent.call_key == key:
            agent.call_key, agent.dirty = None, True
            agent.since = max(agent.since, at)

    # --- events ----------------------------------------------------------------

    def _log_in(self, agent: Agent, event: Event) -> None:
        if event.kind == "ADDMEMBER" and agent.members is not None:
            agent.members.add(event.queue)
        if not agent.online:
            self._open_session(agent, event.at)

    def _open_session(self, agent: Agent, at: int) -> None:
        agent.online, agent.session_start, agent.since, agent.dirty = True, at, at, True
        self._open_interval(agent.staff_id, "session", at, None)

    def _log_off(self, agent: Agent, event: Event) -> None:
        if event.kind == "REMOVEMEMBER" and agent.members is not None:
            agent.members.discard(event.queue)
            if agent.members:
                return  # still a member of another queue
        if not agent.online:
            return
        if agent.paused:
            self._end_pause(agent, event.at)
        if agent.session_start is not None:
            self._close_interval(agent.staff_id, "session", agent.session_start, event.at)
        agent.online, agent.session_start, agent.members = False, None, set()
        agent.since, agent.dirty = event.at, True

    def _pause(self, agent: Agent, event: Event) -> None:
        if agent.paused:
            return
        if not agent.online:  # only queue members can pause: they are there
            self._open_session(agent, event.at)
        reason = (event.text or "paused")[:60]
        agent.paused, agent.pause_start, agent.pause_reason = True, event.at, reason
        agent.since, agent.dirty = event.at, True
        self._open_interval(agent.staff_id, "pause", event.at, reason)

    def _unpause(self, agent: Agent, event: Event) -> None:
        if not agent.paused:
            return
        self._end_pause(agent, event.at)
        agent.since, agent.dirty = event.at, True

    def _end_pause(self, agent: Agent, at: int) -> None:
        if agent.pause_start is not None:
            self._close_interval(agent.staff_id, "pause", agent.pause_start, at)
        agent.paused, agent.pause_start, agent.pause_reason = False, None, None

    def _open_interval(self, staff_id: int, kind: str, at: int, reason: str | None) -> None:
        self._opened[(staff_id, kind, at)] = {
            "staff_id": staff_id,
            "kind": kind,
            "reason": reason,
            "started_at": at,
            "ended_at": None,
        }

    def _close_interval(self, staff_id: int, kind: str, started: int, at: int) -> None:
        pending = self._opened.get((staff_id, kind, started))
        if pending is not None:
            pending["ended_at"] = at
        else:
            self._closed.append(
                {"staff_id": staff_id, "kind": kind, "started_at": started, "ended_at": at}
            )

    # --- writing ---------------------------------------------------------------

    def write(self, connection: Connection, external_id: Callable[[str], str | None]) -> None:
        """Write this batch's intervals and changed agents (``external_id``: leg → its call)."""
        store.write_intervals(connection, list(self._opened.values()), self._closed)
        self._opened, self._closed = {}, []
        dirty = [agent for agent in self.agents.values() if agent.dirty]
        if not dirty:
            return
        for agent in dirty:
            if agent.call_key is not None and external_id(agent.call_key) is None:
                agent.call_key = None  # the call ended while the agent was elsewhere
        on_call = {
            agent.call_key: ext
            for agent in dirty
            if agent.call_key and (ext := external_id(agent.call_key)) is not None
        }
        ids = store.call_ids(connection, list(on_call.values()))
        rows = []
        for agent in dirty:
            state = agent.state
            rows.append(
                {
                    "staff_id": agent.staff_id,
                    "state": state,
                    "reason": agent.pause_reason if state == "paused" else None,
                    "since": agent.since,
                    "call_id": ids.get(on_call.get(agent.call_key or "", "")),
                    "client": store.client_text(agent.members),
                    "heartbeat_at": None,
                }
            )
            agent.dirty = False
        store.upsert_agent_states(connection, rows)


_APPLY: dict[str, Callable[[Presence, Agent, Event], None]] = {
    "ADDMEMBER": Presence._log_in,
    "AGENTLOGIN": Presence._log_in,
    "AGENTCALLBACKLOGIN": Presence._log_in,
    "REMOVEMEMBER": Presence._log_off,
    "AGENTLOGOFF": Presence._log_off,
    "AGENTCALLBACKLOGOFF": Presence._log_off,
    "PAUSE": Presence._pause,
    "PAUSEALL": Presence._pause,
    "UNPAUSE": Presence._unpause,
    "UNPAUSEALL": Presence._unpause,
}
PRESENCE_EVENTS = frozenset(_APPLY)

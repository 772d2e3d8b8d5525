"""PBX queue and agent names onto svcdesk's queues and staff (map files, then names).

A PBX queue is found through the ``--queue-map`` file, else a queue of the same
name (exact, then ignoring case), else it is created with the default targets.
A PBX agent (``SIP/1001``, ``PJSIP/alice`` or a member name) is found through
the ``--agent-map`` file, else the staff login derived from it (``sip-1001``),
else a staff member whose login or full name is exactly the agent's name, else
a staff member is created with role agent, hired on the day of the event.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session, col

from svcdesk_tui.core import audit
from svcdesk_tui.core.clock import Clock
from svcdesk_tui.core.errors import InvalidInput
from svcdesk_tui.models import Queue, Role, Staff
from svcdesk_tui.people import staff
from svcdesk_tui.people.identity import Actor

_NOT_LOGIN = re.compile(r"[^a-z0-9]+")


def derive_login(agent: str) -> str:
    """``SIP/1001`` → ``sip-1001``; ``Local/9990@from-queue`` → ``local-9990-from-queue``."""
    login = _NOT_LOGIN.sub("-", agent.lower()).strip("-")
    return (login or "agent")[:64]


def read_map(path: Path, what: str) -> dict[str, str]:
    """``PBX NAME = svcdesk name`` per line; blank lines and ``#`` comments are ignored."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InvalidInput(f"cannot read the {what} map {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"the {what} map {path} is not UTF-8 text") from None
    mapping: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        pbx, sep, ours = line.partition("=")
        if not sep or not pbx.strip() or not ours.strip():
            raise InvalidInput(f"{path} line {number}: expected 'PBX NAME = svcdesk name'")
        mapping[pbx.strip()] = ours.strip()
    return mapping


@dataclass
class Directory:
    """Resolves and, where needed, creates queues and staff inside the import's transaction."""

    actor: Actor
    clock: Clock
    queue_map: dict[str, str] = field(default_factory=dict)
    agent_map: dict[str, str] = field(default_factory=dict)
    queues: dict[str, int] = field(default_factory=dict)
    agents: dict[str, int] = field(default_factory=dict)
    new_queues: list[str] = field(default_factory=list)
    new_staff: list[tuple[str, str]] = field(default_factory=list)
    _queue_by_name: dict[str, int] = field(default_factory=dict)
    _queue_by_fold: dict[str, list[int]] = field(default_factory=dict)
    _staff_by_login: dict[str, int] = field(default_factory=dict)
    _staff_by_name: dict[str, list[int]] = field(default_factory=dict)

    def load(self, session: Session) -> None:
        """Read every queue and staff member once; check that map targets exist."""
        for queue_id, name in session.execute(select(col(Queue.id), col(Queue.name))):
            self._add_queue(name, queue_id)
        people = select(col(Staff.id), col(Staff.login), col(Staff.name))
        for staff_id, login, name in session.execute(people):
            self._staff_by_login[login] = staff_id
            self._staff_by_name.setdefault(name, []).append(staff_id)
        missing = sorted(set(self.queue_map.values()) - set(self._queue_by_name))
        if missing:
            raise InvalidInput(f"the queue map names queues svcdesk lacks: {', '.join(missing)}")
        missing = sorted(set(self.agent_map.values()) - set(self._staff_by_login))
        if missing:
            raise InvalidInput(f"the agent map names logins svcdesk lacks: {', '.join(missing)}")

    def _add_queue(self, name: str, queue_id: int) -> None:
        self._queue_by_name[name] = queue_id
        self._queue_by_fold.setdefault(name.casefold(), []).append(queue_id)

    def queue_id(self, session: Session, name: str, at: int) -> int:
        create = partial(self._create_queue, session, at=at)
        return _remembered(self.queues, name, self._find_queue, create)

    def _find_queue(self, name: str) -> int | None:
        if name in self.queue_map:
            return self._queue_by_name[self.queue_map[name]]
        if name in self._queue_by_name:
            return self._queue_by_name[name]
        folded = self._queue_by_fold.get(name.casefold(), [])
        return folded[0] if len(folded) == 1 else None

    def _create_queue(self, session: Session, name: str, at: int) -> int:
        queue = Queue(name=name, description="Created by the queue_log import")
        after = {"name": name, "source": "pbx"}
        audit.added(session, self.actor, queue, "queue.add", at=self.clock.now(), after=after)
        assert queue.id is not None
        self._add_queue(name, queue.id)
        self.new_queues.append(name)
        return queue.id

    def staff_id(self, session: Session, agent: str, at: int) -> int:
        create = partial(self._create_staff, session, at=at)
        return _remembered(self.agents, agent, self._find_staff, create)

    def _find_staff(self, agent: str) -> int | None:
        if agent in self.agent_map:
            return self._staff_by_login[self.agent_map[agent]]
        for login in (derive_login(agent), agent):
            if login in self._staff_by_login:
                return self._staff_by_login[login]
        named = self._staff_by_name.get(agent, [])
        return named[0] if len(named) == 1 else None

    def _create_staff(self, session: Session, agent: str, at: int) -> int:
        login = derive_login(agent)
        added = staff.add_staff(
            session,
            self.actor,
            login=login,
            name=agent,
            role=Role.AGENT,
            hired_on=datetime.fromtimestamp(at, UTC).date(),
            now=self.clock.now(),
        )
        assert added.id is not None
        self._staff_by_login[login] = added.id
        self.new_staff.append((login, agent))
        return added.id


def _remembered(
    known: dict[str, int],
    name: str,
    find: Callable[[str], int | None],
    create: Callable[[str], int],
) -> int:
    """The id ``name`` was resolved to before; else the one found, else a new one (remembered)."""
    found = known.get(name)
    if found is None:
        found = known[name] = find(name) or create(name)
    return found

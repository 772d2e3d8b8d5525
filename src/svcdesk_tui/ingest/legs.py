"""A caller's leg in one queue while the importer holds it, and the key that names it."""

from __future__ import annotations

import hashlib

from svcdesk_tui.ingest.queue_log import Event

_KEY_LIMIT = 53  # leaves room for ":" and a 10-digit epoch in the 64-character column


class Leg:
    """A call leg still waiting or talking, as the importer holds it."""

    __slots__ = (
        "agent_id",
        "answered",
        "caller",
        "customer_id",
        "dirty",
        "entered",
        "external_id",
        "key",
        "priority",
        "queue_id",
        "stored",
        "wait",
    )

    def __init__(self, key: str, queue_id: int, entered: int) -> None:
        self.key = key
        self.queue_id = queue_id
        self.entered = entered
        self.external_id = f"{key}:{entered}"  # the call's key in the store
        self.answered: int | None = None
        self.agent_id: int | None = None
        self.wait: int | None = None
        self.caller: str | None = None
        self.customer_id: int | None = None
        self.priority = 0
        self.dirty = True  # changed since its row was last written
        self.stored = False  # the store has a row for it (as waiting or on call)


def leg_key(event: Event) -> str:
    """The caller's leg in one queue: uniqueid and queue, hashed when too long."""
    key = f"{event.uniqueid}:{event.queue}"
    return _hashed(key) if len(key) > _KEY_LIMIT else key


def _hashed(key: str) -> str:
    """A leg key (``uniqueid:queue``) too long to leave room for the entry time."""
    return hashlib.sha1(key.encode("utf-8", "surrogateescape")).hexdigest()

"""What each role may do: one table, checked by every service that acts."""

from __future__ import annotations

from enum import StrEnum

from ..errors import PermissionDenied
from ..models import Role
from .identity import Actor


class Action(StrEnum):
    TAKE_CALL = "take a call"
    COMPLETE_CALL = "complete a call"
    PAUSE = "pause or resume"
    ASSIGN_CALL = "assign a call to an agent"
    VIEW_ALL_AGENTS = "see every agent's state"
    VIEW_CUSTOMER = "open a customer card"
    MANAGE_STAFF = "add or change staff"
    RUN_SIMULATION = "feed simulated calls"


_AGENT = {Action.TAKE_CALL, Action.COMPLETE_CALL, Action.PAUSE, Action.VIEW_CUSTOMER}
_LEAD = _AGENT | {Action.ASSIGN_CALL, Action.VIEW_ALL_AGENTS}

ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.AGENT: frozenset(_AGENT),
    Role.LEAD: frozenset(_LEAD),
    Role.MANAGER: frozenset(_LEAD | {Action.MANAGE_STAFF, Action.RUN_SIMULATION}),
    Role.EXECUTIVE: frozenset({Action.VIEW_ALL_AGENTS, Action.VIEW_CUSTOMER}),
    Role.ADMIN: frozenset(set(Action)),
}


def allowed(actor: Actor, action: Action) -> bool:
    return action in ROLE_ACTIONS.get(Role(actor.role), frozenset())


def require(actor: Actor, action: Action) -> None:
    """Raise :class:`PermissionDenied` with the reason when the role may not act."""
    if not allowed(actor, action):
        raise PermissionDenied(f"{actor.login} ({actor.role}) may not {action.value}")

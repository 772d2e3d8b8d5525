"""What each role may do: one table, checked by every service that acts."""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, or_, true
from sqlmodel import col

from svcdesk_tui.core.errors import PermissionDenied
from svcdesk_tui.models import AuditEntry, Complaint, Role
from svcdesk_tui.people.identity import Actor


class Action(StrEnum):
    TAKE_CALL = "take a call"
    COMPLETE_CALL = "complete a call"
    PAUSE = "pause or resume"
    ASSIGN_CALL = "assign a call to an agent"
    VIEW_ALL_AGENTS = "see every agent's state"
    VIEW_CUSTOMER = "open a customer card"
    MANAGE_STAFF = "add or change staff"
    RUN_SIMULATION = "feed simulated calls"
    OPEN_COMPLAINT = "open a complaint"
    WORK_COMPLAINT = "resolve or follow up a complaint"
    CLOSE_UNCONFIRMED = "close a complaint as unconfirmed"
    RECORD_FEEDBACK = "record customer feedback"
    FOLLOW_UP_FEEDBACK = "follow up bad feedback"
    GRANT_COMPENSATION = "grant or request compensation"
    APPROVE_COMPENSATION = "approve or reject compensation"
    RAISE_ESCALATION = "raise an escalation"
    HANDLE_ESCALATION = "accept, resolve or pass on an escalation"
    VIEW_ESCALATION_MEASURES = "see the escalation measures"
    VIEW_CARIBBEAN = "see the Caribbean test"
    EDIT_SKILLS = "change procedures, skills, approval rights or absences"
    INGEST_TELEPHONY = "import the PBX's queue_log"
    VIEW_ALL_COMPLAINTS = "see every complaint, not only their own"
    CHANGE_SETTINGS = "change the center's settings"
    EVALUATE_CALLS = "evaluate calls and draw the sample"
    MANAGE_FORMS = "import evaluation forms or attach recordings"
    SETTLE_DISPUTES = "settle a disputed evaluation"
    PLAY_RECORDINGS = "play call recordings"


_AGENT = {Action.TAKE_CALL, Action.COMPLETE_CALL, Action.PAUSE, Action.VIEW_CUSTOMER}
_AGENT |= {
    Action.OPEN_COMPLAINT,
    Action.WORK_COMPLAINT,
    Action.RECORD_FEEDBACK,
    Action.GRANT_COMPENSATION,
}
_LEAD = _AGENT | {Action.ASSIGN_CALL, Action.VIEW_ALL_AGENTS, Action.VIEW_ALL_COMPLAINTS}
_LEAD |= {Action.CLOSE_UNCONFIRMED, Action.APPROVE_COMPENSATION}
_AGENT_ESCALATION = {Action.RAISE_ESCALATION}  # from their own calls/cases only
_ESCALATION_HANDLER = {Action.HANDLE_ESCALATION, Action.VIEW_ESCALATION_MEASURES}
_AGENT |= _AGENT_ESCALATION
_LEAD |= _AGENT_ESCALATION | _ESCALATION_HANDLER
_CARIBBEAN_VIEW = {Action.VIEW_CARIBBEAN}  # leads, managers, executives; not agents
_LEAD |= _CARIBBEAN_VIEW
_LEAD |= {Action.EVALUATE_CALLS, Action.PLAY_RECORDINGS}  # never agents: no one scores peers

ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.AGENT: frozenset(_AGENT),
    Role.LEAD: frozenset(_LEAD),
    Role.MANAGER: frozenset(_LEAD | {Action.MANAGE_STAFF, Action.RUN_SIMULATION})
    | {Action.FOLLOW_UP_FEEDBACK}
    | {Action.EDIT_SKILLS}
    | {Action.INGEST_TELEPHONY}
    | {Action.CHANGE_SETTINGS}
    | {Action.MANAGE_FORMS, Action.SETTLE_DISPUTES},
    Role.EXECUTIVE: frozenset(
        {Action.VIEW_ALL_AGENTS, Action.VIEW_CUSTOMER, Action.VIEW_ALL_COMPLAINTS}
    )
    | _ESCALATION_HANDLER
    | _CARIBBEAN_VIEW,
    Role.ADMIN: frozenset(set(Action)),
    Role.WALLBOARD: frozenset(),  # the wallboard needs no right: it changes nothing
}
WALLBOARD_ONLY = frozenset({Role.WALLBOARD})
"""Roles that may open the wallboard and nothing else (the TV's login)."""


REFUSAL_AUDIT_ACTION = "permission.refused"


class ActionRefused(PermissionDenied):
    """The role table refused an action. The message says why; the store records the attempt.

    ``Database.write`` and ``Database.read`` add :meth:`audit_entry` in a transaction of
    its own, since the refused transaction itself is rolled back.
    """

    def __init__(self, actor: Actor, action: Action, reason: str | None = None) -> None:
        super().__init__(reason or f"{actor.login} ({actor.role}) may not {action.value}")
        self.actor = actor
        self.action = action

    def audit_entry(self, at: datetime) -> AuditEntry:
        return refusal_entry(self.actor, self.action, at)


def refusal_entry(actor: Actor, action: Action, at: datetime) -> AuditEntry:
    """The audit row of a refused attempt: who tried what, with which role."""
    return AuditEntry(
        at=at,
        actor_id=actor.id,
        actor_login=actor.login,
        action=REFUSAL_AUDIT_ACTION,
        entity="action",
        entity_id=action.name.lower(),
        after=json.dumps({"role": actor.role, "action": action.value}),
    )


def allowed(actor: Actor, action: Action) -> bool:
    return action in ROLE_ACTIONS.get(Role(actor.role), frozenset())


def require(actor: Actor, action: Action) -> None:
    """Raise :class:`ActionRefused` with the reason when the role may not act."""
    if not allowed(actor, action):
        raise ActionRefused(actor, action)


def require_desk(actor: Actor) -> None:
    """The desk shows callers and agents by name: a wallboard-only login may not open it."""
    if actor.role in WALLBOARD_ONLY:
        raise PermissionDenied(
            f"{actor.login} ({actor.role}) may see the wallboard only: run `svcdesk wallboard`"
        )


def complaints_visible_to(viewer: Actor) -> ColumnElement[bool]:
    """A WHERE clause: every complaint, or only those the viewer opened, owns or follows up."""
    if allowed(viewer, Action.VIEW_ALL_COMPLAINTS):
        return true()
    return or_(
        col(Complaint.opened_by_id) == viewer.id,
        col(Complaint.owner_id) == viewer.id,
        col(Complaint.followup_owner_id) == viewer.id,
    )

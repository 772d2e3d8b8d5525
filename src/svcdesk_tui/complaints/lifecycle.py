"""The complaint lifecycle: only the customer's confirmation closes a complaint.

open → in progress → resolved, awaiting confirmation → closed (confirmed).
"Not solved" reopens it; the earlier close stays in the history, marked void.
After ``followup_max_attempts`` failed attempts a lead may close it as unconfirmed.
A new complaint of the same customer and category within the repeat window of a
closed one is linked to it (``repeat_of_id``): closed without real treatment.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session, col

from svcdesk_tui.complaints.records import (
    DEFAULT_CATEGORIES,
    FAILED_RESULTS,
    attempts,
    categories,
    closures,
    failed_attempts,
    followup_candidates,
    pending_compensation,
    require_customers,
)
from svcdesk_tui.core import audit
from svcdesk_tui.core.errors import Conflict, InvalidInput, NotFound, stripped
from svcdesk_tui.core.rows import existing
from svcdesk_tui.core.settings import CenterSettings
from svcdesk_tui.models import (
    AttemptResult,
    Call,
    Complaint,
    ComplaintClosure,
    ComplaintState,
    Customer,
    FollowUpAttempt,
    Staff,
)
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, require

__all__ = [  # the desk's reads are re-exported: the screen and the CLI need only this module
    "CLOSED_STATES",
    "DEFAULT_CATEGORIES",
    "FAILED_RESULTS",
    "RESULT_WORDS",
    "attempts",
    "categories",
    "close_unconfirmed",
    "closures",
    "confirm",
    "failed_attempts",
    "followup_candidates",
    "get_complaint",
    "log_attempt",
    "open_complaint",
    "pending_compensation",
    "reopen",
    "resolve",
    "start_work",
]

CLOSED_STATES = (ComplaintState.CLOSED, ComplaintState.CLOSED_UNCONFIRMED)
RESULT_WORDS = {
    AttemptResult.CONFIRMED: "reached, confirmed solved",
    AttemptResult.NOT_SOLVED: "reached, not solved",
    AttemptResult.NO_ANSWER: "no answer",
    AttemptResult.LEFT_MESSAGE: "left a message",
}


def get_complaint(session: Session, complaint_id: int) -> Complaint:
    return existing(session, Complaint, complaint_id, f"no complaint #{complaint_id}")


def _state_words(state: str) -> str:
    return state.replace("_", " ")


def _active_staff(session: Session, staff_id: int) -> Staff:
    staff = session.get(Staff, staff_id)
    if staff is None or staff.left_on is not None:
        raise InvalidInput(f"no active staff member {staff_id}")
    return staff


def open_complaint(
    session: Session,
    actor: Actor,
    settings: CenterSettings,
    *,
    now: datetime,
    customer_id: int,
    category: str,
    description: str = "",
    call_id: int | None = None,
    owner_id: int | None = None,
    promised_by: datetime | None = None,
) -> Complaint:
    """Open a complaint; link it to a recently closed one of the same kind (a repeat)."""
    require(actor, Action.OPEN_COMPLAINT)
    category = stripped(category, "a complaint needs a category")
    if session.get(Customer, customer_id) is None:
        raise NotFound(f"no customer {customer_id}")
    if call_id is not None:
        refusal = f"call {call_id} is not a call of customer {customer_id}"
        require_customers(session.get(Call, call_id), customer_id, refusal)
    if owner_id is not None:
        _active_staff(session, owner_id)
    if promised_by is not None and promised_by < now:
        raise InvalidInput("the promised time lies in the past")
    complaint = Complaint(
        customer_id=customer_id,
        call_id=call_id,
        category=category,
        description=description.strip(),
        opened_by_id=actor.id,
        owner_id=owner_id or actor.id,
        state=ComplaintState.OPEN,
        opened_at=now,
        promised_by=promised_by,
        repeat_of_id=find_repeat_base(
            session, customer_id, category, settings.repeat_complaint_window_days, now=now
        ),
    )
    repeat_of = complaint.repeat_of_id
    after = {"customer_id": customer_id, "category": category, "repeat_of": repeat_of}
    audit.added(session, actor, complaint, "complaint.open", at=now, after=after)
    return complaint


def find_repeat_base(
    session: Session, customer_id: int, category: str, window_days: int, *, now: datetime
) -> int | None:
    """The latest complaint of this customer and category closed within the window."""
    return session.execute(
        select(col(Complaint.id))
        .where(
            col(Complaint.customer_id) == customer_id,
            col(Complaint.category) == category,
            col(Complaint.state).in_(CLOSED_STATES),
            col(Complaint.closed_at) >= now - timedelta(days=window_days),
        )
        .order_by(col(Complaint.closed_at).desc(), col(Complaint.id).desc())
        .limit(1)
    ).scalar_one_or_none()


def start_work(session: Session, actor: Actor, complaint_id: int, *, now: datetime) -> Complaint:
    """Take an open complaint: it is in progress and the actor owns it."""
    require(actor, Action.WORK_COMPLAINT)
    complaint = get_complaint(session, complaint_id)
    if complaint.state != ComplaintState.OPEN:
        raise Conflict(f"complaint #{complaint_id} is {_state_words(complaint.state)}, not open")
    before = {"state": complaint.state, "owner_id": complaint.owner_id}
    complaint.state, complaint.owner_id = ComplaintState.IN_PROGRESS, actor.id
    audit.record(
        session,
        actor,
        "complaint.start",
        "complaint",
        complaint_id,
        at=now,
        before=before,
        after={"state": complaint.state, "owner_id": actor.id},
    )
    return complaint


def resolve(
    session: Session,
    actor: Actor,
    complaint_id: int,
    settings: CenterSettings,
    *,
    now: datetime,
    followup_owner_id: int | None = None,
    note: str = "",
) -> Complaint:
    """The problem is treated: name who calls the customer back, and by when."""
    require(actor, Action.WORK_COMPLAINT)
    complaint = get_complaint(session, complaint_id)
    if complaint.state not in (ComplaintState.OPEN, ComplaintState.IN_PROGRESS):
        raise Conflict(
            f"complaint #{complaint_id} is {_state_words(complaint.state)}; "
            "only an open or in-progress complaint can be resolved"
        )
    owner = _active_staff(session, followup_owner_id or actor.id)
    complaint.state = ComplaintState.AWAITING_CONFIRMATION
    complaint.resolved_at = now
    complaint.followup_owner_id = owner.id
    complaint.followup_due_at = now + timedelta(hours=settings.followup_due_hours)
    audit.record(
        session,
        actor,
        "complaint.resolve",
        "complaint",
        complaint_id,
        at=now,
        after={
            "state": complaint.state,
            "followup_owner": owner.login,
            "followup_due_at": complaint.followup_due_at,
            "note": note.strip() or None,
        },
    )
    return complaint


def _refuse_if_pending(session: Session, complaint_id: int) -> None:
    pending = pending_compensation(session, complaint_id)
    if pending is not None:
        raise Conflict(
            f"complaint #{complaint_id} cannot be closed while compensation request "
            f"#{pending} waits for approval; have it approved or rejected first"
        )


def log_attempt(
    session: Session,
    actor: Actor,
    complaint_id: int,
    result: str,
    *,
    now: datetime,
    note: str = "",
) -> Complaint:
    """Record one call-back. Confirmed closes; not solved reopens; others are counted."""
    require(actor, Action.WORK_COMPLAINT)
    if result not in set(AttemptResult):
        raise InvalidInput(f"result must be one of {', '.join(AttemptResult)}")
    complaint = get_complaint(session, complaint_id)
    if complaint.state != ComplaintState.AWAITING_CONFIRMATION:
        raise Conflict(
            f"complaint #{complaint_id} is {_state_words(complaint.state)}; "
            "follow-up attempts are for resolved complaints awaiting confirmation"
        )
    if result == AttemptResult.CONFIRMED:
        _refuse_if_pending(session, complaint_id)
    session.add(
        FollowUpAttempt(
            complaint_id=complaint_id,
            staff_id=actor.id,
            at=now,
            result=result,
            note=note.strip() or None,
        )
    )
    audit.record(
        session,
        actor,
        "complaint.attempt",
        "complaint",
        complaint_id,
        at=now,
        after={"result": result, "note": note.strip() or None},
    )
    if result == AttemptResult.CONFIRMED:
        _close(session, actor, complaint_id, complaint, ComplaintState.CLOSED, now=now)
    elif result == AttemptResult.NOT_SOLVED:
        _reopen(session, actor, complaint, note, now=now)
    return complaint


def confirm(
    session: Session, actor: Actor, complaint_id: int, *, now: datetime, note: str = ""
) -> Complaint:
    """The customer was reached and says the problem is solved: close it."""
    return log_attempt(session, actor, complaint_id, AttemptResult.CONFIRMED, now=now, note=note)


def close_unconfirmed(
    session: Session, actor: Actor, complaint_id: int, settings: CenterSettings, *, now: datetime
) -> Complaint:
    """A lead closes a complaint whose customer could not be reached often enough."""
    require(actor, Action.CLOSE_UNCONFIRMED)
    complaint = get_complaint(session, complaint_id)
    if complaint.state != ComplaintState.AWAITING_CONFIRMATION:
        raise Conflict(
            f"complaint #{complaint_id} is {_state_words(complaint.state)}; only a resolved "
            "complaint awaiting confirmation can be closed"
        )
    failed = failed_attempts(session, complaint)
    wanted = settings.followup_max_attempts
    if failed < wanted:
        raise Conflict(
            f"complaint #{complaint_id} cannot be closed without the customer's confirmation: "
            f"{failed} of {wanted} failed attempts logged; keep trying to reach the customer"
        )
    _refuse_if_pending(session, complaint_id)
    _close(session, actor, complaint_id, complaint, ComplaintState.CLOSED_UNCONFIRMED, now=now)
    return complaint


def _close(
    session: Session,
    actor: Actor,
    complaint_id: int,
    complaint: Complaint,
    state: ComplaintState,
    *,
    now: datetime,
) -> None:
    kind = "confirmed" if state == ComplaintState.CLOSED else "unconfirmed"
    before = complaint.state
    complaint.state, complaint.closed_at = state, now
    session.add(
        ComplaintClosure(complaint_id=complaint_id, kind=kind, closed_at=now, closed_by_id=actor.id)
    )
    audit.record(
        session,
        actor,
        "complaint.close",
        "complaint",
        complaint.id,
        at=now,
        before={"state": before},
        after={"state": state, "kind": kind},
    )


def reopen(
    session: Session, actor: Actor, complaint_id: int, *, now: datetime, note: str = ""
) -> Complaint:
    """The customer says it is not solved: back to work; any close is voided, not deleted."""
    require(actor, Action.WORK_COMPLAINT)
    complaint = get_complaint(session, complaint_id)
    if complaint.state == ComplaintState.AWAITING_CONFIRMATION:
        return log_attempt(
            session, actor, complaint_id, AttemptResult.NOT_SOLVED, now=now, note=note
        )
    if complaint.state not in CLOSED_STATES:
        raise Conflict(
            f"complaint #{complaint_id} is {_state_words(complaint.state)}; only a resolved or "
            "closed complaint can be reopened"
        )
    _reopen(session, actor, complaint, note, now=now)
    return complaint


def _reopen(
    session: Session, actor: Actor, complaint: Complaint, note: str, *, now: datetime
) -> None:
    before = complaint.state
    closure = session.execute(
        select(ComplaintClosure)
        .where(
            col(ComplaintClosure.complaint_id) == complaint.id,
            col(ComplaintClosure.void).is_(False),
        )
        .order_by(col(ComplaintClosure.closed_at).desc())
        .limit(1)
    ).scalar_one_or_none()
    if closure is not None:
        closure.void, closure.voided_at = True, now
    complaint.state = ComplaintState.IN_PROGRESS
    complaint.closed_at = None
    complaint.followup_due_at = None
    complaint.reopen_count += 1
    audit.record(
        session,
        actor,
        "complaint.reopen",
        "complaint",
        complaint.id,
        at=now,
        before={"state": before},
        after={
            "state": complaint.state,
            "reopen_count": complaint.reopen_count,
            "voided_closure": closure.id if closure else None,
            "note": note.strip() or None,
        },
    )

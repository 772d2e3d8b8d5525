"""Compensation within one's authority; above it, approval by someone whose limit covers it.

An agent grants a refund, credit, replacement or free delivery up to their personal
limit (``col(Staff.compensation_limit_cents)``, set by a manager). A larger request waits
as *pending* until a lead or manager with a high enough limit approves or rejects it
with a note. Nobody decides their own request. An ``ApprovalAuthority`` of kind
``compensation`` raises a person's approval limit (no limit_cents: no upper bound).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlmodel import Session, col

from svcdesk_tui.complaints.lifecycle import CLOSED_STATES
from svcdesk_tui.complaints.records import require_customers
from svcdesk_tui.core import audit
from svcdesk_tui.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from svcdesk_tui.core.names import name_of
from svcdesk_tui.core.rows import existing
from svcdesk_tui.models import (
    ApprovalAuthority,
    Call,
    Compensation,
    CompensationKind,
    CompensationState,
    Complaint,
    Customer,
    Staff,
)
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, allowed, require

AUTHORITY_KIND = "compensation"
KIND_WORDS = {
    CompensationKind.REFUND: "Refund",
    CompensationKind.CREDIT: "Credit",
    CompensationKind.REPLACEMENT: "Replacement",
    CompensationKind.FREE_DELIVERY: "Free delivery",
}
UNLIMITED = 2**62


def parse_amount(text: str) -> int:
    """``"12.50"`` (or ``"12,50"``) → 1250 cents; refuses nonsense and non-positive amounts."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise InvalidInput(f"{text!r} is not an amount (write it like 12.50)") from None
    if not value.is_finite() or value <= 0:
        raise InvalidInput("the amount must be more than zero")
    if value != value.quantize(Decimal("0.01")):
        raise InvalidInput("the amount has more than two decimals")
    return int(value * 100)


def format_amount(cents: int) -> str:
    return f"{cents // 100:,}.{cents % 100:02d}"


def limit_of(session: Session, staff_id: int) -> int:
    """What this person may grant or approve, in cents (read fresh from the store)."""
    staff = existing(session, Staff, staff_id, f"no staff member {staff_id}")
    limit = staff.compensation_limit_cents
    for extra in session.execute(
        select(col(ApprovalAuthority.limit_cents)).where(
            col(ApprovalAuthority.staff_id) == staff_id,
            col(ApprovalAuthority.kind) == AUTHORITY_KIND,
        )
    ).scalars():
        limit = max(limit, UNLIMITED if extra is None else extra)
    return limit


def _limit_words(cents: int) -> str:
    return "no upper limit" if cents >= UNLIMITED else format_amount(cents)


def request(
    session: Session,
    actor: Actor,
    *,
    now: datetime,
    customer_id: int,
    kind: str,
    amount_cents: int,
    complaint_id: int | None = None,
    call_id: int | None = None,
    note: str = "",
) -> Compensation:
    """Grant at once within the actor's limit; above it the request waits for approval."""
    require(actor, Action.GRANT_COMPENSATION)
    if kind not in set(CompensationKind):
        raise InvalidInput(f"kind must be one of {', '.join(CompensationKind)}")
    if amount_cents <= 0:
        raise InvalidInput("the amount must be more than zero")
    if session.get(Customer, customer_id) is None:
        raise NotFound(f"no customer {customer_id}")
    if complaint_id is not None:
        complaint = session.get(Complaint, complaint_id)
        refusal = f"complaint #{complaint_id} is not a complaint of this customer"
        require_customers(complaint, customer_id, refusal)
        assert complaint is not None
        if complaint.state in CLOSED_STATES:
            raise Conflict(f"complaint #{complaint_id} is closed; reopen it first")
    if call_id is not None:
        refusal = f"call {call_id} is not a call of this customer"
        require_customers(session.get(Call, call_id), customer_id, refusal)
    within = amount_cents <= limit_of(session, actor.id)
    compensation = Compensation(
        customer_id=customer_id,
        complaint_id=complaint_id,
        call_id=call_id,
        kind=kind,
        amount_cents=amount_cents,
        requested_by_id=actor.id,
        requested_at=now,
        state=CompensationState.GRANTED if within else CompensationState.PENDING,
        decided_by_id=actor.id if within else None,
        decided_at=now if within else None,
        note=note.strip() or None,
    )
    audit.added(
        session,
        actor,
        compensation,
        "compensation.grant" if within else "compensation.request",
        at=now,
        after={
            "kind": kind,
            "amount_cents": amount_cents,
            "state": compensation.state,
            "complaint_id": complaint_id,
        },
    )
    return compensation


def decide(
    session: Session,
    actor: Actor,
    compensation_id: int,
    *,
    now: datetime,
    approve: bool,
    note: str,
) -> Compensation:
    """Decide a pending request with a note; never one's own, never above one's limit."""
    require(actor, Action.APPROVE_COMPENSATION)
    compensation = existing(
        session, Compensation, compensation_id, f"no compensation request #{compensation_id}"
    )
    if compensation.state != CompensationState.PENDING:
        raise Conflict(f"compensation request #{compensation_id} is already {compensation.state}")
    if compensation.requested_by_id == actor.id:
        raise PermissionDenied(
            f"nobody approves their own request: #{compensation_id} must be decided by "
            "someone else whose limit covers it"
        )
    limit = limit_of(session, actor.id)
    if approve and compensation.amount_cents > limit:
        raise PermissionDenied(
            f"your limit ({_limit_words(limit)}) does not cover "
            f"{format_amount(compensation.amount_cents)}; it needs someone with a higher limit"
        )
    if not note.strip():
        raise InvalidInput("write a note to say why it is approved or rejected")
    compensation.state = CompensationState.APPROVED if approve else CompensationState.REJECTED
    compensation.decided_by_id, compensation.decided_at = actor.id, now
    compensation.note = "\n".join(part for part in (compensation.note, note.strip()) if part)
    audit.record(
        session,
        actor,
        "compensation.approve" if approve else "compensation.reject",
        "compensation",
        compensation_id,
        at=now,
        before={"state": CompensationState.PENDING},
        after={"state": compensation.state, "note": note.strip()},
    )
    return compensation


def set_limit(
    session: Session, actor: Actor, login: str, amount_cents: int, *, now: datetime
) -> Staff:
    """A manager sets a person's compensation limit (never their own)."""
    require(actor, Action.MANAGE_STAFF)
    if amount_cents < 0:
        raise InvalidInput("a compensation limit cannot be negative")
    staff = session.execute(select(Staff).where(col(Staff.login) == login)).scalar_one_or_none()
    if staff is None:
        raise NotFound(f"no staff member {login!r}")
    if staff.id == actor.id:
        raise PermissionDenied("nobody sets their own compensation limit; ask another manager")
    before = staff.compensation_limit_cents
    staff.compensation_limit_cents = amount_cents
    audit.record(
        session,
        actor,
        "staff.compensation_limit",
        "staff",
        staff.id,
        at=now,
        before={"compensation_limit_cents": before},
        after={"compensation_limit_cents": amount_cents},
    )
    return staff


@dataclass(frozen=True)
class PendingApproval:
    compensation_id: int
    customer: str
    complaint_id: int | None
    kind: str
    amount_cents: int
    requested_by: str
    requested_at: datetime
    note: str | None
    may_decide: bool  # the viewer may approve it (not their own, within their limit)


def pending_approvals(session: Session, viewer: Actor) -> list[PendingApproval]:
    """Requests waiting for approval, oldest first, each saying whether the viewer may decide."""
    rows = session.execute(
        select(
            col(Compensation.id),
            name_of(Customer, Compensation.customer_id),
            col(Compensation.complaint_id),
            col(Compensation.kind),
            col(Compensation.amount_cents),
            name_of(Staff, Compensation.requested_by_id),
            col(Compensation.requested_at),
            col(Compensation.note),
            col(Compensation.requested_by_id),
        )
        .where(col(Compensation.state) == CompensationState.PENDING)
        .order_by(col(Compensation.requested_at), col(Compensation.id))
    ).all()
    can = allowed(viewer, Action.APPROVE_COMPENSATION)
    limit = limit_of(session, viewer.id) if can and rows else 0
    return [
        PendingApproval(
            cid,
            customer,
            complaint,
            kind,
            cents,
            who,
            at,
            note,
            may_decide=can and by_id != viewer.id and cents <= limit,
        )
        for cid, customer, complaint, kind, cents, who, at, note, by_id in rows
    ]

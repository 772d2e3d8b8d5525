"""What every new center starts with: the escalation ladder and contact reasons."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from svcdesk_tui.models import ContactReason, EscalationLevel, Role

# (rank, code, name, role that answers at this level, minutes to accept)
DEFAULT_LADDER: tuple[tuple[int, str, str, Role, int], ...] = (
    (1, "agent", "Agent", Role.AGENT, 15),
    (2, "lead", "Shift lead", Role.LEAD, 30),
    (3, "manager", "Service manager", Role.MANAGER, 60),
    (4, "executive", "Executive", Role.EXECUTIVE, 240),
)

DEFAULT_REASONS: tuple[tuple[str, str], ...] = (
    ("how_to_use", "How to operate the product"),
    ("fault", "Fault or outage"),
    ("billing", "Billing question"),
    ("delivery", "Delivery status"),
    ("contract", "Contract change"),
    ("cancel", "Cancellation"),
    ("complaint", "Complaint"),
    ("other", "Other"),
)


def seed_defaults(session: Session) -> None:
    """Insert the default ladder and reasons into an empty center (idempotent)."""
    if not session.execute(select(func.count()).select_from(EscalationLevel)).scalar_one():
        for rank, code, name, role, minutes in DEFAULT_LADDER:
            session.add(
                EscalationLevel(
                    rank=rank, code=code, name=name, role=role, response_minutes=minutes
                )
            )
    if not session.execute(select(func.count()).select_from(ContactReason)).scalar_one():
        for code, label in DEFAULT_REASONS:
            session.add(ContactReason(code=code, label=label))

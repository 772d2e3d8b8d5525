"""Opening a complaint and granting compensation, from any screen that runs moves.

The Queue screen uses these during a live call (keys ``o`` and ``g``); the
Complaints screen uses the compensation form for a selected complaint. Reads run
in thread workers; the change runs through the calling screen's ``run_move``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session

from svcdesk_tui.complaints import compensation
from svcdesk_tui.complaints import lifecycle as complaints
from svcdesk_tui.core.errors import NotFound
from svcdesk_tui.queue import live as queue_service
from svcdesk_tui.screens.common.failures import guarded
from svcdesk_tui.screens.common.moves import MoveRunner
from svcdesk_tui.screens.complaints.forms import (
    CompensationAsk,
    CompensationScreen,
    NewComplaint,
    OpenComplaintScreen,
)
from svcdesk_tui.screens.complaints.rows import kind_words

UNKNOWN_CALLER = "the caller is not a known customer"


def _in_worker(screen: MoveRunner, title: str, body: Callable[[MoveRunner], None]) -> None:
    """Run ``body`` in a thread worker of ``screen``; a failure is said under ``title``."""
    screen.run_worker(lambda: guarded(title)(body)(screen), thread=True, group="forms")


def open_complaint_for_call(screen: MoveRunner, call_id: int) -> None:
    """Ask for a category and a description, then open a complaint for the call's customer."""

    def read(screen: MoveRunner) -> None:
        with screen.app.db.read() as session:
            summary = queue_service.call_summary(session, call_id)
            categories = complaints.categories(session)
        if summary.customer_id is None:
            raise NotFound(UNKNOWN_CALLER)
        _ask_and_open(screen, summary.customer_id, summary.caller, categories, call_id)

    _in_worker(screen, "Could not open a complaint", read)


def open_complaint_for_customer(screen: MoveRunner, customer_id: int, name: str) -> None:
    """The same, for a complaint that came in by letter, mail or a call already ended."""

    def read(screen: MoveRunner) -> None:
        with screen.app.db.read() as session:
            categories = complaints.categories(session)
        _ask_and_open(screen, customer_id, name, categories, None)

    _in_worker(screen, "Could not open a complaint", read)


def _ask_and_open(
    screen: MoveRunner,
    customer_id: int,
    name: str,
    categories: list[tuple[str, str]],
    call_id: int | None,
) -> None:
    """From a worker thread: show the complaint form, then open it as a move."""
    actor, settings = screen.app.actor, screen.app.settings

    def move(session: Session, draft: NewComplaint, *, now: datetime) -> str:
        complaint = complaints.open_complaint(
            session,
            actor,
            settings,
            now=now,
            customer_id=customer_id,
            call_id=call_id,
            category=draft.category,
            description=draft.description,
        )
        said = f"Complaint #{complaint.id} opened"
        if complaint.repeat_of_id is not None:
            said += (
                f" — REPEAT of #{complaint.repeat_of_id}, closed without real treatment "
                "(counted against its owner)"
            )
        return said

    form = OpenComplaintScreen(name, categories)
    screen.app.call_from_thread(screen.move_after, form, "open the complaint", move)


def compensate(
    screen: MoveRunner,
    *,
    customer_id: int | None = None,
    call_id: int | None = None,
    complaint_id: int | None = None,
    customer_name: str = "the customer",
) -> None:
    """Ask kind and amount, then grant it (within the actor's limit) or ask for approval."""
    actor = screen.app.actor

    def read(screen: MoveRunner) -> None:
        who, name = customer_id, customer_name
        with screen.app.db.read() as session:
            if call_id is not None:
                summary = queue_service.call_summary(session, call_id)
                who, name = summary.customer_id, summary.caller
            limit = compensation.limit_of(session, actor.id)
        if who is None:
            raise NotFound(UNKNOWN_CALLER)
        customer = who

        def move(session: Session, ask: CompensationAsk, *, now: datetime) -> str:
            row = compensation.request(
                session,
                actor,
                now=now,
                customer_id=customer,
                kind=ask.kind,
                amount_cents=ask.amount_cents,
                complaint_id=complaint_id,
                call_id=call_id,
                note=ask.note,
            )
            amount = compensation.format_amount(row.amount_cents)
            if row.state == "granted":
                return f"Granted: {kind_words(row.kind)} {amount}"
            return f"Above your limit: request #{row.id} ({amount}) waits for approval"

        form = CompensationScreen(name, limit)
        screen.app.call_from_thread(screen.move_after, form, "compensate", move)

    _in_worker(screen, "Could not compensate", read)

"""Opening a complaint and granting compensation, from any screen that has a ``run_move``.

The Queue screen uses these during a live call (keys ``o`` and ``g``); the
Complaints screen uses the compensation form for a selected complaint. Reads run
in thread workers; the move runs through the calling screen's ``run_move``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session
from textual.screen import Screen

from svcdesk_tui.complaints import compensation
from svcdesk_tui.complaints import lifecycle as complaints
from svcdesk_tui.core.errors import SvcdeskError
from svcdesk_tui.queue import live as queue_service
from svcdesk_tui.screens.complaints.forms import (
    CompensationAsk,
    CompensationScreen,
    NewComplaint,
    OpenComplaintScreen,
)


def _fail(screen: Screen[Any], title: str, message: str) -> None:
    screen.app.call_from_thread(screen.notify, message, title=title, severity="error")


def open_complaint_for_call(screen: Screen[Any], call_id: int) -> None:
    """Ask for a category and a description, then open a complaint for the call's customer."""
    app: Any = screen.app

    def read() -> None:
        try:
            with app.db.read() as session:
                summary = queue_service.call_summary(session, call_id)
                categories = complaints.categories(session)
        except SvcdeskError as error:
            _fail(screen, "Could not open a complaint", error.message)
            return
        if summary.customer_id is None:
            _fail(screen, "Could not open a complaint", "the caller is not a known customer")
            return
        _ask_and_open(screen, summary.customer_id, summary.caller, categories, call_id)

    screen.run_worker(read, thread=True, group="forms")


def open_complaint_for_customer(screen: Screen[Any], customer_id: int, name: str) -> None:
    """The same, for a complaint that came in by letter, mail or a call already ended."""
    app: Any = screen.app

    def read() -> None:
        try:
            with app.db.read() as session:
                categories = complaints.categories(session)
        except SvcdeskError as error:
            _fail(screen, "Could not open a complaint", error.message)
            return
        _ask_and_open(screen, customer_id, name, categories, None)

    screen.run_worker(read, thread=True, group="forms")


def _ask_and_open(
    screen: Screen[Any],
    customer_id: int,
    name: str,
    categories: list[tuple[str, str]],
    call_id: int | None,
) -> None:
    """From a worker thread: show the complaint form, then open it as a move."""
    app: Any = screen.app

    def done(draft: NewComplaint | None) -> None:
        if draft is not None:
            screen.run_move(  # type: ignore[attr-defined]
                "open the complaint", _open_move(app, customer_id, call_id, draft)
            )

    app.call_from_thread(app.push_screen, OpenComplaintScreen(name, categories), done)


def _open_move(app: Any, customer_id: int, call_id: int | None, draft: NewComplaint):  # type: ignore[no-untyped-def]
    def move(session: Session, now: datetime) -> str:
        complaint = complaints.open_complaint(
            session,
            app.actor,
            now,
            app.settings,
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

    return move


def compensate(
    screen: Screen[Any],
    *,
    customer_id: int | None = None,
    call_id: int | None = None,
    complaint_id: int | None = None,
    customer_name: str = "the customer",
) -> None:
    """Ask kind and amount, then grant it (within the actor's limit) or ask for approval."""
    app: Any = screen.app

    def read() -> None:
        nonlocal customer_id
        try:
            with app.db.read() as session:
                name = customer_name
                if call_id is not None:
                    summary = queue_service.call_summary(session, call_id)
                    customer_id, name = summary.customer_id, summary.caller
                limit = compensation.limit_of(session, app.actor.id)
        except SvcdeskError as error:
            _fail(screen, "Could not compensate", error.message)
            return
        if customer_id is None:
            _fail(screen, "Could not compensate", "the caller is not a known customer")
            return
        who = customer_id

        def done(ask: CompensationAsk | None) -> None:
            if ask is None:
                return

            def move(session: Session, now: datetime) -> str:
                row = compensation.request(
                    session,
                    app.actor,
                    now,
                    customer_id=who,
                    kind=ask.kind,
                    amount_cents=ask.amount_cents,
                    complaint_id=complaint_id,
                    call_id=call_id,
                    note=ask.note,
                )
                amount = compensation.format_amount(row.amount_cents)
                if row.state == "granted":
                    return f"Granted: {compensation.KIND_WORDS[row.kind]} {amount}"
                return f"Above your limit: request #{row.id} ({amount}) waits for approval"

            screen.run_move("compensate", move)  # type: ignore[attr-defined]

        app.call_from_thread(app.push_screen, CompensationScreen(name, limit), done)

    screen.run_worker(read, thread=True, group="forms")

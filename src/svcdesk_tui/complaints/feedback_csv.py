"""Survey answers from a survey tool's CSV export.

Columns (first line; any order): ``call_id`` or ``complaint_id`` (one of them),
``csat`` (1–5) and/or ``nps`` (0–10), ``received_at`` (ISO 8601; without an
offset it is the center's local time), ``comment``. The customer is the one of
the call or complaint. A line already in the store (same call or complaint,
time and scores) is left alone, so importing an export twice adds nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from svcdesk_tui.complaints.feedback import record_feedback
from svcdesk_tui.core.csv_import import ImportResult, import_rows
from svcdesk_tui.core.errors import InvalidInput, NotFound
from svcdesk_tui.core.periods import zone
from svcdesk_tui.core.settings import CenterSettings
from svcdesk_tui.models import Call, Complaint, Feedback
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, require

COLUMNS = ("call_id", "complaint_id", "csat", "nps", "received_at", "comment")


def import_feedback_csv(
    session: Session, actor: Actor, text: str, settings: CenterSettings
) -> ImportResult:
    """Record every good line of ``text``; detractors get their manager follow-up."""
    require(actor, Action.RECORD_FEEDBACK)

    def apply(row: dict[str, str]) -> bool:
        return _apply_row(session, actor, row, settings)

    return import_rows(
        session,
        text,
        ImportResult("feedback"),
        columns=COLUMNS,
        required=("received_at",),
        apply=apply,
    )


def _apply_row(
    session: Session, actor: Actor, row: dict[str, str], settings: CenterSettings
) -> bool:
    call_id = _number(row, "call_id")
    complaint_id = _number(row, "complaint_id")
    csat, nps = _number(row, "csat"), _number(row, "nps")
    received = _moment(row["received_at"], settings.timezone)
    if call_id is None and complaint_id is None:
        raise InvalidInput("give a call_id or a complaint_id")
    about = (
        session.get(Call, call_id) if call_id is not None else session.get(Complaint, complaint_id)
    )
    if about is None:
        what = f"call {call_id}" if call_id is not None else f"complaint {complaint_id}"
        raise NotFound(f"no {what}")
    if about.customer_id is None:
        raise InvalidInput(f"call {call_id} has no known customer to tie the answer to")
    if _already_there(session, call_id, complaint_id, received, csat, nps):
        return False
    record_feedback(
        session,
        actor,
        settings,
        now=received,
        customer_id=about.customer_id,
        csat=csat,
        nps=nps,
        call_id=call_id,
        complaint_id=complaint_id,
        comment=row.get("comment", ""),
    )
    return True


def _number(row: dict[str, str], column: str) -> int | None:
    text = row.get(column, "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise InvalidInput(f"{column} must be a whole number, not {text!r}") from None


def _moment(text: str, timezone: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            f"received_at must be a date and time like 2026-11-23T14:05, not {text!r}"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone(timezone))


def _already_there(
    session: Session,
    call_id: int | None,
    complaint_id: int | None,
    received: datetime,
    csat: int | None,
    nps: int | None,
) -> bool:
    found = session.exec(
        select(col(Feedback.id)).where(
            col(Feedback.call_id) == call_id,
            col(Feedback.complaint_id) == complaint_id,
            col(Feedback.received_at) == received,
            col(Feedback.csat) == csat,
            col(Feedback.nps) == nps,
        )
    ).first()
    return found is not None

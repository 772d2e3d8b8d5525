"""The Complaints desk's rows and lines, in words and colour."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from svcdesk_tui.complaints.compensation import KIND_WORDS, PendingApproval, format_amount
from svcdesk_tui.complaints.desk import ComplaintsDesk, DeskComplaint, Section
from svcdesk_tui.complaints.feedback import DetractorTask
from svcdesk_tui.core.formatting import local_time, percent
from svcdesk_tui.widgets.live_table import Row

WORDS_OF_KIND = {str(kind): words for kind, words in KIND_WORDS.items()}


def kind_words(kind: str) -> str:
    """A compensation kind in words ("refund"); an unknown kind as stored."""
    return WORDS_OF_KIND.get(kind, kind)


def status_line(desk: ComplaintsDesk) -> Text:
    """How many are overdue, due today, awaiting the customer, open and repeats."""
    counts = {section: 0 for section in Section}
    for row in desk.complaints:
        counts[row.section] += 1
    status = Text()
    overdue = counts[Section.OVERDUE]
    status.append(
        f"{overdue} OVERDUE" if overdue else "none overdue",
        style="bold red" if overdue else "green",
    )
    status.append(f" · {counts[Section.DUE_TODAY]} due today")
    status.append(f" · {counts[Section.AWAITING]} awaiting")
    status.append(f" · {counts[Section.OPEN]} open")
    status.append(f" · {counts[Section.RECENT_REPEAT]} recent repeats")
    return status


def quality_line(desk: ComplaintsDesk) -> Text:
    """The measures of the last days, the same numbers the management report shows."""
    q, f = desk.quality, desk.scores
    nps = "—" if f.nps is None else f"{f.nps:+.0f}"
    return Text(
        f"{desk.window_days}d: loop closed {percent(q.close_the_loop_rate)}  "
        f"unconfirmed {percent(q.unconfirmed_close_rate)}  reopened {percent(q.reopen_rate)}  "
        f"CSAT {percent(f.csat)}  NPS {nps}",
        style="dim",
    )


def short(text: str, width: int = 24) -> str:
    """Keep long names from pushing the other columns off an 80-column terminal."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _ago(seconds: float) -> str:
    hours = int(seconds // 3600)
    return (
        f"{hours // 24}d {hours % 24}h" if hours >= 24 else f"{hours}h {int(seconds % 3600 // 60)}m"
    )


def status_cell(row: DeskComplaint, tz: str, *, now: datetime) -> Text:
    due = row.followup_due_at
    if row.section == Section.OVERDUE and due is not None:
        return Text(f"OVERDUE {_ago((now - due).total_seconds())}", style="bold red")
    if row.section == Section.DUE_TODAY and due is not None:
        return Text(f"due today {local_time(due, tz)[:5]}", style="yellow")
    if row.section == Section.AWAITING and due is not None:
        return Text(f"awaiting, due {local_time(due, tz, with_date=True)[5:]}", style="green")
    return Text(row.state.replace("_", " "))


def complaint_row(row: DeskComplaint, desk: ComplaintsDesk, tz: str) -> Row:
    awaiting = row.section in (Section.OVERDUE, Section.DUE_TODAY, Section.AWAITING)
    tries = f"{row.failed_attempts}/{desk.max_attempts} failed" if awaiting else "—"
    flag = Text()
    if row.repeat_of_id is not None:
        flag.append(f"REPEAT of #{row.repeat_of_id}", style="bold red")
    if row.reopen_count:
        flag.append(" " if flag else "")
        flag.append(f"reopened ×{row.reopen_count}", style="yellow")
    return (
        str(row.complaint_id),
        (
            f"#{row.complaint_id}",
            status_cell(row, tz, now=desk.at),
            short(row.customer),
            short(row.category, 18),
            row.followup_owner or "—",
            tries,
            flag,
            row.owner or "—",
        ),
    )


def detractor_row(task: DetractorTask, tz: str, *, now: datetime) -> Row:
    if task.overdue(now=now):
        due = Text(f"OVERDUE {_ago((now - task.due_at).total_seconds())}", style="bold red")
    else:
        due = Text(f"due {local_time(task.due_at, tz, with_date=True)[5:]}", style="yellow")
    scores = ", ".join(
        f"{name} {value}"
        for name, value in (("NPS", task.nps), ("CSAT", task.csat))
        if value is not None
    )
    return (
        str(task.feedback_id),
        (
            f"#{task.feedback_id}",
            due,
            short(task.customer),
            scores,
            task.owner or "—",
            task.comment or "",
        ),
    )


def approval_row(pending: PendingApproval) -> Row:
    you = (
        Text("you may decide", style="green") if pending.may_decide else Text("not yours to decide")
    )
    return (
        str(pending.compensation_id),
        (
            f"#{pending.compensation_id}",
            format_amount(pending.amount_cents),
            kind_words(pending.kind),
            short(pending.customer),
            f"#{pending.complaint_id}" if pending.complaint_id else "—",
            pending.requested_by,
            you,
        ),
    )

"""The Monitoring screen's rows and lines, in words and colour."""

from __future__ import annotations

from rich.text import Text

from svcdesk_tui.core.formatting import duration, local_time, percent
from svcdesk_tui.models import EvaluationState
from svcdesk_tui.monitoring.desk import EvaluationRow, MonitoringDesk, QueuedCall
from svcdesk_tui.widgets.live_table import Row

STATE_WORDS: dict[str, str] = {
    EvaluationState.DONE: "awaiting agent",
    EvaluationState.DISPUTED: "DISPUTED",
    EvaluationState.OVERTURNED: "overturned",
}


def short(text: str | None, width: int) -> str:
    text = text or ""
    return text if len(text) <= width else text[: width - 1] + "…"


def status_line(desk: MonitoringDesk, *, mine: bool) -> Text:
    q = desk.quality
    line = Text("30d, your quality " if mine else "30d quality ")
    if q is None or not q.evaluations:
        line.append("—: no evaluations")
    else:
        line.append(percent(q.score), style="bold")
        line.append(f" ({q.evaluations} calls) · critical fails {percent(q.critical_fail_rate)}")
    if desk.may_evaluate:
        line.append(f" · {len(desk.queue)} to evaluate")
    return line


def queue_row(call: QueuedCall, tz: str) -> Row:
    recording = Text("♪ yes", style="green") if call.recording_path else Text("none", style="dim")
    return (
        str(call.call_id),
        (
            f"#{call.call_id}",
            call.week[5:],
            short(call.agent, 20),
            call.reason,
            local_time(call.entered_at, tz, with_date=True)[5:],
            duration(call.handle_seconds),
            recording,
        ),
    )


def evaluation_row(row: EvaluationRow, tz: str, viewer_id: int) -> Row:
    score = Text(percent(row.score), style="bold red" if row.critical_failed else "")
    if row.critical_failed:
        score.append(" CRIT", style="bold red")
    state = Text(STATE_WORDS.get(row.state, row.state))
    if row.state == EvaluationState.DISPUTED:
        state.stylize("bold yellow")
        state.append(" (yours)" if row.dispute_owner_id == viewer_id else "")
    elif row.state == EvaluationState.DONE and row.agent_id == viewer_id:
        state = Text("yours to answer", style="bold yellow")
    if row.calibration:
        state = Text("calibration", style="dim")
    return (
        str(row.evaluation_id),
        (
            f"#{row.evaluation_id}",
            f"#{row.call_id}",
            short(row.agent, 18),
            short(row.evaluator, 14),
            score,
            state,
            short(row.coaching or row.comment, 56),
        ),
    )

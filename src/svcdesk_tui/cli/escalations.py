"""The work behind `svcdesk escalations tick|list` (cli.py only declares the options)."""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.text import Text

from svcdesk_tui.core.db import Database
from svcdesk_tui.core.formatting import duration, local_time
from svcdesk_tui.core.settings import load_settings
from svcdesk_tui.escalations.views import InboxRow, inbox
from svcdesk_tui.people.identity import Actor


def inbox_lines(database: Database, actor: Actor, now: datetime, *, resolved: bool) -> list[Text]:
    """One line per escalation ``actor`` may see, as the screen orders them (their inbox first)."""
    with database.read() as session:
        settings = load_settings(session)
        tz = settings.timezone
        since = now - timedelta(days=settings.history_window_days) if resolved else None
        seen = inbox(session, actor, now, resolved_since=since)
    lines = []
    for row in seen.rows:
        line = Text(f"#{row.escalation_id} ")
        line.append("[yours] " if row.mine else "")
        line.append(row.level.label, style="bold red" if row.level.is_executive else "")
        line.append("  ")
        line.append_text(_waiting(row))
        line.append(
            f"  {row.customer}  anger {row.anger}/5  raised by {row.raised_by} "
            f"{local_time(row.raised_at, tz, with_date=True)}"
        )
        line.append(f"  owner {row.owner}" if row.owner else "")
        line.append(f"  — {row.reason}")
        lines.append(line)
    return lines or [Text("No escalations for you to see.")]


def _waiting(row: InboxRow) -> Text:
    if row.state != "raised":
        return Text(row.state)
    text = f"waiting {duration(row.waiting_seconds)} / {duration(row.limit_seconds)}"
    return Text(f"{text} OVERDUE", style="bold red") if row.overdue else Text(text)

"""`svcdesk escalations tick|list`: the ladder's clock (for cron) and who has what."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from typing import Annotated

import typer
from rich.text import Text
from sqlmodel import Session

from svcdesk_tui.cli.common import AsOfOption, AsOption, DbOption, group, utc_or_now
from svcdesk_tui.cli.output import say
from svcdesk_tui.cli.store import open_store
from svcdesk_tui.core.formatting import duration, local_time
from svcdesk_tui.core.settings import CenterSettings
from svcdesk_tui.escalations.views import InboxRow, inbox
from svcdesk_tui.people.identity import Actor

escalations_app = group("The escalation ladder: its clock (for cron) and who has what.")


@escalations_app.command("tick")
def escalations_tick(ctx: typer.Context, db: DbOption = None, as_of: AsOfOption = None) -> None:
    """Climb every escalation not accepted within its level's response time (run from cron).

    Prints one line per escalation that climbed; silent when nothing was overdue.
    """
    from svcdesk_tui.escalations.moves import climb_if_due

    with open_store(ctx, db) as store:
        climbed = climb_if_due(store.database, now=utc_or_now(as_of))
    say(*map(str, climbed))
    if not climbed and sys.stdout.isatty():
        say("Nothing overdue.")


@escalations_app.command("list")
def escalations_list(
    ctx: typer.Context,
    db: DbOption = None,
    as_login: AsOption = None,
    resolved: Annotated[
        bool, typer.Option(help="Include those resolved in the center's history window.")
    ] = False,
    as_of: AsOfOption = None,
) -> None:
    """The escalations you may see, your own inbox first."""
    with open_store(ctx, db, as_login) as store, store.acting() as (session, actor):
        lines = inbox_lines(
            session, store.settings, actor, now=utc_or_now(as_of), resolved=resolved
        )
    say(*lines)


def inbox_lines(
    session: Session, settings: CenterSettings, actor: Actor, *, now: datetime, resolved: bool
) -> list[Text]:
    """One line per escalation ``actor`` may see, as the screen orders them (their inbox first)."""
    tz = settings.timezone
    since = now - timedelta(days=settings.history_window_days) if resolved else None
    seen = inbox(session, actor, now=now, resolved_since=since)
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

"""`svcdesk caribbean` and `svcdesk skills`: the Caribbean test and the data it reads."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

import typer

from svcdesk_tui.cli.common import (
    AsOption,
    CsvFileArgument,
    DbOption,
    OutOption,
    day_option,
    group,
    read_text,
)
from svcdesk_tui.cli.output import emit, report_import
from svcdesk_tui.cli.store import open_store
from svcdesk_tui.core import exit_codes
from svcdesk_tui.core.clock import SystemClock
from svcdesk_tui.core.errors import InvalidInput


def caribbean(
    ctx: typer.Context,
    away: Annotated[
        list[str] | None,
        typer.Option(
            "--away",
            help="Login of someone to imagine away (repeat for several). "
            "Default: the service manager.",
            show_default=False,
        ),
    ] = None,
    nobody: Annotated[
        bool, typer.Option("--nobody", help="Imagine nobody away: only the calendar's absences.")
    ] = False,
    from_: Annotated[
        datetime | None,
        day_option("First day (default: --on).", "--from"),
    ] = None,
    to: Annotated[
        datetime | None,
        day_option("Last day (default: the center's what-if length, 14 days)."),
    ] = None,
    on: Annotated[
        datetime | None,
        day_option("Day to judge (default: today)."),
    ] = None,
    output: Annotated[
        str, typer.Option("--format", help="text or json.", show_default=True)
    ] = "text",
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """The Caribbean test: single points of failure and what breaks while people are away.

    Exits 3 when a critical procedure or an approval would have nobody on a day (for cron).
    """
    from svcdesk_tui.caribbean.analysis import caribbean_findings
    from svcdesk_tui.caribbean.text import render_text

    if output not in ("text", "json"):
        raise InvalidInput(f"--format must be text or json, not {output!r}")
    if nobody and away:
        raise InvalidInput("--nobody and --away exclude each other")
    with open_store(ctx, db, as_login) as store, store.session() as session:
        day = on.date() if on else store.today
        data = caribbean_findings(
            session,
            on=day,
            settings=store.settings,
            away=[] if nobody else away or None,
            from_=from_.date() if from_ else None,
            to=to.date() if to else None,
            actor=store.actor_in(session, day),
        )
    typer.echo(json.dumps(data, indent=2) if output == "json" else render_text(data))
    if data["critical_uncovered"]:
        raise typer.Exit(exit_codes.THRESHOLD_BREACHED)


skills_app = group("Procedures, skills (I/L/U/O), approval rights and absences, as CSV.")
TableArgument = Annotated[
    str, typer.Argument(help="procedures, skills, authorities or absences.", show_default=False)
]


@skills_app.command("export")
def skills_export(
    ctx: typer.Context,
    table: TableArgument,
    out_path: OutOption = None,
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Write one table as CSV (the format `svcdesk skills import` reads)."""
    from svcdesk_tui.caribbean.skills_csv import export_csv

    with open_store(ctx, db, as_login) as store, store.acting() as (session, actor):
        text = export_csv(session, actor, table)
    emit(text, out_path)


@skills_app.command("import")
def skills_import(
    ctx: typer.Context,
    table: TableArgument,
    csv_file: CsvFileArgument,
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Add or update rows from a CSV; bad lines are reported by number, the rest goes in.

    Exit 4 when some lines were refused.
    """
    from svcdesk_tui.caribbean.skills_csv import import_csv

    text = read_text(csv_file)
    with open_store(ctx, db, as_login) as store, store.acting(write=True) as (session, actor):
        result = import_csv(session, actor, table, text, now=SystemClock().now())
    report_import(result, csv_file)

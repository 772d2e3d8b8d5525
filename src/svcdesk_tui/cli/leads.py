"""`svcdesk leads export`: the needs and opportunities agents passed to sales, as CSV."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer

from svcdesk_tui.cli.common import DbOption, day_option, print_or_write, reported
from svcdesk_tui.core.db import Database
from svcdesk_tui.core.errors import InvalidInput
from svcdesk_tui.core.periods import days_period
from svcdesk_tui.core.settings import load_settings
from svcdesk_tui.service_desk.leads import leads_csv, leads_in

leads_app = typer.Typer(
    help="Leads for sales: needs and opportunities agents heard.", no_args_is_help=True
)


@leads_app.command("export")
@reported
def leads_export(
    ctx: typer.Context,
    since: Annotated[
        datetime | None,
        day_option("First day (local)."),
    ] = None,
    until: Annotated[
        datetime | None,
        day_option("Last day, inclusive."),
    ] = None,
    out_path: Annotated[
        Path | None,
        typer.Option("--out", help="File to write (default: standard output).", show_default=False),
    ] = None,
    db: DbOption = None,
) -> None:
    """Write the leads (all, or those recorded from --since to --until) as CSV for sales."""
    if since and until and since > until:
        raise InvalidInput(f"--since {since.date()} is after --until {until.date()}")
    database = Database.open(db or (ctx.obj or {}).get("db"))
    try:
        with database.read() as session:
            tz = load_settings(session).timezone
            period = None
            if since or until:
                first = (since or datetime(1970, 1, 1)).date()
                last = (until or datetime(9999, 12, 30)).date()
                period = days_period(first, last + timedelta(days=1), tz)
            text = leads_csv(leads_in(session, period), tz)
    finally:
        database.close()
    print_or_write(text, out_path)

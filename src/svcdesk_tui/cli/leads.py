"""`svcdesk leads export`: the needs and opportunities agents passed to sales, as CSV."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

import typer

from svcdesk_tui.cli.common import DbOption, OutOption, day_option, group
from svcdesk_tui.cli.output import emit
from svcdesk_tui.cli.store import open_store
from svcdesk_tui.core.errors import InvalidInput
from svcdesk_tui.core.periods import days_period
from svcdesk_tui.service_desk.leads import leads_csv, leads_in

leads_app = group("Leads for sales: needs and opportunities agents heard.")


@leads_app.command("export")
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
    out_path: OutOption = None,
    db: DbOption = None,
) -> None:
    """Write the leads (all, or those recorded from --since to --until) as CSV for sales."""
    if since and until and since > until:
        raise InvalidInput(f"--since {since.date()} is after --until {until.date()}")
    with open_store(ctx, db) as store, store.session() as session:
        tz = store.settings.timezone
        period = None
        if since or until:
            first = (since or datetime(1970, 1, 1)).date()
            last = (until or datetime(9999, 12, 30)).date()
            period = days_period(first, last + timedelta(days=1), tz)
        text = leads_csv(leads_in(session, period), tz)
    emit(text, out_path)

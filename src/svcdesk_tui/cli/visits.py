"""`svcdesk visits list|done`: technicians' planned visits and recording how they went."""

from __future__ import annotations

from typing import Annotated

import typer

from svcdesk_tui.cli.common import AsOption, DbOption, group
from svcdesk_tui.cli.output import say
from svcdesk_tui.cli.store import open_store
from svcdesk_tui.core.clock import SystemClock
from svcdesk_tui.core.formatting import local_time
from svcdesk_tui.models import Visit, VisitOutcome
from svcdesk_tui.service_desk.dispatch import parse_visit_time, record_visit
from svcdesk_tui.service_desk.visits import planned_visits

visits_app = group("Technicians' visits: what is planned, and how each one went.")


@visits_app.command("list")
def visits_list(
    ctx: typer.Context,
    everyone: Annotated[
        bool, typer.Option("--all", help="Every technician's visits, not only yours.")
    ] = False,
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Visits still waiting for their outcome, earliest first (yours unless --all)."""
    with open_store(ctx, db, as_login) as store, store.acting() as (session, actor):
        tz = store.settings.timezone
        visits = planned_visits(session, technician_id=None if everyone else actor.id)
    for v in visits:
        when = local_time(v.planned_at, tz, with_date=True)
        say(
            f"visit {v.visit_id} (ticket {v.ticket_id})  {when}"
            f"-{local_time(v.planned_until, tz)[:5]}  {v.technician}  {v.customer}"
            f"{f' {v.phone}' if v.phone else ''}  {v.fault_type}: {v.fault}"
            f"{f'  bring: {v.equipment}' if v.equipment else ''}"
        )
    if not visits:
        say("No planned visits.")


@visits_app.command("done")
def visits_done(
    ctx: typer.Context,
    visit_id: Annotated[int, typer.Argument(help="The visit, as `svcdesk visits list` shows it.")],
    outcome: Annotated[
        str, typer.Option(help=f"How it went: {', '.join(VisitOutcome)}.", show_default=False)
    ],
    arrived: Annotated[
        str | None,
        typer.Option(help="Arrival, local 'YYYY-MM-DD HH:MM' or 'HH:MM' (default: as planned)."),
    ] = None,
    ended: Annotated[
        str | None,
        typer.Option(help="End, local 'YYYY-MM-DD HH:MM' or 'HH:MM' (default: now)."),
    ] = None,
    note: Annotated[str, typer.Option(help="An internal note (never sent to the customer).")] = "",
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Record how a visit went; a fixed visit fixes its ticket."""
    now = SystemClock().now()
    with open_store(ctx, db, as_login) as store, store.acting(write=True) as (session, actor):
        tz = store.settings.timezone
        visit = session.get(Visit, visit_id)
        planned = visit.planned_at if visit is not None else now
        record_visit(
            session,
            actor,
            now=now,
            visit_id=visit_id,
            arrived_at=parse_visit_time(arrived, tz, now=now) if arrived else planned,
            ended_at=parse_visit_time(ended, tz, now=now) if ended else now,
            outcome=outcome,
            note=note,
        )
    say(f"visit {visit_id}: {outcome}")

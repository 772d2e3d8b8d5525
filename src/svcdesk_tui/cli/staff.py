"""`svcdesk staff add|limit|list`: the people of the center, their roles and limits."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.table import Table

from svcdesk_tui.cli.common import AsOption, DbOption, day_option, group
from svcdesk_tui.cli.output import say
from svcdesk_tui.cli.store import open_store
from svcdesk_tui.core.clock import SystemClock
from svcdesk_tui.people import staff

staff_app = group("The people of the center and their roles.")
LoginArgument = Annotated[str, typer.Argument(help="The person's OS login.")]


@staff_app.command("add")
def staff_add(
    ctx: typer.Context,
    login: LoginArgument,
    name: Annotated[str, typer.Option(help="Full name.")],
    role: Annotated[
        str,
        typer.Option(
            help="agent, lead, manager, executive, admin, or wallboard (sees the wallboard only)."
        ),
    ] = "agent",
    lead: Annotated[
        str | None, typer.Option(help="Login of their team lead.", show_default=False)
    ] = None,
    limit: Annotated[
        float, typer.Option(help="Compensation they may grant alone, in currency units.")
    ] = 0.0,
    hired: Annotated[
        datetime | None,
        day_option("Hire date (default today)."),
    ] = None,
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Add a staff member (managers and admins)."""
    with open_store(ctx, db, as_login) as store, store.acting(write=True) as (session, actor):
        added = staff.add_staff(
            session,
            actor,
            login=login,
            name=name,
            role=role,
            hired_on=hired.date() if hired else store.today,
            now=SystemClock().now(),
            team_lead_login=lead,
            compensation_limit_cents=round(limit * 100),
        )
        say(f"Added {added.name} ({added.login}, {added.role}).")


@staff_app.command("limit")
def staff_limit(
    ctx: typer.Context,
    login: LoginArgument,
    amount: Annotated[str, typer.Argument(help="Compensation they may grant alone, e.g. 50.00.")],
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Set the compensation a person may grant without approval (managers; not their own)."""
    from svcdesk_tui.complaints import compensation

    cents = 0 if amount.strip() in ("0", "0.00") else compensation.parse_amount(amount)
    with open_store(ctx, db, as_login) as store, store.acting(write=True) as (session, actor):
        changed = compensation.set_limit(session, actor, login, cents, now=SystemClock().now())
        say(f"{changed.name} may now grant up to {compensation.format_amount(cents)} alone.")


@staff_app.command("list")
def staff_list(ctx: typer.Context, db: DbOption = None) -> None:
    """Everyone on the staff, with role and dates."""
    with open_store(ctx, db) as store, store.session() as session:
        people = staff.list_staff(session)
    table = Table("login", "name", "role", "hired", "left", box=None, pad_edge=False)
    for person in people:
        table.add_row(
            person.login, person.name, person.role, str(person.hired_on), str(person.left_on or "")
        )
    say(table)

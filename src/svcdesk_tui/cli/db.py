"""`svcdesk db init|info|upgrade`: create a center's store, say what it holds, bring it forward."""

from __future__ import annotations

from typing import Annotated

import typer

from svcdesk_tui.cli.common import DbOption, group
from svcdesk_tui.cli.output import say
from svcdesk_tui.cli.store import open_store, target
from svcdesk_tui.core.center_setup import seed_defaults
from svcdesk_tui.core.clock import SystemClock
from svcdesk_tui.core.db import SCHEMA_REVISION, Database
from svcdesk_tui.core.periods import zone
from svcdesk_tui.core.settings import save_setting
from svcdesk_tui.people import identity, staff

db_app = group("Create and inspect the store.")


@db_app.command("init")
def db_init(
    ctx: typer.Context,
    db: DbOption = None,
    center_name: Annotated[str, typer.Option(help="The center's name.")] = "Service center",
    timezone: Annotated[str, typer.Option(help="IANA time zone of the center.")] = "UTC",
    admin_name: Annotated[
        str | None, typer.Option(help="Your full name.", show_default=False)
    ] = None,
) -> None:
    """Create an empty center; you (the OS login) become its first admin."""
    zone(timezone)
    database = Database.create(target(ctx, db), center_name=center_name)
    login, now = identity.os_login(), SystemClock().now()
    try:
        with database.write() as session:
            seed_defaults(session)
            save_setting(session, "timezone", timezone)
            staff.add_staff(
                session,
                None,
                login=login,
                name=admin_name or login,
                role="admin",
                hired_on=now.date(),
                now=now,
            )
    finally:
        database.close()
    say(
        f"Created {database.name} with {login} as admin. Add people with "
        "`svcdesk staff add LOGIN --name NAME --role agent`."
    )


@db_app.command("info")
def db_info(ctx: typer.Context, db: DbOption = None) -> None:
    """Where the store is, its schema revision and what it holds."""
    from sqlalchemy import func, select

    from svcdesk_tui.models import Call, Customer, Staff

    with open_store(ctx, db) as store, store.session() as session:
        database = store.database
        counts = {
            name: session.execute(select(func.count()).select_from(model)).scalar_one()
            for name, model in (("staff", Staff), ("customers", Customer), ("calls", Call))
        }
    kind = "demo center" if database.demo else "center"
    say(
        f"{database.name}: {database.info.center_name} ({kind}), schema revision "
        f"{SCHEMA_REVISION}; " + ", ".join(f"{n} {k}" for k, n in counts.items())
    )


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context, db: DbOption = None) -> None:
    """Bring the store's schema up to this svcdesk's, in place. Back the store up first.

    Stored settings are not checked here: an upgrade must work on any store.
    """
    from svcdesk_tui.core.migrate import upgrade

    say(str(upgrade(target(ctx, db))))


@db_app.command("rebuild-intervals")
def db_rebuild_intervals(ctx: typer.Context, db: DbOption = None) -> None:
    """Recount the interval statistics and the calls' FCR facts from the calls.

    Idempotent. Run it after a queue's thresholds or fcr_window_days changed.
    """
    from svcdesk_tui.core import audit, intervals

    with open_store(ctx, db, strict=False) as store, store.session(write=True) as session:
        rows = intervals.rebuild(session.connection())
        audit.record(
            session,
            None,
            "db.rebuild_intervals",
            "interval_stat",
            None,
            at=SystemClock().now(),
            after={"intervals": rows},
        )
    say(f"{store.database.name}: interval statistics recounted ({rows:,} queue intervals)")

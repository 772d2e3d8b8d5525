"""The `svcdesk` command: the desk (TUI) by default, and the tools around it."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from .clock import SystemClock
from .db import Database
from .errors import InvalidInput, SvcdeskError
from .services import identity, staff
from .services.center_setup import seed_defaults
from .services.periods import zone
from .services.settings import load_settings, save_setting

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    name="svcdesk",
    help="A terminal desk for customer-service centers: the live queue, escalations, "
    "complaint follow-up, the Caribbean test and the management report.",
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
db_app = typer.Typer(help="Create and inspect the store.", no_args_is_help=True)
staff_app = typer.Typer(help="The people of the center and their roles.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(staff_app, name="staff")

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="SVCDESK_DB",
        help="Store to use: a file path or a SQLAlchemy URL. Default: $SVCDESK_DB, "
        "else svcdesk.db in your user data folder.",
        show_default=False,
    ),
]
AsOption = Annotated[
    str | None,
    typer.Option(
        "--as",
        help="Act as this staff login (any login on a demo center; admins only elsewhere). "
        "Default on a demo: the service manager.",
        show_default=False,
    ),
]


def reported(command: Callable[P, R]) -> Callable[P, R]:
    """Turn svcdesk's own errors into one line on stderr and an exit code."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except SvcdeskError as error:
            err.print(f"svcdesk: error: {error.message}", markup=False)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            err.print("svcdesk: interrupted", markup=False)
            raise typer.Exit(130) from None

    return wrapper


def _today(db: Database) -> date:
    with db.read() as session:
        settings = load_settings(session)
    return SystemClock().now().astimezone(zone(settings.timezone)).date()


@app.callback(invoke_without_command=True)
@reported
def desk(
    ctx: typer.Context,
    db: DbOption = None,
    as_login: AsOption = None,
    refresh: Annotated[
        float | None,
        typer.Option(
            help="Seconds between re-reads of the store (default: the center's setting).",
            min=0.2,
            show_default=False,
        ),
    ] = None,
    simulate: Annotated[
        bool | None,
        typer.Option(
            "--simulate/--no-simulate",
            help="Feed simulated live calls (default: on for a demo center).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Open the desk on the live queue. Run `svcdesk COMMAND --help` for the tools."""
    ctx.obj = {"db": db}
    if ctx.invoked_subcommand is not None:
        return
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise InvalidInput("the desk needs a terminal; for scripts and cron use `svcdesk report`")
    from .app import SvcDeskApp  # Textual is only imported for the desk itself

    database = Database.open(db)
    with database.read() as session:
        actor = identity.resolve_actor(
            session, demo=database.demo, today=_today(database), as_login=as_login
        )
    desk_app = SvcDeskApp(
        database,
        actor,
        refresh_seconds=refresh,
        simulate=database.demo if simulate is None else simulate,
    )
    desk_app.run()


@app.command("demo-data")
@reported
def demo_data(
    out_path: Annotated[Path, typer.Option("--out", help="File to create (must not exist).")],
    days: Annotated[int, typer.Option(min=1, help="Days of history.")] = 90,
    agents: Annotated[int, typer.Option(min=4, help="Number of agents.")] = 24,
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same center.")] = 7,
    end: Annotated[
        datetime | None,
        typer.Option(
            help="The demo's 'now' (UTC), e.g. 2026-11-23T10:30:00. Default: now.",
            show_default=False,
        ),
    ] = None,
    waiting: Annotated[
        int | None,
        typer.Option(
            min=0, help="Calls waiting at the end (default: a few, if open).", show_default=False
        ),
    ] = None,
    force: Annotated[bool, typer.Option(help="Replace the file if it exists.")] = False,
) -> None:
    """Generate a realistic, deterministic demo center (the source of sample.db)."""
    from .demo import generate_demo

    if out_path.exists():
        if not force:
            raise InvalidInput(f"{out_path} exists; pass --force to replace it")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{out_path}{suffix}").unlink(missing_ok=True)
    if end is not None and end.tzinfo is None:
        end = end.replace(tzinfo=UTC)
    progress = (lambda line: err.print(line, markup=False)) if sys.stderr.isatty() else None
    summary = generate_demo(
        out_path, days=days, agents=agents, seed=seed, end=end, waiting=waiting, progress=progress
    )
    out.print(str(summary), markup=False)


@app.command()
@reported
def simulate(
    ctx: typer.Context,
    db: DbOption = None,
    speed: Annotated[float, typer.Option(min=0.1, max=100, help="Pace multiplier.")] = 1.0,
    duration: Annotated[
        float | None,
        typer.Option(
            min=1, help="Stop after this many seconds (default: until Ctrl+C).", show_default=False
        ),
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed.", show_default=False)] = None,
) -> None:
    """Feed live calls into a center at a realistic pace, for demos."""
    database = Database.open(db or (ctx.obj or {}).get("db"))
    if not database.demo:
        raise InvalidInput(f"{database.where} is not a demo center; simulate only feeds demos")
    from .services.simulation import run_simulation

    err.print(f"Simulating live calls in {database.where} (Ctrl+C stops)…", markup=False)
    run_simulation(database, SystemClock(), speed=speed, duration_s=duration)


@db_app.command("init")
@reported
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
    target = db or (ctx.obj or {}).get("db")
    database = Database.create(target, center_name=center_name)
    login, now = identity.os_login(), SystemClock().now()
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
    out.print(
        f"Created {database.where} with {login} as admin. Add people with "
        "`svcdesk staff add LOGIN --name NAME --role agent`.",
        markup=False,
    )


@db_app.command("info")
@reported
def db_info(ctx: typer.Context, db: DbOption = None) -> None:
    """Where the store is, its schema version and what it holds."""
    from sqlalchemy import func, select

    from .models import Call, Customer, Staff

    database = Database.open(db or (ctx.obj or {}).get("db"))
    with database.read() as session:
        counts = {
            name: session.execute(select(func.count()).select_from(model)).scalar_one()
            for name, model in (("staff", Staff), ("customers", Customer), ("calls", Call))
        }
    kind = "demo center" if database.demo else "center"
    out.print(
        f"{database.where}: {database.info.center_name} ({kind}), schema version "
        f"{database.info.version}; " + ", ".join(f"{n} {k}" for k, n in counts.items()),
        markup=False,
    )


@staff_app.command("add")
@reported
def staff_add(
    ctx: typer.Context,
    login: Annotated[str, typer.Argument(help="The person's OS login.")],
    name: Annotated[str, typer.Option(help="Full name.")],
    role: Annotated[str, typer.Option(help="agent, lead, manager, executive or admin.")] = "agent",
    lead: Annotated[
        str | None, typer.Option(help="Login of their team lead.", show_default=False)
    ] = None,
    limit: Annotated[
        float, typer.Option(help="Compensation they may grant alone, in currency units.")
    ] = 0.0,
    hired: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Hire date (default today).", show_default=False),
    ] = None,
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Add a staff member (managers and admins)."""
    database = Database.open(db or (ctx.obj or {}).get("db"))
    today = _today(database)
    with database.write() as session:
        actor = identity.resolve_actor(session, demo=database.demo, today=today, as_login=as_login)
        added = staff.add_staff(
            session,
            actor,
            login=login,
            name=name,
            role=role,
            hired_on=hired.date() if hired else today,
            now=SystemClock().now(),
            team_lead_login=lead,
            compensation_limit_cents=round(limit * 100),
        )
        out.print(f"Added {added.name} ({added.login}, {added.role}).", markup=False)


@staff_app.command("list")
@reported
def staff_list(ctx: typer.Context, db: DbOption = None) -> None:
    """Everyone on the staff, with role and dates."""
    database = Database.open(db or (ctx.obj or {}).get("db"))
    with database.read() as session:
        people = staff.list_staff(session)
    table = Table("login", "name", "role", "hired", "left", box=None, pad_edge=False)
    for person in people:
        table.add_row(
            person.login, person.name, person.role, str(person.hired_on), str(person.left_on or "")
        )
    out.print(table)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="svcdesk")

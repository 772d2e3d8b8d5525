"""The `svcdesk` command: the desk (TUI) by default, and the tools around it."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from svcdesk_tui.cli.common import (
    AsOption,
    DbOption,
    acting_person,
    center_today,
    day_option,
    err,
    out,
    print_or_write,
    read_text,
    report_import,
    reported,
)
from svcdesk_tui.cli.desk import RefreshOption, SimulateOption, agent, open_desk, presence_app
from svcdesk_tui.cli.feedback import feedback_app
from svcdesk_tui.cli.leads import leads_app
from svcdesk_tui.cli.visits import visits_app
from svcdesk_tui.cli.wallboard import wallboard
from svcdesk_tui.core.center_setup import seed_defaults
from svcdesk_tui.core.clock import SystemClock
from svcdesk_tui.core.db import SCHEMA_REVISION, Database, is_url, remove_sqlite_files
from svcdesk_tui.core.errors import InvalidInput
from svcdesk_tui.core.periods import zone
from svcdesk_tui.core.settings import load_settings, save_setting
from svcdesk_tui.people import identity, staff
from svcdesk_tui.people.permissions import Action, require

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


@app.callback(invoke_without_command=True)
@reported
def desk(
    ctx: typer.Context,
    db: DbOption = None,
    as_login: AsOption = None,
    refresh: RefreshOption = None,
    simulate: SimulateOption = None,
) -> None:
    """Open the desk on the live queue. Run `svcdesk COMMAND --help` for the tools.

    Started from an SSH login (SSH_CONNECTION set), an agent gets the agent view.
    """
    ctx.obj = {"db": db}
    if ctx.invoked_subcommand is not None:
        return
    open_desk(db, as_login, refresh, simulate, agent_mode=None)


app.command()(agent)
app.add_typer(presence_app, name="presence")
app.command()(wallboard)


@app.command("demo-data")
@reported
def demo_data(
    out_target: Annotated[
        str,
        typer.Option(
            "--out",
            help="File to create (must not exist), or the URL of an empty PostgreSQL database.",
        ),
    ],
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
    from svcdesk_tui.demo import generate_demo

    out_path = Path(out_target)
    if not is_url(out_target) and out_path.exists():
        if not force:
            raise InvalidInput(f"{out_path} exists; pass --force to replace it")
        remove_sqlite_files(out_path)
    if end is not None and end.tzinfo is None:
        end = end.replace(tzinfo=UTC)
    progress = (lambda line: err.print(line, markup=False)) if sys.stderr.isatty() else None
    summary = generate_demo(
        out_target, days=days, agents=agents, seed=seed, end=end, waiting=waiting, progress=progress
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
        raise InvalidInput(f"{database.name} is not a demo center; simulate only feeds demos")
    from svcdesk_tui.demo.simulation import run_simulation

    err.print(f"Simulating live calls in {database.name} (Ctrl+C stops)…", markup=False)
    run_simulation(database, SystemClock(), speed=speed, duration_s=duration, seed=seed)


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
        f"Created {database.name} with {login} as admin. Add people with "
        "`svcdesk staff add LOGIN --name NAME --role agent`.",
        markup=False,
    )


@db_app.command("info")
@reported
def db_info(ctx: typer.Context, db: DbOption = None) -> None:
    """Where the store is, its schema revision and what it holds."""
    from sqlalchemy import func, select

    from svcdesk_tui.models import Call, Customer, Staff

    database = Database.open(db or (ctx.obj or {}).get("db"))
    with database.read() as session:
        counts = {
            name: session.execute(select(func.count()).select_from(model)).scalar_one()
            for name, model in (("staff", Staff), ("customers", Customer), ("calls", Call))
        }
    kind = "demo center" if database.demo else "center"
    out.print(
        f"{database.name}: {database.info.center_name} ({kind}), schema revision "
        f"{SCHEMA_REVISION}; " + ", ".join(f"{n} {k}" for k, n in counts.items()),
        markup=False,
    )


@db_app.command("upgrade")
@reported
def db_upgrade(ctx: typer.Context, db: DbOption = None) -> None:
    """Bring the store's schema up to this svcdesk's, in place. Back the store up first."""
    from svcdesk_tui.core.migrate import upgrade

    out.print(str(upgrade(db or (ctx.obj or {}).get("db"))), markup=False)


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
        day_option("Hire date (default today)."),
    ] = None,
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Add a staff member (managers and admins)."""
    database = Database.open(db or (ctx.obj or {}).get("db"))
    today = center_today(database)
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


@staff_app.command("limit")
@reported
def staff_limit(
    ctx: typer.Context,
    login: Annotated[str, typer.Argument(help="The person's OS login.")],
    amount: Annotated[str, typer.Argument(help="Compensation they may grant alone, e.g. 50.00.")],
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Set the compensation a person may grant without approval (managers; not their own)."""
    from svcdesk_tui.complaints import compensation

    cents = 0 if amount.strip() in ("0", "0.00") else compensation.parse_amount(amount)
    database = Database.open(db or (ctx.obj or {}).get("db"))
    with database.write() as session:
        actor = acting_person(session, database, as_login)
        changed = compensation.set_limit(session, actor, login, cents, SystemClock().now())
        out.print(
            f"{changed.name} may now grant up to {compensation.format_amount(cents)} alone.",
            markup=False,
        )


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


# --- the Caribbean test and its data (procedures, skills, authorities, absences) ---------


@app.command()
@reported
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
    import json

    from svcdesk_tui.caribbean.analysis import caribbean_findings
    from svcdesk_tui.caribbean.text import render_text

    if output not in ("text", "json"):
        raise InvalidInput(f"--format must be text or json, not {output!r}")
    if nobody and away:
        raise InvalidInput("--nobody and --away exclude each other")
    database = Database.open(db or (ctx.obj or {}).get("db"))
    day = on.date() if on else center_today(database)
    with database.read() as session:
        actor = identity.resolve_actor(session, demo=database.demo, today=day, as_login=as_login)
        data = caribbean_findings(
            session,
            on=day,
            settings=load_settings(session),
            away=[] if nobody else away or None,
            from_=from_.date() if from_ else None,
            to=to.date() if to else None,
            actor=actor,
        )
    typer.echo(json.dumps(data, indent=2) if output == "json" else render_text(data))
    if data["critical_uncovered"]:
        raise typer.Exit(3)


skills_app = typer.Typer(
    help="Procedures, skills (I/L/U/O), approval rights and absences, as CSV.",
    no_args_is_help=True,
)
app.add_typer(skills_app, name="skills")
app.add_typer(feedback_app, name="feedback")
app.add_typer(leads_app, name="leads")
app.add_typer(visits_app, name="visits")
TableArgument = Annotated[
    str, typer.Argument(help="procedures, skills, authorities or absences.", show_default=False)
]


@skills_app.command("export")
@reported
def skills_export(
    ctx: typer.Context,
    table: TableArgument,
    out_path: Annotated[
        Path | None,
        typer.Option("--out", help="File to write (default: standard output).", show_default=False),
    ] = None,
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Write one table as CSV (the format `svcdesk skills import` reads)."""
    from svcdesk_tui.caribbean.skills_csv import export_csv

    database = Database.open(db or (ctx.obj or {}).get("db"))
    with database.read() as session:
        actor = acting_person(session, database, as_login)
        text = export_csv(session, actor, table)
    print_or_write(text, out_path)


@skills_app.command("import")
@reported
def skills_import(
    ctx: typer.Context,
    table: TableArgument,
    csv_file: Annotated[Path, typer.Argument(help="CSV file to read ('-' for standard input).")],
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Add or update rows from a CSV; bad lines are reported by number, the rest goes in.

    Exit 4 when some lines were refused.
    """
    from svcdesk_tui.caribbean.skills_csv import import_csv

    text = read_text(csv_file)
    database = Database.open(db or (ctx.obj or {}).get("db"))
    with database.write() as session:
        actor = acting_person(session, database, as_login)
        result = import_csv(session, actor, table, text, SystemClock().now())
    report_import(result, csv_file)


ingest_app = typer.Typer(help="Telephony in: read the PBX's own logs.", no_args_is_help=True)
app.add_typer(ingest_app, name="ingest")


@ingest_app.command("queue-log")
@reported
def ingest_queue_log(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Asterisk's queue_log file.", show_default=False)],
    follow: Annotated[
        bool, typer.Option("--follow", help="Keep reading new lines, like tail -F.")
    ] = False,
    queue_map: Annotated[
        Path | None,
        typer.Option(help="File of 'PBX queue = svcdesk queue' lines.", show_default=False),
    ] = None,
    agent_map: Annotated[
        Path | None,
        typer.Option(help="File of 'PBX agent = svcdesk login' lines.", show_default=False),
    ] = None,
    poll: Annotated[float, typer.Option(min=0.05, help="Seconds between polls (--follow).")] = 0.25,
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Import Asterisk's queue_log (calls, agents, pauses); exit 4 if lines were rejected."""
    from svcdesk_tui.cli.ingest import run_queue_log

    database = Database.open(db or (ctx.obj or {}).get("db"))
    with database.read() as session:
        actor = acting_person(session, database, as_login)
        require(actor, Action.INGEST_TELEPHONY)  # here, in a session, a refusal is audited
    code = run_queue_log(
        database,
        actor,
        path,
        follow=follow,
        queue_map=queue_map,
        agent_map=agent_map,
        out=out,
        err=err,
        poll_seconds=poll,
    )
    if code:
        raise typer.Exit(code)


@app.command()
@reported
def report(
    ctx: typer.Context,
    period: Annotated[
        str, typer.Option(help="day, week, month or year: the last complete one, local time.")
    ] = "day",
    since: Annotated[
        datetime | None,
        day_option("First day (overrides --period; default with --until: that one day)."),
    ] = None,
    until: Annotated[
        datetime | None,
        day_option("Last day, inclusive (default: today)."),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="text, markdown, csv, json or html.")
    ] = "text",
    output: Annotated[
        Path | None,
        typer.Option(help="Write here (atomically) instead of stdout.", show_default=False),
    ] = None,
    section: Annotated[
        list[str] | None,
        typer.Option(
            help="Only this section (repeatable): queues, load, agents, reasons, quality, "
            "escalations, retention, caribbean.",
            show_default=False,
        ),
    ] = None,
    fail_on: Annotated[
        list[str] | None,
        typer.Option(
            help="Exit 3 if e.g. 'service_level<0.8' holds (repeatable; see docs/report-json.md).",
            show_default=False,
        ),
    ] = None,
    busy_timeout: Annotated[
        float, typer.Option(min=0, help="Seconds to wait for a locked store before failing.")
    ] = 10.0,
    as_of: Annotated[
        datetime | None, typer.Option(hidden=True, help="The report's 'now' (UTC), for replays.")
    ] = None,
    customer: Annotated[
        str | None,
        typer.Option(
            help="Instead: one customer's operational report (id or name), fit to send them.",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """The management report (default: yesterday, as text). Made for cron: never prompts."""
    from svcdesk_tui.cli.report import ReportRequest, run_report

    code = run_report(
        ReportRequest(
            db=db or (ctx.obj or {}).get("db"),
            period=period,
            since=since.date() if since else None,
            until=until.date() if until else None,
            fmt=fmt,
            output=output,
            sections=section,
            fail_on=fail_on,
            busy_timeout_s=busy_timeout,
            now=as_of.replace(tzinfo=UTC) if as_of and as_of.tzinfo is None else as_of,
            customer=customer,
        )
    )
    if code:
        raise typer.Exit(code)


escalations_app = typer.Typer(
    help="The escalation ladder: its clock (for cron) and who has what.", no_args_is_help=True
)
app.add_typer(escalations_app, name="escalations")
AsOfOption = Annotated[
    datetime | None, typer.Option("--as-of", hidden=True, help="'now' (UTC), for replays.")
]


def _utc(moment: datetime | None) -> datetime:
    if moment is None:
        return SystemClock().now()
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


@escalations_app.command("tick")
@reported
def escalations_tick(ctx: typer.Context, db: DbOption = None, as_of: AsOfOption = None) -> None:
    """Climb every escalation not accepted within its level's response time (run from cron).

    Prints one line per escalation that climbed; silent when nothing was overdue.
    """
    from svcdesk_tui.escalations.moves import climb_if_due

    database = Database.open(db or (ctx.obj or {}).get("db"))
    climbed = climb_if_due(database, _utc(as_of))
    for item in climbed:
        out.print(str(item), markup=False)
    if not climbed and sys.stdout.isatty():
        out.print("Nothing overdue.", markup=False)


@escalations_app.command("list")
@reported
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
    from svcdesk_tui.cli.escalations import inbox_lines

    database = Database.open(db or (ctx.obj or {}).get("db"))
    with database.read() as session:
        actor = acting_person(session, database, as_login)
    for line in inbox_lines(database, actor, _utc(as_of), resolved=resolved):
        out.print(line)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="svcdesk")

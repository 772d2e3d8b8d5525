"""`svcdesk forecast`: offered calls per interval for the next days, the agents they need, the
shifts' gaps; `--backtest WEEKS` says how good the forecast has been; `exceptional` marks days.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

import typer
from sqlmodel import Session

from svcdesk_tui.cli import forecast_output as out
from svcdesk_tui.cli.common import AsOfOption, AsOption, Commands, DbOption, utc_or_now
from svcdesk_tui.cli.output import emit, say
from svcdesk_tui.cli.store import open_store
from svcdesk_tui.core.errors import InvalidInput
from svcdesk_tui.core.periods import local_date
from svcdesk_tui.planning import exceptional
from svcdesk_tui.planning.forecast import MAX_DAYS, backtest, forecast, queues
from svcdesk_tui.planning.history import INTERVAL_CHOICES
from svcdesk_tui.planning.method import DEFAULT_WEEKS
from svcdesk_tui.planning.model_check import check_models
from svcdesk_tui.planning.staffing import plan_staffing

DayArgument = Annotated[
    datetime,
    typer.Argument(formats=["%Y-%m-%d"], help="The day, YYYY-MM-DD.", show_default=False),
]

forecast_app = Commands(
    help="The forecast of offered calls per queue and interval, the agents it needs "
    "(Erlang C and Erlang A) and where the shifts fall short.",
    invoke_without_command=True,
)
exceptional_app = Commands(
    help="Days unlike the others (holidays, outages): left out of the forecast's history "
    "and forecast apart.",
    no_args_is_help=True,
)
forecast_app.add_typer(exceptional_app, name="exceptional")


def check_options(
    days: int, interval: int | None, fmt: str, weeks: int, backtest_weeks: int | None
) -> None:
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(f"--days must be from 1 to {MAX_DAYS}, not {days}")
    if interval is not None and interval not in INTERVAL_CHOICES:
        choices = ", ".join(map(str, INTERVAL_CHOICES))
        raise InvalidInput(f"--interval must be one of {choices} minutes, not {interval}")
    if fmt not in out.FORMATS:
        raise InvalidInput(f"--format must be one of {', '.join(out.FORMATS)}, not {fmt!r}")
    if not 1 <= weeks <= 52:
        raise InvalidInput(f"--weeks must be from 1 to 52, not {weeks}")
    if backtest_weeks is not None and not 1 <= backtest_weeks <= 52:
        raise InvalidInput(f"--backtest must be from 1 to 52 weeks, not {backtest_weeks}")


@forecast_app.callback()
def forecast_command(
    ctx: typer.Context,
    days: Annotated[int, typer.Option("--days", help=f"Days to forecast, 1 to {MAX_DAYS}.")] = 7,
    queue: Annotated[
        str | None, typer.Option("--queue", help="One queue by name (default: every queue).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="text, csv or json.")] = "text",
    interval: Annotated[
        int | None,
        typer.Option(
            "--interval",
            help="Minutes: 15, 30 or 60 (default: the interval_minutes setting).",
            show_default=False,
        ),
    ] = None,
    weeks: Annotated[
        int, typer.Option("--weeks", help="Weeks of history the forecast learns from.")
    ] = DEFAULT_WEEKS,
    backtest_weeks: Annotated[
        int | None,
        typer.Option(
            "--backtest",
            metavar="WEEKS",
            help="Instead: forecast each day of the last WEEKS weeks from the history before "
            "it, and print the errors beside the Poisson floor.",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Offered calls per queue and interval for the next days, the agents they need, the gaps."""
    if ctx.invoked_subcommand is not None:
        return
    check_options(days, interval, fmt, weeks, backtest_weeks)
    now = utc_or_now(as_of)
    with open_store(ctx, db) as store, store.session() as session:
        tz = store.settings.timezone
        interval = interval or store.settings.interval_minutes
        today = local_date(now, tz)
        queue_id = _queue_id(session, queue)
        if backtest_weeks is not None:
            test = backtest(
                session,
                tz=tz,
                today=today,
                weeks_back=backtest_weeks,
                queue_id=queue_id,
                weeks=weeks,
                interval_minutes=interval,
            )
            models = check_models(
                session,
                tz=tz,
                start=today - timedelta(weeks=backtest_weeks),
                end=today,
                interval_minutes=interval,
                now=now,
            )
            if fmt == "json":
                emit(out.backtest_json(test, models))
            elif fmt == "csv":
                emit(out.backtest_csv(test))
            else:
                emit(out.backtest_text(test, models, weeks))
            return
        plan = plan_staffing(
            session,
            forecast(
                session,
                tz=tz,
                start=today,
                days=days,
                queue_id=queue_id,
                weeks=weeks,
                interval_minutes=interval,
            ),
            tz=tz,
            shrinkage=store.settings.shrinkage,
        )
    if fmt == "json":
        emit(out.plan_json(plan, tz, weeks))
    elif fmt == "csv":
        emit(out.plan_csv(plan, tz))
    else:
        emit(out.plan_text(plan, tz, weeks))


def _queue_id(session: Session, name: str | None) -> int | None:
    if name is None:
        return None
    known = queues(session)
    for q in known:
        if q.name.casefold() == name.casefold():
            return q.id
    raise InvalidInput(f"no queue {name!r}; the queues are: {', '.join(q.name for q in known)}")


@exceptional_app.command("add")
def exceptional_add(
    ctx: typer.Context,
    day: DayArgument,
    kind: Annotated[
        str, typer.Option("--kind", help=f"One of {', '.join(exceptional.KINDS)}.")
    ] = "holiday",
    note: Annotated[str | None, typer.Option("--note", help="Why (shown in the list).")] = None,
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Mark a day exceptional (or change its kind or note)."""
    now = utc_or_now(None)
    with open_store(ctx, db, as_login) as store, store.acting(write=True) as (session, actor):
        exceptional.mark(session, actor, day.date(), kind, note, now=now)
    say(f"{day.date()}: {kind}")


@exceptional_app.command("list")
def exceptional_list(ctx: typer.Context, db: DbOption = None) -> None:
    """The days marked exceptional, earliest first."""
    with open_store(ctx, db) as store, store.session() as session:
        rows = exceptional.list_days(session)
    for row in rows:
        say(f"{row.day}  {row.day:%a}  {row.kind:<9} {row.note or ''}".rstrip())
    if not rows:
        say("No exceptional days.")


@exceptional_app.command("remove")
def exceptional_remove(
    ctx: typer.Context,
    day: DayArgument,
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Make a marked day an ordinary day again."""
    now = utc_or_now(None)
    with open_store(ctx, db, as_login) as store, store.acting(write=True) as (session, actor):
        exceptional.unmark(session, actor, day.date(), now=now)
    say(f"{day.date()}: an ordinary day again")

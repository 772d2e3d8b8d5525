"""Opening the desk from the command line: the full desk, or the agent view over SSH."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Annotated

import typer

from svcdesk_tui.cli.common import AsOption, DbOption, group
from svcdesk_tui.cli.output import note, say
from svcdesk_tui.cli.store import open_store
from svcdesk_tui.core.clock import SystemClock
from svcdesk_tui.core.db import Database
from svcdesk_tui.core.errors import Conflict, InvalidInput
from svcdesk_tui.models import Role
from svcdesk_tui.people import presence
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, require, require_desk
from svcdesk_tui.queue import live as queue

RefreshOption = Annotated[
    float | None,
    typer.Option(
        help="Seconds between re-reads of the store (default: the center's setting).",
        min=0.2,
        show_default=False,
    ),
]
SimulateOption = Annotated[
    bool | None,
    typer.Option(
        "--simulate/--no-simulate",
        help="Feed simulated live calls (default: on for a demo center).",
        show_default=False,
    ),
]


def over_ssh() -> bool:
    """True when started from an SSH login (sshd sets SSH_CONNECTION)."""
    return bool(os.environ.get("SSH_CONNECTION"))


def open_desk(
    ctx: typer.Context,
    db: str | None,
    as_login: str | None,
    refresh: float | None,
    simulate: bool | None,
    *,
    agent_mode: bool | None,
) -> None:
    """Run the desk until it is closed; ``agent_mode`` None: the agent view for agents on SSH.

    The agent view logs its person in to take calls, needs no mouse, and logs them
    out when the terminal hangs up. The store and its settings are checked before
    the terminal is taken over, so a bad setting is one line, never a half-drawn desk.
    """
    with open_store(ctx, db, as_login) as store:
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            raise InvalidInput(
                "the desk needs a terminal; for scripts and cron use `svcdesk report`"
            )
        from svcdesk_tui.app import SvcDeskApp  # Textual is only imported for the desk itself
        from svcdesk_tui.hangup import guard_desk

        database = store.database
        with store.acting() as (_, actor):
            require_desk(actor)
            if agent_mode is None:
                agent_mode = over_ssh() and actor.role == Role.AGENT
            if agent_mode:
                require(actor, Action.TAKE_CALL)  # inside a session: the refusal is audited
        desk_app = SvcDeskApp(
            database,
            actor,
            settings=store.settings,
            refresh_seconds=refresh,
            simulate=database.demo if simulate is None else simulate,
            agent_mode=agent_mode,
        )
        guard = guard_desk(desk_app, database, actor)  # a hang-up logs out and ends the process
        desk_app.run(mouse=not agent_mode)
        guard.settle()
        if agent_mode or actor.role == Role.AGENT:
            log_out_after_desk(database, actor)


def log_out_after_desk(database: Database, actor: Actor) -> None:
    """Whoever took calls and quits the desk is no longer available (a call stays theirs)."""
    try:
        with database.write() as session:
            queue.log_out(session, actor, now=SystemClock().now())
    except Conflict:
        note("Your call is still in progress: open the desk again to finish it.")


def desk_command(doc: str, *, agent_mode: bool | None, root: bool = False) -> Callable[..., None]:
    """A command that opens the desk; ``root``: `svcdesk` itself, the parent of every command."""

    def command(
        ctx: typer.Context,
        db: DbOption = None,
        as_login: AsOption = None,
        refresh: RefreshOption = None,
        simulate: SimulateOption = None,
    ) -> None:
        if root:
            ctx.obj = {"db": db}  # the store of every sub-command that names none itself
            if ctx.invoked_subcommand is not None:
                return
        open_desk(ctx, db, as_login, refresh, simulate, agent_mode=agent_mode)

    command.__doc__ = doc
    return command


DESK_HELP = """Open the desk on the live queue. Run `svcdesk COMMAND --help` for the tools.

    Started from an SSH login (SSH_CONNECTION set), an agent gets the agent view.
    """
root = desk_command(DESK_HELP, agent_mode=None, root=True)
desk = desk_command(DESK_HELP, agent_mode=None)  # `svcdesk desk`: the same, by name
agent = desk_command(
    "The agent view: log in to take calls (80x24, keys only; made for SSH logins).",
    agent_mode=True,
)


presence_app = group("Who is logged in to take calls.")


@presence_app.command("tick")
def presence_tick(
    ctx: typer.Context,
    db: DbOption = None,
    stale_after: Annotated[
        float | None,
        typer.Option(
            min=1,
            help="Seconds without a heartbeat before a desk counts as gone "
            "(default: the stale_presence_seconds setting).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Log out agents whose desk stopped answering, ending their call (run from cron).

    Prints one line per agent logged out; silent when nobody was stale.
    """
    with open_store(ctx, db) as store, store.session(write=True) as session:
        limit = stale_after or store.settings.stale_presence_seconds
        cleared = presence.clear_stale(session, limit, now=SystemClock().now())
    say(*map(str, cleared))

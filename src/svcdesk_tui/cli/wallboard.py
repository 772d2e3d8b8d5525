"""`svcdesk wallboard`: the queue in big figures, in a terminal or served to a browser."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer
from sqlmodel import Session, col, select

from svcdesk_tui.cli.common import AsOption, DbOption
from svcdesk_tui.cli.desk import RefreshOption
from svcdesk_tui.cli.store import open_store, target
from svcdesk_tui.core.errors import InvalidInput
from svcdesk_tui.models import Queue

ROTATE_DEFAULT_S = 10.0


def picked_queues(session: Session, names: list[str]) -> list[str]:
    """The queues asked for, as the store spells them; an unknown name is a usage error."""
    known = list(session.exec(select(col(Queue.name)).order_by(col(Queue.name))))
    by_folded = {name.casefold(): name for name in known}
    unknown = [name for name in names if name.casefold() not in by_folded]
    if unknown:
        raise InvalidInput(f"no queue {', '.join(unknown)}; the queues are: {', '.join(known)}")
    return [by_folded[name.casefold()] for name in names]


def served_by_textual() -> bool:
    """True inside the process textual-serve starts for a browser (no terminal there)."""
    return "web_driver" in os.environ.get("TEXTUAL_DRIVER", "")


def wallboard(
    ctx: typer.Context,
    queue: Annotated[
        list[str] | None,
        typer.Option(
            "--queue", help="Show only this queue (repeat for more). Default: every queue."
        ),
    ] = None,
    serve: Annotated[
        bool, typer.Option("--serve", help="Serve it to web browsers instead of this terminal.")
    ] = False,
    host: Annotated[
        str, typer.Option(help="With --serve: the address to listen on (0.0.0.0: every one).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="With --serve: the port.", min=1, max=65535)] = 8080,
    rotate: Annotated[
        float,
        typer.Option(help="Seconds each page of queues stays up when they do not all fit.", min=1),
    ] = ROTATE_DEFAULT_S,
    refresh: RefreshOption = None,
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """The wallboard: waiting, longest wait, service level and agents, in big figures.

    Read-only: it changes nothing in the store and has no key that acts. Any role
    may open it; a `wallboard` login (staff add --role wallboard) may open only it.
    """
    with open_store(ctx, db, as_login) as store:
        with store.acting() as (session, actor):
            queues = picked_queues(session, queue or [])
        if not serve:
            if not (served_by_textual() or (sys.stdin.isatty() and sys.stdout.isatty())):
                raise InvalidInput("the wallboard needs a terminal; for a browser use --serve")
            from svcdesk_tui.screens.wallboard.app import WallboardApp  # Textual only here

            WallboardApp(
                store.database,
                actor,
                settings=store.settings,
                queues=queues,
                refresh_seconds=refresh,
                rotate_seconds=rotate,
            ).run()
            return
    from svcdesk_tui.screens.wallboard.serve import serve_wallboard

    serve_wallboard(
        target(ctx, db),
        host=host,
        port=port,
        queues=queues,
        as_login=as_login,
        refresh=refresh,
        rotate=rotate,
    )

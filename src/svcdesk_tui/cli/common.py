"""What every `svcdesk` command shares: the consoles, --db and --as, and error reporting."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from sqlmodel import Session

from svcdesk_tui.core import exit_codes
from svcdesk_tui.core.clock import SystemClock
from svcdesk_tui.core.csv_import import ImportResult
from svcdesk_tui.core.db import Database
from svcdesk_tui.core.errors import InvalidInput, SvcdeskError
from svcdesk_tui.core.files import write_atomic
from svcdesk_tui.core.periods import local_date
from svcdesk_tui.core.settings import load_settings
from svcdesk_tui.people import identity
from svcdesk_tui.people.identity import Actor

P = ParamSpec("P")
R = TypeVar("R")

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


def center_today(db: Database) -> date:
    """Today in the center's time zone."""
    with db.read() as session:
        return today_in(session)


def today_in(session: Session) -> date:
    """Today in the time zone of the center whose store ``session`` reads."""
    return local_date(SystemClock().now(), load_settings(session).timezone)


def acting_person(session: Session, database: Database, as_login: str | None) -> Actor:
    """Who runs this command: the OS login's staff record, or ``--as`` where allowed."""
    return identity.resolve_actor(
        session, demo=database.demo, today=today_in(session), as_login=as_login
    )


def day_option(help_text: str, *names: str) -> Any:
    """A YYYY-MM-DD option (Typer hands it over as a datetime at midnight)."""
    return typer.Option(*names, formats=["%Y-%m-%d"], help=help_text, show_default=False)


def read_text(path: Path) -> str:
    """A file's text, or standard input for '-'; an unreadable file is a usage error."""
    try:
        return sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput(f"cannot read {path}: {error}") from None


def print_or_write(text: str, out_path: Path | None) -> None:
    """Standard output, or ``out_path`` written atomically (a reader never sees half)."""
    if out_path is None:
        typer.echo(text, nl=False)
    else:
        write_atomic(out_path, text)


def report_import(result: ImportResult, source: Path) -> None:
    """Each refused line on stderr as ``FILE:LINE: why``, the summary on stdout; exit 4 if any."""
    for line, message in result.errors:
        err.print(f"{source}:{line}: {message}", markup=False)
    out.print(result.summary(), markup=False)
    if result.errors:
        raise typer.Exit(exit_codes.LINES_REJECTED)

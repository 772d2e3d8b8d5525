"""What every `svcdesk` command shares: --db, --as, dates, and errors in words."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer

from svcdesk_tui.cli.output import err
from svcdesk_tui.core.clock import SystemClock
from svcdesk_tui.core.errors import InvalidInput, SvcdeskError

P = ParamSpec("P")
R = TypeVar("R")
F = TypeVar("F", bound=Callable[..., Any])

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
OutOption = Annotated[
    Path | None,
    typer.Option("--out", help="File to write (default: standard output).", show_default=False),
]
AsOfOption = Annotated[
    datetime | None, typer.Option("--as-of", hidden=True, help="'now' (UTC), for replays.")
]
CsvFileArgument = Annotated[
    Path, typer.Argument(help="CSV file to read ('-' for standard input).", show_default=False)
]


class Commands(typer.Typer):
    """A Typer app whose every command and callback is :func:`reported`.

    Said here once, so no command can forget it and end in a traceback.
    """

    def command(self, *args: Any, **kwargs: Any) -> Callable[[F], F]:
        return self._reporting(super().command(*args, **kwargs))

    def callback(self, *args: Any, **kwargs: Any) -> Callable[[F], F]:
        return self._reporting(super().callback(*args, **kwargs))

    @staticmethod
    def _reporting(register: Callable[[Callable[..., Any]], object]) -> Callable[[F], F]:
        def decorator(function: F) -> F:
            register(reported(function))
            return function

        return decorator


def group(help_text: str) -> Commands:
    """A sub-command group: ``svcdesk NAME`` alone shows its help."""
    return Commands(help=help_text, no_args_is_help=True)


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


def day_option(help_text: str, *names: str) -> Any:
    """A YYYY-MM-DD option (Typer hands it over as a datetime at midnight)."""
    return typer.Option(*names, formats=["%Y-%m-%d"], help=help_text, show_default=False)


def as_utc(moment: datetime | None) -> datetime | None:
    """A moment given on the command line, read as UTC when it names no offset."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def utc_or_now(moment: datetime | None) -> datetime:
    """``moment`` as UTC, or now."""
    return as_utc(moment) or SystemClock().now()


def read_text(path: Path) -> str:
    """A file's text, or standard input for '-'; an unreadable file is a usage error."""
    try:
        return sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput(f"cannot read {path}: {error}") from None


def exit_with(code: int) -> None:
    """End the command with ``code`` unless it is 0."""
    if code:
        raise typer.Exit(code)

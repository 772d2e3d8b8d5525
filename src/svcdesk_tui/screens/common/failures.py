"""One place that turns a failed read or write into words on the desk, never a crash.

A thread worker that raises would end the desk (Textual exits on a worker
error), so every worker body of a screen runs under :func:`guarded`: the error
becomes a line in the status area, and the live screens retry on their next tick.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from sqlalchemy import exc as sa_exc

from svcdesk_tui.core.db import describe_error
from svcdesk_tui.core.errors import DatabaseError, SvcdeskError

if TYPE_CHECKING:
    from svcdesk_tui.screens.common.node import DeskNode

P = ParamSpec("P")
N = TypeVar("N", bound="DeskNode")

UNAVAILABLE = "store unavailable, retrying"


def in_words(error: BaseException, where: str) -> str:
    """What went wrong, fit to show as is."""
    if isinstance(error, SvcdeskError):
        return error.message
    if isinstance(error, sa_exc.SQLAlchemyError):
        return describe_error(error, where).message
    return f"{where}: {type(error).__name__}: {error}"


def store_unavailable(error: BaseException) -> bool:
    """Whether the store itself failed (busy, gone, unreadable), not the request."""
    return isinstance(error, DatabaseError | sa_exc.OperationalError | OSError)


def report(node: DeskNode, title: str, error: BaseException) -> None:
    """On the event loop: say what failed, in the status line."""
    app = node.app
    message = in_words(error, app.db.name)
    if store_unavailable(error):
        message = f"{UNAVAILABLE}: {message}"
    app.log.error(title, message)
    node.notify(message, title=title, severity="error")


def guarded(
    title: str,
) -> Callable[[Callable[Concatenate[N, P], None]], Callable[Concatenate[N, P], None]]:
    """Run a worker body so that any error is reported (from its thread) instead of raised."""

    def wrap(body: Callable[Concatenate[N, P], None]) -> Callable[Concatenate[N, P], None]:
        @functools.wraps(body)
        def run(node: N, *args: P.args, **kwargs: P.kwargs) -> None:
            try:
                body(node, *args, **kwargs)
            except Exception as error:
                with contextlib.suppress(RuntimeError):  # the desk closed meanwhile
                    node.app.call_from_thread(report, node, title, error)

        return run

    return wrap

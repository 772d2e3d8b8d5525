"""A store on a database server (PostgreSQL): its engine and how it is named in messages.

SQLite returns whole sums as ``int`` and averages as ``float``; PostgreSQL returns
both as ``numeric``, which the driver would hand over as ``Decimal``. So that every
measure gets the same Python numbers on both, a server engine reads ``numeric``
values as SQLite gives them: ``int`` when written without a decimal point, else ``float``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy import exc as sa_exc

from svcdesk_tui.core.errors import DatabaseError

DRIVER_HINT = "install the PostgreSQL driver with: pip install 'svcdesk[postgres]'"
SUPPORTED = "svcdesk runs on SQLite files and PostgreSQL (postgresql+psycopg://…) URLs"


def shown(target: str) -> str:
    """A database URL as it may appear in a message or on screen: without its password."""
    try:
        return make_url(target).render_as_string(hide_password=True)
    except sa_exc.ArgumentError:
        return target


def server_engine(url: str, busy_timeout_s: float) -> Engine:
    """An engine for a server URL, or :class:`DatabaseError` in words.

    Nothing waits on the server for ever, as nothing waits on a busy SQLite
    file for ever: a connection that is not made, or a lock (the writers' turn,
    a row) that is not granted, within ``busy_timeout_s`` is an error in words.
    """
    try:
        connect_args = _bounded_waits(url, busy_timeout_s)
        engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args)
    except sa_exc.ArgumentError as error:
        raise DatabaseError(f"cannot use database URL {shown(url)!r}: {error}") from None
    except ImportError as error:
        hint = DRIVER_HINT if url.startswith("postgresql") else SUPPORTED
        raise DatabaseError(f"cannot use {shown(url)}: {error}; {hint}") from None
    if engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg":
        event.listen(engine, "connect", _read_numeric_as_numbers)
    return engine


def _bounded_waits(url: str, busy_timeout_s: float) -> dict[str, Any]:
    """The connection's timeouts, beside (and after) what the URL itself sets.

    The URL's own ``options`` (a search path, say) are kept and come last, so a
    ``lock_timeout`` set there wins; a ``connect_timeout`` in the URL is kept.
    """
    if not url.startswith("postgresql"):
        return {}
    query = make_url(url).query
    lock_timeout = f"-c lock_timeout={max(1, int(busy_timeout_s * 1000))}"  # 0 would be never
    given = query.get("options")
    given = " ".join(given) if isinstance(given, tuple) else given
    waits: dict[str, Any] = {"options": f"{lock_timeout} {given}" if given else lock_timeout}
    if "connect_timeout" not in query:
        waits["connect_timeout"] = max(1, round(busy_timeout_s))
    return waits


def _read_numeric_as_numbers(dbapi_connection: Any, _record: object) -> None:
    dbapi_connection.adapters.register_loader("numeric", _numeric_loader())


@cache
def _numeric_loader() -> type:
    from psycopg.adapt import Loader

    class NumericAsNumber(Loader):
        def load(self, data: Any) -> int | float:
            text = bytes(data).decode("ascii")
            return float(text) if "." in text or "N" in text else int(text)

    return NumericAsNumber

"""The one way a command opens the store, reads the center's settings and learns who acts.

Opening checks every stored setting once, so a bad value stops the command with
one line naming it, before any figure is worked out from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import date

import typer
from sqlmodel import Session

from svcdesk_tui.core.clock import SystemClock
from svcdesk_tui.core.db import DEFAULT_BUSY_TIMEOUT_S, Database
from svcdesk_tui.core.periods import local_date
from svcdesk_tui.core.settings import CenterSettings, load_settings, usable_settings
from svcdesk_tui.people import identity
from svcdesk_tui.people.identity import Actor


def target(ctx: typer.Context, db: str | None) -> str | None:
    """The store named by this command's --db, else by the root command's (or $SVCDESK_DB)."""
    return db or (ctx.obj or {}).get("db")


@dataclass
class Store:
    """An open store, the center's settings and the ``--as`` login of one command."""

    database: Database
    as_login: str | None = None
    strict: bool = True
    _settings: CenterSettings | None = field(default=None, repr=False)

    @property
    def settings(self) -> CenterSettings:
        """The center's settings, read once (with ``strict``, a bad stored value raises)."""
        if self._settings is None:
            with self.database.read() as session:
                self._settings = (load_settings if self.strict else usable_settings)(session)
        return self._settings

    @property
    def today(self) -> date:
        """Today in the center's time zone."""
        return local_date(SystemClock().now(), self.settings.timezone)

    def session(self, *, write: bool = False) -> AbstractContextManager[Session]:
        """A short read session, or a write transaction."""
        return self.database.write() if write else self.database.read()

    def actor_in(self, session: Session, today: date | None = None) -> Actor:
        """Who runs this command: the OS login's staff record, or ``--as`` where allowed."""
        return identity.resolve_actor(
            session, demo=self.database.demo, today=today or self.today, as_login=self.as_login
        )

    @contextmanager
    def acting(self, *, write: bool = False) -> Iterator[tuple[Session, Actor]]:
        """A session and the acting person resolved in it (a refusal in it is audited)."""
        with self.session(write=write) as session:
            yield session, self.actor_in(session)


@contextmanager
def open_store(
    ctx: typer.Context,
    db: str | None,
    as_login: str | None = None,
    *,
    busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S,
    strict: bool = True,
) -> Iterator[Store]:
    """Open the command's store, check its settings, and close it when the command is done.

    ``strict=False`` is for the commands that repair settings: a bad stored value
    is then read as its default instead of stopping the command.
    """
    database = Database.open(target(ctx, db), busy_timeout_s=busy_timeout_s)
    try:
        store = Store(database, as_login, strict)
        store.settings  # noqa: B018 - a bad stored setting stops the command here
        yield store
    finally:
        database.close()

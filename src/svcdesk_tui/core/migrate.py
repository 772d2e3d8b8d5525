"""Schema migrations: stamping a new store, upgrading an old one, in words.

Every schema change goes through a migration in ``svcdesk_tui/migrations``
(Alembic), written so it runs on SQLite and on PostgreSQL. A new store is made
by running them all, so a new store and an upgraded one are the same; an
existing store is brought forward by ``svcdesk db upgrade``. Stores made before
migrations existed have no revision; they hold the baseline schema and are
upgraded from there.

Alembic is imported here only, so opening the desk does not pay for it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, inspect
from sqlalchemy import exc as sa_exc

from svcdesk_tui.core.db import (
    BASELINE_REVISION,
    DEFAULT_BUSY_TIMEOUT_S,
    REVISION_TABLE,
    describe_error,
    engine_for,
    not_a_store,
    recorded_revision,
    resolve_target,
)
from svcdesk_tui.core.db_server import shown
from svcdesk_tui.core.errors import DatabaseError
from svcdesk_tui.models import SchemaInfo

MIGRATIONS = Path(__file__).parents[1] / "migrations"


@dataclass(frozen=True)
class Upgrade:
    """What ``svcdesk db upgrade`` did: the revision before and after."""

    where: str
    before: str
    after: str

    def __str__(self) -> str:
        if self.before == self.after:
            return f"{self.where} is up to date (schema revision {self.after})"
        return f"{self.where} upgraded from schema revision {self.before} to {self.after}"


@cache
def scripts() -> ScriptDirectory:
    """The migrations shipped with this svcdesk."""
    return ScriptDirectory(str(MIGRATIONS))


def head() -> str:
    """The newest revision among the migrations."""
    newest = scripts().get_current_head()
    assert newest is not None, "the migrations folder has no revision"
    return newest


def build_schema(connection: Connection) -> None:
    """Make a new store's schema by running every migration from the start."""
    command.upgrade(_config(connection), "head")


def upgrade(target: str | os.PathLike[str] | None) -> Upgrade:
    """Bring an existing store to the newest revision, or raise :class:`DatabaseError`."""
    where = resolve_target(target)
    engine = engine_for(where, DEFAULT_BUSY_TIMEOUT_S, must_exist=True)
    try:
        with engine.begin() as connection:
            if not inspect(connection).has_table(SchemaInfo.__tablename__):
                raise not_a_store(shown(where))
            before = recorded_revision(connection)
            if before not in {script.revision for script in scripts().walk_revisions()}:
                raise DatabaseError(
                    f"{shown(where)} is at schema revision {before}, which this svcdesk does "
                    "not know: it was written by a newer release; use that one"
                )
            config = _config(connection)
            if not inspect(connection).has_table(REVISION_TABLE):
                command.stamp(config, BASELINE_REVISION)
            command.upgrade(config, "head")
    except sa_exc.SQLAlchemyError as error:
        raise describe_error(error, shown(where)) from None
    except CommandError as error:
        raise DatabaseError(f"{shown(where)}: cannot upgrade: {error}") from None
    finally:
        engine.dispose()
    return Upgrade(shown(where), before, head())


def _config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config

"""Alembic's entry point: runs the migrations on the connection svcdesk hands it.

svcdesk passes its own connection (``svcdesk db init``, ``svcdesk db upgrade``).
From Alembic's command line, for writing a new revision, the store comes from
``-x db=PATH_OR_URL`` (see docs/migrations.md).
"""

from alembic import context
from sqlmodel import SQLModel

from svcdesk_tui import models  # noqa: F401  (registers every table on the metadata)


def run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=True,  # SQLite alters a table by copying it; batch mode does that
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


given = context.config.attributes.get("connection")
if given is not None:
    run(given)
else:
    from svcdesk_tui.core.db import DEFAULT_BUSY_TIMEOUT_S, engine_for, resolve_target

    target = resolve_target(context.get_x_argument(as_dictionary=True).get("db"))
    engine = engine_for(target, DEFAULT_BUSY_TIMEOUT_S, must_exist=False)
    with engine.begin() as connection:
        run(connection)
    engine.dispose()

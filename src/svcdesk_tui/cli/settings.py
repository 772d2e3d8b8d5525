"""`svcdesk settings list|get|set|unset`: the center's thresholds, checked and audited.

These commands read a store even when one of its settings is bad, so that the
bad value can be seen and repaired; every other command refuses to start then.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from sqlmodel import Session

from svcdesk_tui.cli.common import AsOption, DbOption, group
from svcdesk_tui.cli.output import say
from svcdesk_tui.cli.store import open_store
from svcdesk_tui.core import audit
from svcdesk_tui.core.clock import SystemClock
from svcdesk_tui.core.settings import (
    SPECS,
    SettingsError,
    parse_value,
    remove_setting,
    save_setting,
    spec,
    stored_problem,
    stored_rows,
)
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, require

settings_app = group(
    "The center's settings (thresholds, windows, time zone): list, get, set, unset."
)
NameArgument = Annotated[
    str,
    typer.Argument(help="The setting, as `svcdesk settings list` names it.", show_default=False),
]


def shown(value: object) -> str:
    """A value as a person types it: text as is, numbers as JSON writes them."""
    return value if isinstance(value, str) else json.dumps(value)


def change_setting(
    session: Session, actor: Actor, name: str, value: int | float | str | None
) -> tuple[object, object]:
    """Set ``name`` to ``value`` (None: back to its default) as ``actor``; (old, new), audited.

    A bad stored value shows as its JSON text, so the audit says what was repaired.
    """
    require(actor, Action.CHANGE_SETTINGS)
    default = spec(name).default
    text = stored_rows(session).get(name)
    old: object = default
    if text is not None:
        old = text if stored_problem(name, text) else json.loads(text)
    if value is None:
        remove_setting(session, name)
    else:
        save_setting(session, name, value)
    new = default if value is None else value
    audit.record(
        session,
        actor,
        "setting.unset" if value is None else "setting.set",
        "setting",
        name,
        at=SystemClock().now(),
        before={"value": old, "overridden": text is not None},
        after={"value": new, "overridden": value is not None},
    )
    return old, new


@settings_app.command("list")
def settings_list(ctx: typer.Context, db: DbOption = None) -> None:
    """Every setting: its value, default, what it allows, whether it is overridden, and why."""
    with open_store(ctx, db, strict=False) as store, store.session() as session:
        stored = stored_rows(session)
        current = store.settings
    for name, wanted in SPECS.items():
        text = stored.get(name)
        problem = stored_problem(name, text) if text is not None else None
        state = "not overridden" if text is None else "overridden"
        if problem:
            state = "BAD stored value, default used"
        say(
            f"{name} = {shown(getattr(current, name))}  ({state}; default {shown(wanted.default)};"
            f" allowed: {wanted.allowed})",
            f"    {wanted.description}",
        )
        if problem:
            say(f"    stored: {text}")


@settings_app.command("get")
def settings_get(ctx: typer.Context, name: NameArgument, db: DbOption = None) -> None:
    """Print one setting's value (its default when not overridden)."""
    spec(name)
    with open_store(ctx, db, strict=False) as store, store.session() as session:
        text = stored_rows(session).get(name)
        problem = stored_problem(name, text) if text is not None else None
        value = getattr(store.settings, name)
    if problem:
        raise SettingsError(problem)
    say(shown(value))


@settings_app.command("set")
def settings_set(
    ctx: typer.Context,
    name: NameArgument,
    value: Annotated[str, typer.Argument(help="The new value.", show_default=False)],
    db: DbOption = None,
    as_login: AsOption = None,
) -> None:
    """Change a setting (managers and admins); a value it does not allow is refused (exit 2)."""
    parsed = parse_value(name, value)
    with (
        open_store(ctx, db, as_login, strict=False) as store,
        store.acting(write=True) as (session, actor),
    ):
        old, new = change_setting(session, actor, name, parsed)
    say(f"{name}: {shown(old)} → {shown(new)}")


@settings_app.command("unset")
def settings_unset(
    ctx: typer.Context, name: NameArgument, db: DbOption = None, as_login: AsOption = None
) -> None:
    """Return a setting to its default (managers and admins)."""
    spec(name)
    with (
        open_store(ctx, db, as_login, strict=False) as store,
        store.acting(write=True) as (session, actor),
    ):
        old, new = change_setting(session, actor, name, None)
    say(f"{name}: {shown(old)} → {shown(new)} (default)")

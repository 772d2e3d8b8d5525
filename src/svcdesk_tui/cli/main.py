"""The `svcdesk` command: the desk (TUI) by default, and the tools around it.

This module only assembles the app; each sub-command group lives in its own module.
A command line that only opens the desk (``svcdesk --db X --as Y``) is run by the
desk's own command alone: the other groups and what they import (the report,
the importer, SQLAlchemy's PostgreSQL dialect…) would stay in each desk's
memory for its whole life, a hundred times over on a busy server.
"""

from __future__ import annotations

import sys
from functools import cache

import typer

from svcdesk_tui.cli.common import Commands
from svcdesk_tui.cli.desk import root

SETTINGS: dict[str, object] = {
    "name": "svcdesk",
    "help": "A terminal desk for customer-service centers: the live queue, escalations, "
    "complaint follow-up, the Caribbean test and the management report.",
    "add_completion": False,
    "pretty_exceptions_enable": False,
    "context_settings": {"help_option_names": ["-h", "--help"]},
}
DESK_VALUED = ("--db", "--as", "--refresh")  # the desk's own options that take a value
DESK_FLAGS = ("--simulate", "--no-simulate")


def _typer() -> typer.Typer:
    app = Commands(**SETTINGS)  # type: ignore[arg-type]
    app.callback(invoke_without_command=True)(root)
    return app


@cache
def full_app() -> typer.Typer:
    """Every command: the help lists them all, and any sub-command runs from here."""
    from svcdesk_tui.cli.caribbean import caribbean, skills_app
    from svcdesk_tui.cli.db import db_app
    from svcdesk_tui.cli.demo import demo_data, simulate
    from svcdesk_tui.cli.desk import agent, desk, presence_app
    from svcdesk_tui.cli.escalations import escalations_app
    from svcdesk_tui.cli.feedback import feedback_app
    from svcdesk_tui.cli.forecast import forecast_app
    from svcdesk_tui.cli.ingest import ingest_app
    from svcdesk_tui.cli.leads import leads_app
    from svcdesk_tui.cli.monitoring import monitoring_app
    from svcdesk_tui.cli.report import report
    from svcdesk_tui.cli.settings import settings_app
    from svcdesk_tui.cli.staff import staff_app
    from svcdesk_tui.cli.visits import visits_app
    from svcdesk_tui.cli.wallboard import wallboard

    app = _typer()
    app.add_typer(db_app, name="db")
    app.add_typer(staff_app, name="staff")
    app.command("desk", hidden=True)(desk)
    app.command("agent")(agent)
    app.add_typer(presence_app, name="presence")
    app.command("demo-data")(demo_data)
    app.command()(simulate)
    app.command()(caribbean)
    app.add_typer(skills_app, name="skills")
    app.add_typer(feedback_app, name="feedback")
    app.add_typer(leads_app, name="leads")
    app.add_typer(visits_app, name="visits")
    app.add_typer(ingest_app, name="ingest")
    app.command()(report)
    app.add_typer(forecast_app, name="forecast")
    app.add_typer(escalations_app, name="escalations")
    app.add_typer(settings_app, name="settings")
    app.add_typer(monitoring_app, name="monitoring")
    app.command()(wallboard)
    return app


def only_opens_the_desk(args: list[str]) -> bool:
    """Whether a command line names no sub-command and asks for no help: the desk alone."""
    tokens = iter(args)
    for token in tokens:
        name, has_value = token.split("=", 1)[0], "=" in token
        if token in DESK_FLAGS:
            continue
        if name in DESK_VALUED:
            if not has_value:
                next(tokens, None)
            continue
        return False
    return True


def main() -> None:
    """Console-script entry point."""
    app = _typer() if only_opens_the_desk(sys.argv[1:]) else full_app()
    app(prog_name="svcdesk")


def __getattr__(name: str) -> typer.Typer:
    if name == "app":  # what tests and the docs' tools run: every command
        return full_app()
    raise AttributeError(name)

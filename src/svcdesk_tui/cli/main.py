"""The `svcdesk` command: the desk (TUI) by default, and the tools around it.

This module only assembles the app; each sub-command group lives in its own module.
"""

from __future__ import annotations

import typer

from svcdesk_tui.cli.caribbean import caribbean, skills_app
from svcdesk_tui.cli.db import db_app
from svcdesk_tui.cli.demo import demo_data, simulate
from svcdesk_tui.cli.desk import agent, desk, presence_app, root
from svcdesk_tui.cli.escalations import escalations_app
from svcdesk_tui.cli.feedback import feedback_app
from svcdesk_tui.cli.forecast import forecast_app
from svcdesk_tui.cli.ingest import ingest_app
from svcdesk_tui.cli.leads import leads_app
from svcdesk_tui.cli.report import report
from svcdesk_tui.cli.settings import settings_app
from svcdesk_tui.cli.staff import staff_app
from svcdesk_tui.cli.visits import visits_app
from svcdesk_tui.cli.wallboard import wallboard

app = typer.Typer(
    name="svcdesk",
    help="A terminal desk for customer-service centers: the live queue, escalations, "
    "complaint follow-up, the Caribbean test and the management report.",
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.callback(invoke_without_command=True)(root)
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
app.command()(wallboard)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="svcdesk")

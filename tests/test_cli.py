"""The `svcdesk` command as a user (or cron) meets it: help, errors, set-up."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from svcdesk_tui.cli import app
from svcdesk_tui.cli.main import only_opens_the_desk
from svcdesk_tui.core.db import Database
from svcdesk_tui.people import identity
from svcdesk_tui.people.identity import os_login

from .stores import ON_POSTGRES, new_store, sqlite_only

runner = CliRunner()


def svcdesk(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env=env)


def test_help_lists_every_command():
    result = svcdesk("--help")
    assert result.exit_code == 0
    for command in ("demo-data", "simulate", "db", "staff", "--db", "--as"):
        assert command in result.output


@sqlite_only
@pytest.mark.parametrize("command", [["db", "info"], ["staff", "list"], ["simulate"]])
def test_missing_database_is_one_line_and_exit_1(tmp_path, command):
    result = svcdesk(*command, "--db", str(tmp_path / "missing.db"))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("svcdesk: error: no database at")
    assert "Traceback" not in result.output


@sqlite_only
def test_corrupt_database_is_one_line_and_exit_1(tmp_path):
    path = tmp_path / "corrupt.db"
    path.write_bytes(b"\x00garbage" * 500)
    result = svcdesk("db", "info", "--db", str(path))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "not a readable svcdesk database" in result.stderr


def test_init_then_add_and_list_staff(tmp_path):
    path = new_store(tmp_path)
    result = svcdesk(
        "db", "init", "--db", path, "--center-name", "Utrecht", "--timezone", "Europe/Amsterdam"
    )
    assert result.exit_code == 0, result.output
    me = os_login()
    assert f"with {me} as admin" in result.stdout
    added = svcdesk(
        "staff",
        "add",
        "alice",
        "--name",
        "Alice Ames",
        "--role",
        "agent",
        "--limit",
        "25",
        "--db",
        path,
    )
    assert added.exit_code == 0, added.output
    listing = svcdesk("staff", "list", "--db", path)
    assert "alice" in listing.stdout and "Alice Ames" in listing.stdout and me in listing.stdout
    info = svcdesk("db", "info", "--db", path)
    assert "Utrecht (center)" in info.stdout and "2 staff" in info.stdout


def test_staff_add_refusals_are_clear(tmp_path):
    path = new_store(tmp_path)
    svcdesk("db", "init", "--db", path)
    bad_role = svcdesk("staff", "add", "x", "--name", "X", "--role", "boss", "--db", path)
    assert bad_role.exit_code == 2 and "role must be one of" in bad_role.stderr
    svcdesk("staff", "add", "alice", "--name", "Alice", "--db", path)
    twice = svcdesk("staff", "add", "alice", "--name", "Alice", "--db", path)
    assert twice.exit_code == 1 and "already a staff member" in twice.stderr


def test_unknown_os_user_is_told_how_to_get_added(tmp_path, monkeypatch):
    path = new_store(tmp_path)
    svcdesk("db", "init", "--db", path)
    monkeypatch.setattr(identity, "os_login", lambda: "stranger")
    result = svcdesk("staff", "add", "bob", "--name", "Bob", "--db", path)
    assert result.exit_code == 1
    assert "svcdesk staff add stranger" in result.stderr


def test_init_refuses_an_existing_store_and_a_bad_time_zone(tmp_path):
    path = new_store(tmp_path)
    assert svcdesk("db", "init", "--db", path).exit_code == 0
    again = svcdesk("db", "init", "--db", path)
    assert again.exit_code == 1 and "already" in again.stderr
    zone = svcdesk("db", "init", "--db", new_store(tmp_path), "--timezone", "Mars/Olympus")
    assert zone.exit_code == 2 and "unknown time zone" in zone.stderr


def test_svcdesk_db_environment_variable_picks_the_store(tmp_path):
    path = new_store(tmp_path)
    Database.create(path, center_name="From env").close()
    result = svcdesk("db", "info", env={"SVCDESK_DB": path})
    assert result.exit_code == 0 and "From env" in result.stdout


def test_simulate_refuses_a_real_center(tmp_path):
    path = new_store(tmp_path)
    Database.create(path).close()
    result = svcdesk("simulate", "--db", path, "--duration", "1")
    assert result.exit_code == 2 and "not a demo center" in result.stderr


def test_the_desk_without_a_terminal_says_what_to_use(tmp_path):
    """Through the installed console script, with no TTY, as cron would run it."""
    path = new_store(tmp_path)
    Database.create(path).close()
    result = subprocess.run(
        [sys.executable, "-m", "svcdesk_tui", "--db", path],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        env={**os.environ, "TERM": "dumb"},
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "svcdesk: error: the desk needs a terminal; for scripts and cron use `svcdesk report`"
    )


@pytest.mark.parametrize(
    ("args", "alone"),
    [
        ([], True),
        (["--db", "x.db", "--as", "ann", "--no-simulate", "--refresh=0.5"], True),
        (["--db=x.db", "--simulate"], True),
        (["--db", "x.db", "report"], False),
        (["--help"], False),
        (["-h"], False),
        (["reprot"], False),  # a typo gets the full app's "No such command"
        (["--as", "report"], True),  # a value, not a command
    ],
)
def test_which_command_lines_open_only_the_desk(args, alone):
    assert only_opens_the_desk(args) is alone


def test_opening_the_desk_loads_none_of_the_other_commands(tmp_path):
    """The report, the importer and their libraries would stay in every desk's memory."""
    path = new_store(tmp_path)
    Database.create(path).close()
    # a store on PostgreSQL needs its dialect, of course; on SQLite it stays unloaded
    server_dialect = "svcdesk_tui.report" if ON_POSTGRES else "sqlalchemy.dialects.postgresql"
    probe = (
        "import sys\n"
        "from svcdesk_tui.cli import main\n"
        f"sys.argv = ['svcdesk', '--db', {path!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"heavy = ('svcdesk_tui.report', 'svcdesk_tui.ingest', {server_dialect!r})\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        env={**os.environ, "TERM": "dumb"},
    )
    assert "the desk needs a terminal" in result.stderr
    assert result.stdout.strip() == "[]"
    typo = subprocess.run(
        [sys.executable, "-m", "svcdesk_tui", "--db", path, "reprot"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert typo.returncode == 2 and "No such command 'reprot'" in typo.stderr


def test_demo_data_in_another_time_zone_and_a_zone_that_is_not_one(tmp_path):
    out = tmp_path / "tokyo.db"
    args = ["demo-data", "--out", str(out), "--days", "2", "--agents", "6"]
    made = runner.invoke(app, [*args, "--timezone", "Asia/Tokyo"])
    assert made.exit_code == 0, made.output
    shown = runner.invoke(app, ["settings", "get", "timezone", "--db", str(out)])
    assert shown.exit_code == 0 and shown.output.strip() == "Asia/Tokyo"
    refused = runner.invoke(app, [*args, "--force", "--timezone", "Mars/Base"])
    assert refused.exit_code == 2 and "unknown time zone 'Mars/Base'" in refused.output

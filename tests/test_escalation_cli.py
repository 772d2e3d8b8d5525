"""`svcdesk escalations tick|list` through Typer's CliRunner on a real file."""

from __future__ import annotations

from datetime import timedelta

import pytest
from typer.testing import CliRunner

from svcdesk_tui.cli import app
from svcdesk_tui.escalations import moves as esc
from svcdesk_tui.people.identity import os_login

from .conftest import MORNING
from .escalation_helpers import build_floor
from .stores import sqlite_only

runner = CliRunner()


@pytest.fixture
def floor(center):
    floor = build_floor(center)
    with floor.db.write() as session:
        floor.eid = esc.raise_escalation(
            session, floor.alice, now=MORNING, reason="shouting", anger=5, call_id=floor.ann_call
        ).id
    return floor


def run(*args):
    return runner.invoke(app, list(args))


def test_tick_climbs_what_is_overdue_and_is_silent_otherwise(floor):
    db = floor.db.where
    early = run("escalations", "tick", "--db", db, "--as-of", "2026-01-05T10:29:00")
    assert (early.exit_code, early.stdout) == (0, "")
    due = run("escalations", "tick", "--db", db, "--as-of", "2026-01-05T10:30:00")
    assert due.exit_code == 0
    assert due.stdout.strip() == (
        f"escalation {floor.eid} (Ann Smith) climbed by itself from Shift lead to "
        "Service manager: not accepted in 30 min"
    )
    again = run("escalations", "tick", "--db", db, "--as-of", "2026-01-05T10:30:00")
    assert again.stdout == ""
    late = MORNING + timedelta(minutes=90)
    executive = run(
        "escalations", "tick", "--db", db, "--as-of", late.strftime("%Y-%m-%dT%H:%M:%S")
    )
    assert "to Executive" in executive.stdout and "EXECUTIVE — counted failure" in executive.stdout


def test_list_shows_what_the_person_may_see(floor):
    db, at = floor.db.where, "2026-01-05T10:10:00"
    stranger = run("escalations", "list", "--db", db)  # the OS login is not on the staff
    assert stranger.exit_code == 1 and "no active staff member" in stranger.stderr
    floor.staff(os_login(), "admin")  # an admin, who may act --as others
    alice = run("escalations", "list", "--db", db, "--as", "alice", "--as-of", at)
    assert alice.exit_code == 0, alice.stderr
    assert "Ann Smith" in alice.stdout and "10:00 / 30:00" in alice.stdout
    bert = run("escalations", "list", "--db", db, "--as", "bert", "--as-of", at)
    assert bert.exit_code == 0 and "Ann Smith" not in bert.stdout


@sqlite_only
def test_tick_on_a_missing_store_says_so(tmp_path):
    result = run("escalations", "tick", "--db", str(tmp_path / "nope.db"))
    assert result.exit_code == 1 and "no database at" in result.stderr

"""`svcdesk visits`: a technician's planned visits, and recording how one went."""

from __future__ import annotations

from datetime import timedelta

import pytest
from typer.testing import CliRunner

from svcdesk_tui.cli import app
from svcdesk_tui.models import ServiceTicket, Visit

from .builders import Center
from .conftest import MORNING
from .service_desk_helpers import build_service_desk
from .stores import new_store

runner = CliRunner()


@pytest.fixture
def desk(tmp_path, clock):
    built = build_service_desk(Center.create(new_store(tmp_path), clock, demo=True))
    yield built
    built.db.close()


def visits(desk, *args: str):
    return runner.invoke(app, ["visits", *args, "--db", str(desk.db.where)])


def test_a_technician_lists_their_own_planned_visits(desk):
    mine = visits(desk, "list", "--as", "bea")
    assert mine.exit_code == 0, mine.output
    assert mine.stdout.splitlines() == [
        "visit 1 (ticket 1)  2026-01-05 12:00-14:00  Bea Busy  Bob Jones +31 20 222  "
        "Boiler leak: described by the customer"
    ]
    assert visits(desk, "list", "--as", "tina").stdout == "No planned visits.\n"
    assert "Bea Busy" in visits(desk, "list", "--all", "--as", "tina").stdout


def test_the_technician_records_a_fix_and_the_ticket_is_fixed(desk):
    done = visits(
        desk,
        "done",
        "1",
        "--outcome",
        "fixed",
        "--arrived",
        "2026-01-05 12:05",
        "--ended",
        "2026-01-05 13:30",
        "--note",
        "new valve",
        "--as",
        "bea",
    )
    assert done.exit_code == 0, done.output
    with desk.db.read() as session:
        visit = session.get(Visit, 1)
        ticket = session.get(ServiceTicket, visit.ticket_id)
    assert (visit.arrived_at, visit.ended_at) == (
        MORNING + timedelta(hours=2, minutes=5),
        MORNING + timedelta(hours=3, minutes=30),
    )
    assert (visit.outcome, visit.internal_note) == ("fixed", "new valve")
    assert (ticket.state, ticket.fixed_at) == ("fixed", visit.ended_at)
    assert visits(desk, "list", "--as", "bea").stdout == "No planned visits.\n"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--outcome", "fixed", "--as", "tina"], 1, "tina (technician) may not complete a call"),
        (["--outcome", "mended", "--as", "bea"], 2, "visit outcome must be one of"),
        (["--outcome", "fixed", "--ended", "2026-01-05 11:00", "--as", "bea"], 2, "before"),
        (["--outcome", "fixed", "--ended", "yesterday", "--as", "bea"], 2, "visit time must"),
    ],
)
def test_refusals_are_one_line_and_change_nothing(desk, args, code, message):
    result = visits(desk, "done", "1", *args)
    assert result.exit_code == code
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
    with desk.db.read() as session:
        assert session.get(Visit, 1).outcome is None

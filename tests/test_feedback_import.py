"""`svcdesk feedback import`: survey answers from a CSV, as a survey tool exports them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from svcdesk_tui.cli import app
from svcdesk_tui.core.settings import save_setting
from svcdesk_tui.models import Feedback
from svcdesk_tui.people.identity import os_login

from .conftest import MORNING

runner = CliRunner()


@pytest.fixture
def surveyed(center):
    """One answered call of Bob's and one of an unknown caller, in an Amsterdam center."""
    center.staff(os_login(), "admin", name="The Admin")
    center.mara = center.staff("mara", "manager", name="Mara Vos")
    agent = center.staff("ann")
    support = center.queue("Support")
    bob = center.customer("Bob Jones")
    center.bobs_call = center.call(
        support, entered=MORNING, wait=10, talk=60, wrap=5, customer=bob, agent=agent
    )
    center.anonymous_call = center.call(
        support, entered=MORNING, wait=10, talk=60, wrap=5, agent=agent
    )
    with center.db.write() as session:
        save_setting(session, "timezone", "Europe/Amsterdam")
    return center


def import_csv(center, path):
    return runner.invoke(app, ["feedback", "import", str(path), "--db", str(center.db.where)])


def test_good_lines_go_in_bad_lines_are_named_and_a_rerun_adds_nothing(surveyed, tmp_path):
    call = surveyed.bobs_call
    sheet = tmp_path / "survey.csv"
    sheet.write_text(
        "call_id,csat,nps,received_at,comment\n"
        f"{call},5,10,2026-01-05T11:00,Quick and kind\n"  # 10:00 UTC: Amsterdam is UTC+1
        f"{call},1,,2026-01-05T12:30+01:00,Nobody listened\n"  # a detractor
        f"{call},7,,2026-01-05T13:00,\n"  # line 4: CSAT out of range
        "999,4,,2026-01-05T13:00,\n"  # line 5: no such call
        f"{call},4,,yesterday,\n"  # line 6: not a time
        f"{surveyed.anonymous_call},4,,2026-01-05T13:00,\n"  # line 7: no customer
        ",4,,2026-01-05T13:00,\n"  # line 8: about nothing
    )
    first = import_csv(surveyed, sheet)
    assert first.exit_code == 4, first.output
    assert first.stdout == "feedback: 2 changed, 0 unchanged, 5 refused\n"
    refused = first.stderr.splitlines()
    assert [line.split(":")[1] for line in refused] == ["4", "5", "6", "7", "8"]
    assert "CSAT is 1–5, not 7" in refused[0]
    assert "no call 999" in refused[1]
    assert "received_at must be a date and time" in refused[2]
    assert "no known customer" in refused[3]
    assert "give a call_id or a complaint_id" in refused[4]

    with surveyed.db.read() as session:
        stored = session.exec(select(Feedback).order_by(Feedback.id)).all()
        answers = [(f.csat, f.nps, f.received_at, f.followup_owner_id) for f in stored]
    assert answers == [
        (5, 10, MORNING, None),
        (1, None, MORNING + timedelta(hours=1, minutes=30), surveyed.mara.id),
    ]

    again = import_csv(surveyed, sheet)
    assert again.stdout == "feedback: 0 changed, 2 unchanged, 5 refused\n"
    with surveyed.db.read() as session:
        assert len(session.exec(select(Feedback)).all()) == 2


def test_a_file_without_a_received_at_column_is_refused_whole(surveyed, tmp_path):
    sheet = tmp_path / "survey.csv"
    sheet.write_text(f"call_id,csat\n{surveyed.bobs_call},5\n")
    result = import_csv(surveyed, sheet)
    assert result.exit_code == 2
    assert "missing: received_at" in result.stderr and "Traceback" not in result.output
    with surveyed.db.read() as session:
        assert session.exec(select(Feedback)).all() == []


def test_an_unreadable_file_is_one_line_and_exit_2(surveyed, tmp_path):
    result = import_csv(surveyed, tmp_path / "missing.csv")
    assert result.exit_code == 2
    assert (
        result.stderr.startswith("svcdesk: error: cannot read") and result.stderr.count("\n") == 1
    )

"""`svcdesk monitoring …` through the command line: forms, sample, evaluate, dispute, settle,
list, attach and play, with bad input refused in one line."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from svcdesk_tui.cli import app
from svcdesk_tui.core.settings import save_setting
from svcdesk_tui.models import Call
from svcdesk_tui.monitoring.forms import DEFAULT_FORM_CSV
from svcdesk_tui.people.identity import os_login
from svcdesk_tui.queue.customer_card import customer_card

from .conftest import MORNING
from .monitoring_helpers import ALL_YES, WEEK, build_floor

runner = CliRunner()
ANSWERS = [arg for code, value in ALL_YES.items() for arg in ("-a", f"{code}={value}")]


@pytest.fixture
def floor(center):
    center.staff(os_login(), "admin", name="The Admin")
    return build_floor(center)


def run(center, *args, login="lena"):
    return runner.invoke(app, ["monitoring", *args, "--db", str(center.db.where), "--as", login])


def test_forms_round_trip_and_a_broken_file_names_its_lines(floor, tmp_path):
    out = tmp_path / "form.csv"
    exported = run(floor, "forms", "export", "--out", str(out))
    assert exported.exit_code == 0, exported.output
    assert out.read_text() == DEFAULT_FORM_CSV
    out.write_text(DEFAULT_FORM_CSV.replace("Tone and courtesy", "Tone of voice"))
    imported = run(floor, "forms", "import", str(out), login="mara")
    assert (imported.exit_code, imported.stdout) == (0, "Service call v2: 9 items\n")
    broken = tmp_path / "broken.csv"
    broken.write_text(DEFAULT_FORM_CSV + "Service call,X,bad code,Text,yes_no,1,no,\n")
    refused = run(floor, "forms", "import", str(broken), login="mara")
    assert refused.exit_code == 2
    assert f"{broken}:11: code 'bad code'" in refused.stderr
    assert "the form was not imported: 1 bad line(s)" in refused.stderr
    assert "Traceback" not in refused.output
    listed = run(floor, "forms", "list")
    assert listed.stdout == "Service call v2\n"


def test_sample_evaluate_list_dispute_and_settle(floor):
    drawn = run(floor, "sample", "--week", str(WEEK))
    assert drawn.exit_code == 0, drawn.output
    assert drawn.stdout.startswith(f"week of {WEEK}: 12 calls drawn for 3 agents")
    listed = run(floor, "list", "--as-of", "2026-01-05T10:00:00")
    assert "To evaluate: 8" in listed.stdout  # Lena's team: Ann and Bo, 4 calls each
    assert "Cy Agent" not in listed.stdout
    call = floor.calls["ann"][0]
    scored = run(
        floor,
        "evaluate",
        str(call),
        *ANSWERS,
        "-a",
        "can_do=no",
        "--coaching",
        "Say what can be done",
    )
    assert scored.exit_code == 0, scored.output
    assert scored.stdout == f"evaluation #1 of call #{call} (Service call v1): 0% CRITICAL FAIL\n"
    again = run(floor, "evaluate", str(call), *ANSWERS, login="lars")
    assert "(calibration)" in again.stdout
    mine = run(floor, "list", "--as-of", "2026-01-05T10:00:00", login="ann")
    assert "#1  call" in mine.stdout and "Say what can be done" in mine.stdout
    assert "#2  call" not in mine.stdout  # a calibration is not the agent's to see
    disputed = run(floor, "dispute", "1", "--reason", "I offered a call-back", login="ann")
    assert disputed.stdout == "evaluation #1 disputed: Mara Manager will settle it\n"
    settled = run(floor, "settle", "1", "--overturn", "--note", "She did", login="mara")
    assert settled.stdout == "evaluation #1 overturned\n"


@pytest.mark.parametrize(
    ("args", "login", "code", "words"),
    [
        (["evaluate", "CALL", *ANSWERS], "ann", 1, "ann (agent) may not evaluate calls"),
        (["evaluate", "CALL", "-a", "listened"], "lena", 2, "write CODE=ANSWER"),
        (["evaluate", "CALL", *ANSWERS, "-a", "courtesy=7"], "lena", 2, "say 0 to 5"),
        (["evaluate", "999999", *ANSWERS], "lena", 1, "no call #999999"),
        (["sample", "--week", "2025-12-30"], "lena", 2, "starts on a Monday"),
        (["sample"], "bo", 1, "may not evaluate calls"),
        (["settle", "1", "--uphold", "--note", "x"], "mara", 1, "no evaluation #1"),
    ],
)
def test_bad_input_is_one_line_and_an_exit_code(floor, args, login, code, words):
    args = [str(floor.calls["ann"][0]) if a == "CALL" else a for a in args]
    result = run(floor, *args, login=login)
    assert result.exit_code == code, result.output
    assert words in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_recordings_attach_inside_the_folder_only_and_play_or_say_why(floor, tmp_path):
    folder = tmp_path / "recordings"
    folder.mkdir()
    (folder / "1767000000.42.wav").write_bytes(b"RIFF")
    outside = tmp_path / "secret.wav"
    outside.write_bytes(b"RIFF")
    call = floor.calls["ann"][0]
    unset = run(floor, "attach", str(call), str(outside), login="mara")
    assert unset.exit_code == 2 and "no recording folder is set" in unset.stderr
    with floor.db.write() as session:
        save_setting(session, "recording_folder", str(folder))
        save_setting(session, "recording_player", "true {path}")
    refused = run(floor, "attach", str(call), str(outside), login="mara")
    assert refused.exit_code == 2 and "is outside the recording folder" in refused.stderr
    sneaky = run(floor, "attach", str(call), "../secret.wav", login="mara")
    assert sneaky.exit_code == 2 and "is outside the recording folder" in sneaky.stderr
    missing = run(floor, "attach", str(call), "nothing.wav", login="mara")
    assert missing.exit_code == 1 and "no recording at" in missing.stderr
    attached = run(floor, "attach", str(call), "1767000000.42.wav", login="mara")
    assert attached.exit_code == 0, attached.output
    with floor.db.read() as session:
        assert session.get(Call, call).recording_path == str(folder / "1767000000.42.wav")
        customer = session.get(Call, call).customer_id
        card = customer_card(session, customer, now=MORNING, last_calls=50)
    shown = {past.call_id: past.recording_path for past in card.last_calls}
    assert shown[call] == str(folder / "1767000000.42.wav")  # the customer card shows it
    played = run(floor, "play", str(call))
    assert played.exit_code == 0, played.output
    assert run(floor, "play", str(call), login="ann").exit_code == 1  # agents may not listen
    with floor.db.write() as session:
        save_setting(session, "recording_player", "no-such-player-here {path}")
    no_player = run(floor, "play", str(call))
    assert no_player.exit_code == 1
    assert "the player 'no-such-player-here' is not installed" in no_player.stderr
    (folder / "1767000000.42.wav").unlink()
    gone = run(floor, "play", str(call))
    assert (
        gone.exit_code == 1 and "recording of call" in gone.stderr and "is missing" in gone.stderr
    )
    nothing = run(floor, "play", str(floor.calls["bo"][0]))
    assert nothing.exit_code == 1 and "has no recording" in nothing.stderr


def test_a_player_setting_without_path_is_refused(floor):
    result = runner.invoke(
        app,
        ["settings", "set", "recording_player", "mpv", "--db", str(floor.db.where), "--as", "mara"],
    )
    assert result.exit_code == 2 and "a command holding {path}" in result.stderr

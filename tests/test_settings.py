"""`svcdesk settings`, and what every command does when a stored setting is bad.

Each setting is tried twice: a bad value through `settings set` (refused, exit 2,
with what is allowed) and the same value written into the store with plain SQL
(then the report, another command and the desk stop with one line naming it).
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from svcdesk_tui.cli import app
from svcdesk_tui.core.clock import FrozenClock
from svcdesk_tui.core.db import Database
from svcdesk_tui.core.settings import SPECS, CenterSettings, Spec
from svcdesk_tui.people.identity import os_login

from .builders import Center
from .report_center import NOW, build
from .sql import rows
from .stores import copy_store, new_store

runner = CliRunner()
AS_OF = "2026-01-05T10:00:00"  # the report center's "yesterday" is Sunday 4 January


def bad_value(spec: Spec) -> int | float | str:
    """A value of the right type that the setting does not allow."""
    if spec.kind is str:
        return "Mars/Olympus_Mons"
    assert spec.high is not None
    return int(spec.high) + 1 if spec.kind is int else spec.high + 0.5


def typed(value: int | float | str) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def svcdesk(*args: str):
    return runner.invoke(app, list(args))


def store_by_hand(path: str, name: str, json_text: str) -> None:
    """Write one `setting` row with plain SQL, as someone with sqlite3 or psql would."""
    database = Database.open(path)
    try:
        with database.write() as session:
            session.execute(text("DELETE FROM setting WHERE key = :key"), {"key": name})
            session.execute(
                text("INSERT INTO setting (key, value) VALUES (:key, :value)"),
                {"key": name, "value": json_text},
            )
    finally:
        database.close()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The report's hand-built Sunday; the OS login running the tests is its admin."""
    path = new_store(tmp_path_factory.mktemp("settings"))
    center = build(Center.create(path, FrozenClock(NOW)))
    center.staff(os_login(), "admin")
    center.db.close()
    return path


@pytest.fixture
def db(template: str, tmp_path: Path) -> str:
    return copy_store(template, tmp_path / "store")


def one_error_line(result_stderr: str, name: str) -> str:
    lines = result_stderr.strip().splitlines()
    assert len(lines) == 1, result_stderr
    assert lines[0].startswith(f"svcdesk: error: setting {name} holds ")
    assert "Traceback" not in result_stderr
    return lines[0]


# --- every setting: refused on `set`, and stopping every command when stored by hand ------


@pytest.mark.parametrize("name", list(SPECS))
def test_set_refuses_a_value_outside_the_range_and_says_what_is_allowed(db: str, name: str):
    spec = SPECS[name]
    result = svcdesk("settings", "set", name, typed(bad_value(spec)), "--db", db)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"allowed: {spec.allowed}" in result.stderr
    assert svcdesk("settings", "get", name, "--db", db).stdout.strip() == typed(spec.default)


@pytest.mark.parametrize("name", list(SPECS))
def test_a_bad_value_stored_by_hand_stops_the_report_and_other_commands(db: str, name: str):
    spec = SPECS[name]
    stored = json.dumps(bad_value(spec))
    store_by_hand(db, name, stored)
    report = svcdesk("report", "--db", db, "--as-of", AS_OF)
    assert report.exit_code == 1
    assert report.stdout == ""  # not one figure worked out from the bad value
    line = one_error_line(report.stderr, name)
    assert stored in line and f"allowed: {spec.allowed}" in line
    for other in (["staff", "list"], ["escalations", "list"], ["caribbean"]):
        result = svcdesk(*other, "--db", db)
        assert result.exit_code == 1, other
        assert one_error_line(result.stderr, name) == line


def desk_on_a_terminal(*args: str) -> subprocess.CompletedProcess[str]:
    """`svcdesk ARGS` with a real terminal as its input and output; stderr is captured."""
    leader, follower = pty.openpty()
    try:
        return subprocess.run(
            [sys.executable, "-m", "svcdesk_tui", *args],
            stdin=follower,
            stdout=follower,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            env={**os.environ, "TERM": "xterm-256color"},
        )
    finally:
        os.close(follower)
        os.close(leader)


@pytest.mark.parametrize("name", list(SPECS))
def test_the_desk_stops_on_a_bad_stored_value_before_it_takes_the_terminal(db: str, name: str):
    """Through the console script on a real terminal: one line, exit 1, no TUI, no traceback."""
    store_by_hand(db, name, json.dumps(bad_value(SPECS[name])))
    result = desk_on_a_terminal("--db", db)
    assert result.returncode == 1
    one_error_line(result.stderr, name)


def test_svcdesk_desk_by_name_and_the_agent_view_stop_the_same_way(db: str):
    store_by_hand(db, "stale_presence_seconds", '"120"')
    for args in (["desk", "--db", db], ["--db", db, "desk"], ["agent", "--db", db]):
        result = desk_on_a_terminal(*args)
        assert result.returncode == 1, args
        one_error_line(result.stderr, "stale_presence_seconds")


# --- the numbers written as text, and JSON that is not JSON ---------------------------------


def test_fcr_window_stored_as_the_text_7_is_refused_rather_than_read_as_another_window(db: str):
    expected = json.loads(
        svcdesk("report", "--db", db, "--as-of", AS_OF, "--format", "json").stdout
    )
    assert expected["measures"]["fcr"] == pytest.approx(0.6)  # 3 of 5 handled calls, 7 days
    store_by_hand(db, "fcr_window_days", '"7"')
    result = svcdesk("report", "--db", db, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert one_error_line(result.stderr, "fcr_window_days") == (
        'svcdesk: error: setting fcr_window_days holds "7", which is text; allowed: a whole '
        "number from 1 to 365 (fix it with `svcdesk settings set fcr_window_days VALUE` or "
        "`svcdesk settings unset fcr_window_days`)"
    )
    listed = svcdesk("settings", "list", "--db", db).stdout
    assert 'stored: "7"' in listed
    repaired = svcdesk("settings", "set", "fcr_window_days", "7", "--db", db)
    assert (repaired.exit_code, repaired.stdout) == (0, 'fcr_window_days: "7" → 7\n')
    again = svcdesk("report", "--db", db, "--as-of", AS_OF, "--format", "json")
    assert again.exit_code == 0
    assert json.loads(again.stdout)["measures"]["fcr"] == expected["measures"]["fcr"]


@pytest.mark.parametrize(
    ("name", "stored", "why"),
    [
        ("refresh_seconds", '"1.5"', "which is text"),
        ("critical_min_depth", "2.5", "which is a fractional number"),
        ("followup_max_attempts", "true", "which is true/false"),
        ("timezone", "3", "which is a whole number"),
        ("caribbean_days", "[14]", "which is a list or an object"),
        ("history_window_days", "thirty", "which is not JSON"),
    ],
)
def test_a_stored_value_of_the_wrong_kind_is_named_with_what_it_is(db, name, stored, why):
    store_by_hand(db, name, stored)
    result = svcdesk("report", "--db", db, "--as-of", AS_OF)
    assert result.exit_code == 1
    line = one_error_line(result.stderr, name)
    assert why in line and f"allowed: {SPECS[name].allowed}" in line


def test_a_whole_number_is_a_fine_value_for_a_fractional_setting(db: str):
    store_by_hand(db, "refresh_seconds", "2")
    assert svcdesk("settings", "get", "refresh_seconds", "--db", db).stdout == "2\n"
    assert svcdesk("report", "--db", db, "--as-of", AS_OF).exit_code == 0


# --- list, get, set, unset ------------------------------------------------------------------


def test_list_shows_every_setting_with_value_default_range_description_and_override(db: str):
    assert svcdesk("settings", "set", "caribbean_days", "21", "--db", db).exit_code == 0
    result = svcdesk("settings", "list", "--db", db)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [line.split(" = ")[0] for line in lines[::2]] == list(SPECS)
    assert lines[lines.index(next(x for x in lines if x.startswith("caribbean_days")))] == (
        "caribbean_days = 21  (overridden; default 14; allowed: a whole number from 1 to 365)"
    )
    assert "fcr_window_days = 7  (not overridden; default 7; allowed:" in result.stdout
    assert "timezone = UTC  (overridden; default UTC; allowed: an IANA time zone" in result.stdout
    for spec in SPECS.values():
        assert f"    {spec.description}" in lines


def test_get_prints_one_value_and_names_the_known_ones_for_an_unknown_name(db: str):
    assert svcdesk("settings", "get", "escalation_at_risk_share", "--db", db).stdout == "0.75\n"
    assert svcdesk("settings", "get", "timezone", "--db", db).stdout == "UTC\n"
    unknown = svcdesk("settings", "get", "fcr_days", "--db", db)
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith(
        "svcdesk: error: unknown setting 'fcr_days'; the settings are:"
    )
    assert all(name in unknown.stderr for name in SPECS)
    assert svcdesk("settings", "set", "fcr_days", "3", "--db", db).exit_code == 2
    assert svcdesk("settings", "unset", "fcr_days", "--db", db).exit_code == 2


def test_set_and_unset_are_audited_with_who_and_old_to_new(db: str):
    changed = svcdesk("settings", "set", "timezone", "Europe/Amsterdam", "--db", db)
    assert (changed.exit_code, changed.stdout) == (0, "timezone: UTC → Europe/Amsterdam\n")
    assert svcdesk("settings", "get", "timezone", "--db", db).stdout == "Europe/Amsterdam\n"
    back = svcdesk("settings", "unset", "timezone", "--db", db)
    assert (back.exit_code, back.stdout) == (0, "timezone: Europe/Amsterdam → UTC (default)\n")
    database = Database.open(db)
    try:
        audited = rows(
            database,
            "SELECT actor_login, action, entity, entity_id, before, after FROM audit_entry "
            "WHERE entity = 'setting' ORDER BY id",
        )
    finally:
        database.close()
    me = os_login()
    assert [(who, action, entity_id) for who, action, _, entity_id, _, _ in audited] == [
        (me, "setting.set", "timezone"),
        (me, "setting.unset", "timezone"),
    ]
    (_, _, _, _, before, after), (_, _, _, _, before2, after2) = audited
    assert json.loads(before)["value"] == "UTC" and json.loads(after)["value"] == "Europe/Amsterdam"
    assert json.loads(before2)["value"] == "Europe/Amsterdam" and json.loads(after2) == {
        "value": "UTC",
        "overridden": False,
    }


@pytest.mark.parametrize("role", ["agent", "lead", "executive"])
def test_only_managers_and_admins_may_change_settings(db: str, role: str):
    database = Database.open(db)
    try:
        with database.write() as session:
            session.execute(text("UPDATE staff SET role = :role WHERE login = :me"),
                            {"role": role, "me": os_login()})  # fmt: skip
    finally:
        database.close()
    for args in (["set", "fcr_window_days", "10"], ["unset", "fcr_window_days"]):
        refused = svcdesk("settings", *args, "--db", db)
        assert refused.exit_code == 1
        assert refused.stderr == (
            f"svcdesk: error: {os_login()} ({role}) may not change the center's settings\n"
        )
    assert svcdesk("settings", "get", "fcr_window_days", "--db", db).stdout == "7\n"
    database = Database.open(db)
    try:
        refusals = rows(
            database, "SELECT entity_id FROM audit_entry WHERE action = 'permission.refused'"
        )
    finally:
        database.close()
    assert refusals == [("change_settings",), ("change_settings",)]


def test_a_manager_may_change_settings_with_their_login_recorded(tmp_path: Path):
    path = new_store(tmp_path)
    center = Center.create(path, FrozenClock(NOW), demo=True)
    center.staff("mia", "manager")
    center.staff("ann", "agent")
    center.db.close()
    assert (
        svcdesk("settings", "set", "caribbean_days", "7", "--db", path, "--as", "mia").exit_code
        == 0
    )
    refused = svcdesk("settings", "set", "caribbean_days", "9", "--db", path, "--as", "ann")
    assert refused.exit_code == 1
    database = Database.open(path)
    try:
        who = rows(database, "SELECT actor_login FROM audit_entry WHERE action = 'setting.set'")
    finally:
        database.close()
    assert who == [("mia",)]


def test_the_typed_table_and_the_settings_object_name_the_same_settings():
    assert set(SPECS) == set(vars(CenterSettings()))
    assert all(getattr(CenterSettings(), n) == s.default for n, s in SPECS.items())
    assert all(s.why_not(s.default) is None for s in SPECS.values())

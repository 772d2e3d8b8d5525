"""`svcdesk caribbean` and `svcdesk skills import/export` as a script or cron meets them."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from svcdesk_tui.cli import app
from svcdesk_tui.people.identity import os_login

from .caribbean_helpers import authority, away, procedure, skill

runner = CliRunner()


def svcdesk(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def floor(center):
    """Outage (critical): Mara U, Bob L. Refund (critical): Mara O, Ann O.
    Only Mara restores accounts; Ann is on holiday 7–8 January. The OS user is admin."""
    center.staff(os_login(), "admin", name="The Admin")
    center.mara = center.staff("mara", "manager", name="Mara Vos")
    center.ann = center.staff("ann", name="Ann Ames")
    center.bob = center.staff("bob", name="Bob Berg")
    outage, refund = procedure(center, "Outage"), procedure(center, "Refund")
    skill(center, center.mara, outage, "U")
    skill(center, center.bob, outage, "L")
    skill(center, center.mara, refund, "O")
    skill(center, center.ann, refund, "O")
    authority(center, center.mara, "account_restoration")
    away(center, center.ann, date(2026, 1, 7), date(2026, 1, 8))
    center.path = str(center.db.where)
    return center


def test_text_report_and_exit_3_when_the_manager_leaves_a_gap(floor):
    result = svcdesk("caribbean", "--db", floor.path, "--on", "2026-01-05")
    assert result.exit_code == 3, result.output
    out = result.stdout
    assert "Caribbean test on 2026-01-05" in out
    assert "Bus factor 1: without Mara Vos, nobody for Outage, approval: account_restoration" in out
    assert "Truck factor 1 (Mara Vos): then 1 of 2 critical procedures uncovered" in out
    assert (
        "  BREACH Outage (critical, depth 1/2, 0 O): only Mara Vos can do it alone; "
        "a critical procedure needs 2; nobody can teach it (no O)\n"
        "         → sign off Bob Berg (L) to U; make Mara Vos (U) a trainer (O)\n"
    ) in out
    assert "  BREACH account_restoration (1/2: Mara Vos): only Mara Vos can give it" in out
    # Mara away 5–18 January; Ann's holiday (7–8) leaves Refund with nobody on those two days
    assert (
        "If Mara Vos is away 14 days: 2 critical procedures uncovered on 14 days; "
        "nobody can give 1 approval on 14 days"
    ) in out
    assert (
        "  Mon 2026-01-05 – Tue 2026-01-06: Outage 0/2 (critical, UNCOVERED); "
        "approval account_restoration 0/2 (UNCOVERED); Refund 1/2 (critical, short)\n"
    ) in out
    assert "  Wed 2026-01-07 – Thu 2026-01-08: Outage 0/2 (critical, UNCOVERED); Refund 0/2" in out
    assert "Traceback" not in result.output


def test_json_for_another_person_and_range_exits_0_without_uncovered(floor):
    result = svcdesk(
        "caribbean",
        "--db",
        floor.path,
        "--on",
        "2026-01-05",
        "--away",
        "bob",
        "--from",
        "2026-01-05",
        "--to",
        "2026-01-06",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    what = data["what_if"]
    assert (what["away"], what["since"], what["until"]) == (["bob"], "2026-01-05", "2026-01-06")
    assert (
        what["summary"] == "If Bob Berg is away 2 days: 0 critical procedures uncovered on 0 days"
    )
    assert [g["name"] for g in what["days"][0]["gaps"]] == ["Outage", "account_restoration"]
    assert data["bus_factor"]["size"] == 1 and data["critical_uncovered"] is False


def test_nobody_away_still_counts_the_calendar(floor):
    result = svcdesk(
        "caribbean",
        "--db",
        floor.path,
        "--on",
        "2026-01-07",
        "--nobody",
        "--to",
        "2026-01-07",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    day = json.loads(result.stdout)["what_if"]["days"][0]
    assert day["absent"] == ["Ann Ames"]
    assert [(g["name"], g["depth"]) for g in day["gaps"]] == [
        ("Outage", 1),
        ("Refund", 1),
        ("account_restoration", 1),
    ]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--as", "ann"], 1, "ann (agent) may not see the Caribbean test"),
        (["--away", "zed"], 1, "no staff member 'zed'"),
        (["--format", "xml"], 2, "--format must be text or json"),
        (["--from", "2026-01-09", "--to", "2026-01-08"], 2, "ends (2026-01-08) before"),
        (["--nobody", "--away", "bob"], 2, "exclude each other"),
    ],
)
def test_refusals_are_one_line_with_an_exit_code(floor, args, code, message):
    result = svcdesk("caribbean", "--db", floor.path, "--on", "2026-01-05", *args)
    assert result.exit_code == code, result.output
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_bad_date_is_a_usage_error(floor):
    result = svcdesk("caribbean", "--db", floor.path, "--from", "5 January")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_skills_export_then_import_with_a_bad_line(floor, tmp_path):
    exported = svcdesk("skills", "export", "skills", "--db", floor.path)
    assert exported.exit_code == 0, exported.output
    assert exported.stdout == (
        "login,procedure,level\nann,Refund,O\nbob,Outage,L\nmara,Outage,U\nmara,Refund,O\n"
    )
    sheet = tmp_path / "skills.csv"
    sheet.write_text(exported.stdout.replace("bob,Outage,L", "bob,Outage,U") + "ann,Nowhere,U\n")
    result = svcdesk("skills", "import", "skills", str(sheet), "--db", floor.path)
    assert result.exit_code == 4  # some lines refused
    assert result.stderr == f"{sheet}:6: no procedure 'Nowhere'\n"
    assert result.stdout == "skills: 1 changed, 3 unchanged, 1 refused\n"
    after = svcdesk("skills", "export", "skills", "--db", floor.path).stdout
    assert "bob,Outage,U" in after and "Nowhere" not in after


def test_skills_import_needs_the_edit_right_and_a_known_table(floor, tmp_path):
    sheet = tmp_path / "a.csv"
    sheet.write_text("login,kind\nbob,account_restoration\n")
    refused = svcdesk(
        "skills", "import", "authorities", str(sheet), "--db", floor.path, "--as", "bob"
    )
    assert refused.exit_code == 1 and "may not change procedures" in refused.stderr
    unknown = svcdesk("skills", "export", "people", "--db", floor.path)
    assert unknown.exit_code == 2 and "unknown table 'people'" in unknown.stderr
    granted = svcdesk("skills", "import", "authorities", str(sheet), "--db", floor.path)
    assert granted.exit_code == 0 and granted.stdout == "authorities: 1 changed, 0 unchanged\n"

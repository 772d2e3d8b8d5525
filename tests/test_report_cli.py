"""`svcdesk report` as cron meets it: every format, thresholds, exit codes, no terminal."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from svcdesk_tui.cli import app
from svcdesk_tui.cli.progress import DelayedProgress
from svcdesk_tui.core.clock import FrozenClock

from .builders import Center
from .report_center import NOW, build
from .stores import copy_store, new_store, sqlite_only

runner = CliRunner()
AS_OF = "2026-01-05T10:00:00"  # the report of "yesterday" is Sunday 4 January
SVCDESK = str(Path(sys.executable).parent / "svcdesk")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The hand-built Sunday, made once; each test gets its own copy."""
    path = new_store(tmp_path_factory.mktemp("report"))
    center = build(Center.create(path, FrozenClock(NOW)))
    center.db.close()
    return path


@pytest.fixture
def db(built, tmp_path) -> str:
    return copy_store(built, tmp_path / "store")


def report(db: str, *args: str):
    return runner.invoke(app, ["report", "--db", db, "--as-of", AS_OF, *args])


def test_text_is_plain_and_aligned(db):
    result = report(db)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "\x1b" not in text and "\r" not in text
    assert "Period: 2026-01-04 (day, 1 day, time zone UTC)" in text
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Queue "))
    support = next(line for line in lines if line.startswith("Support"))
    # right-aligned numbers end in the same column as their header
    assert lines[header].index("Offered") + len("Offered") == support.index("6") + 1
    assert "60.0%" in support and "breach" in support
    for title in ("QUEUES", "LOAD AND STAFFING", "AGENTS", "CONTACT REASONS", "QUALITY"):
        assert title in lines
    assert "understaffed" in text


def test_markdown_tables(db):
    result = report(db, "--format", "markdown", "--section", "reasons")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("# ") and "## Contact reasons" in lines
    table = [line for line in lines if line.startswith("|")]
    assert len({len(line) for line in table}) == 1  # padded: every row the same width
    assert re.match(r"^\| -+ \| -+ \| -+: \| -+: \| -+: \|$", table[1])
    assert any("How to operate the product" in line and "50.0%" in line for line in table)


def test_csv_blocks_hold_raw_values(db):
    result = report(db, "--format", "csv", "--section", "queues", "--section", "quality")
    assert result.exit_code == 0, result.output
    blocks = [list(csv.reader(io.StringIO(b))) for b in result.stdout.split("\n\n")]
    figures = {(r[0], r[1]): r[2] for r in blocks[0][1:]}
    assert float(figures[("quality", "csat")]) == pytest.approx(2 / 3)
    assert figures[("quality", "available")] == "true"
    queues = [dict(zip(blocks[1][0], r, strict=True)) for r in blocks[1][1:]]
    support = next(r for r in queues if r["queue"] == "Support")
    assert (support["offered"], float(support["service_level"])) == ("6", 0.6)
    assert float(support["asa_seconds"]) == 13.75
    assert queues[-1]["row"] == "total"


def _keys(value, found):
    if isinstance(value, dict):
        for key, inner in value.items():
            found.add(key)
            _keys(inner, found)
    elif isinstance(value, list):
        for inner in value:
            _keys(inner, found)
    return found


def test_json_follows_the_documented_schema(db):
    result = report(db, "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["schema"] == "svcdesk-report/1"
    assert doc["period"] == {
        "kind": "day",
        "first_day": "2026-01-04",
        "last_day": "2026-01-04",
        "days": 1,
        "timezone": "UTC",
        "since": "2026-01-04T00:00:00+00:00",
        "until": "2026-01-05T00:00:00+00:00",
    }
    assert list(doc["sections"]) == [
        "queues",
        "load",
        "agents",
        "reasons",
        "quality",
        "monitoring",
        "escalations",
        "retention",
        "caribbean",
        "forecast",
    ]
    names = _keys(doc, set()) - {"UTC"}
    names -= {k for k in names if k[0].isupper() or " " in k}  # values used as keys: none
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", k) for k in names), names
    queues = doc["sections"]["queues"]["tables"]["queues"]
    kinds = {c["key"]: c["kind"] for c in queues["columns"]}
    for row in [*queues["rows"], queues["total"]]:
        for key, value in row.items():
            if kinds[key] == "rate" and value is not None:
                assert 0 <= value <= 1
    assert queues["total"]["asa_seconds"] == pytest.approx(115 / 6, abs=1e-6)
    assert doc["measures"]["service_level"] == pytest.approx(4 / 7, abs=1e-6)
    assert doc["measures"]["nps"] == 25.0
    executive = doc["sections"]["escalations"]["tables"]["reached_executive"]["rows"]
    assert executive[0]["raised_at"] == "2026-01-04T10:20:00+00:00"


def test_html_is_one_self_contained_file(db, tmp_path):
    out = tmp_path / "report.html"
    result = report(db, "--format", "html", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<style>" in page
    for external in ("<script", "<link", "src=", "http://", "https://", "url("):
        assert external not in page
    assert '<td class="red">breach</td>' in page  # colour and the word


def test_output_replaces_the_file_atomically(db, tmp_path):
    (tmp_path / "mail").mkdir()
    out = tmp_path / "mail" / "nightly.txt"
    out.write_text("yesterday's report\n")
    result = report(db, "--output", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == report(db).stdout
    assert [p.name for p in out.parent.iterdir()] == ["nightly.txt"]  # no temporary left over


def _restore_dev_null() -> None:
    """Put /dev/null back if a broken writer replaced it (the machine needs it)."""
    if not stat.S_ISCHR(os.stat(os.devnull).st_mode):
        os.unlink(os.devnull)
        os.mknod(os.devnull, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        os.chmod(os.devnull, 0o666)


def test_output_to_dev_null_leaves_it_a_character_device(db):
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    try:
        result = report(db, "--output", os.devnull, "--format", "html")
        still_a_device = stat.S_ISCHR(os.stat(os.devnull).st_mode)
    finally:
        _restore_dev_null()
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert still_a_device


def test_output_into_a_missing_folder_fails_cleanly(db, tmp_path):
    result = report(db, "--output", str(tmp_path / "nowhere" / "r.txt"))
    assert result.exit_code == 1
    assert result.stderr.startswith("svcdesk: error: cannot write")


def test_breached_threshold_exits_3_after_the_report(db):
    result = report(db, "--section", "queues", "--fail-on", "service_level<0.8")
    assert result.exit_code == 3
    assert "QUEUES" in result.stdout and "service_level<0.8: BREACHED" in result.stdout
    assert "threshold breached: service_level<0.8 (measured 0.5714)" in result.stderr


def test_thresholds_that_hold_exit_0(db):
    result = report(
        db,
        "--fail-on",
        "service_level<50%",
        "--fail-on",
        "reached_executive>1",
        "--fail-on",
        "abandon_rate>0.2",
    )
    assert result.exit_code == 0, result.output


def test_several_thresholds_one_breached(db):
    result = report(db, "--fail-on", "fcr<0.5", "--fail-on", "reached_executive>0")
    assert result.exit_code == 3
    assert "reached_executive>0" in result.stderr and "fcr<0.5" not in result.stderr


@pytest.mark.parametrize(
    ("expression", "says"),
    [
        ("service_level<<0.8", "cannot read --fail-on"),
        ("happiness<0.8", "unknown measure 'happiness'"),
        ("fcr=0.8", "cannot read --fail-on"),
    ],
)
def test_bad_threshold_is_a_usage_error_listing_the_names(db, expression, says):
    result = report(db, "--fail-on", expression)
    assert result.exit_code == 2
    assert says in result.stderr and "service_level" in result.stderr
    assert "Traceback" not in result.output


def test_threshold_outside_the_chosen_sections(db):
    result = report(db, "--section", "queues", "--fail-on", "fcr<0.5")
    assert result.exit_code == 2
    assert "needs the quality section" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "pdf"],
        ["--period", "fortnight"],
        ["--section", "gossip"],
        ["--since", "2026-01-05", "--until", "2026-01-04"],
    ],
)
def test_bad_options_exit_2(db, args):
    result = report(db, *args)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("svcdesk: error:")


@sqlite_only
def test_missing_database_is_one_line_and_exit_1(tmp_path):
    result = report(str(tmp_path / "missing.db"))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "no database at" in result.stderr


@sqlite_only
def test_a_file_that_is_not_a_store_is_one_line_and_exit_1(tmp_path):
    junk = tmp_path / "notes.db"
    junk.write_text("minutes of the Monday meeting\n" * 200)
    result = report(str(junk))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "not a readable svcdesk database" in result.stderr
    assert result.stdout == ""


@sqlite_only
@pytest.mark.parametrize(
    "lock",
    [
        # a rollback-journal store: another connection holds the write lock
        ["PRAGMA journal_mode=DELETE", "BEGIN EXCLUSIVE"],
        # the usual WAL store: a connection in exclusive locking mode that has written
        [
            "PRAGMA locking_mode=EXCLUSIVE",
            "BEGIN EXCLUSIVE",
            "UPDATE setting SET value = value WHERE key = 'timezone'",
        ],
    ],
    ids=["rollback-journal", "wal-exclusive"],
)
def test_locked_database_fails_after_the_busy_timeout(db, lock):
    locker = sqlite3.connect(db, isolation_level=None)
    try:
        for statement in lock:
            locker.execute(statement)
        result = report(db, "--busy-timeout", "0.2")
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "is busy" in result.stderr
    assert result.stdout == ""
    assert report(db, "--section", "queues").exit_code == 0  # released: the report runs


def test_cron_runs_it_with_an_empty_environment_and_no_terminal(db, tmp_path):
    command = ["env", "-i", "PATH=/usr/bin:/bin", SVCDESK, "report", "--db", db, "--as-of", AS_OF]
    done = subprocess.run(
        command, stdin=subprocess.DEVNULL, capture_output=True, timeout=60, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    text = done.stdout.decode("utf-8")
    assert "QUEUES" in text and "\x1b" not in text
    breached = subprocess.run(
        [*command, "--fail-on", "service_level<0.8"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert breached.returncode == 3
    assert breached.stderr.decode().startswith("svcdesk: threshold breached")


def _run_in_terminal(args: list[str], env: dict[str, str]) -> str:
    import pty

    master, slave = pty.openpty()
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    subprocess.run(args, stdin=slave, stdout=slave, stderr=slave, env=env, timeout=60)
    os.close(slave)
    reader.join(timeout=10)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


def test_colour_on_a_terminal_unless_no_color(db):
    args = [SVCDESK, "report", "--db", db, "--as-of", AS_OF, "--section", "queues"]
    env = {"PATH": "/usr/bin:/bin", "TERM": "xterm"}
    assert "\x1b[31mbreach" in _run_in_terminal(args, env)
    plain = _run_in_terminal(args, {**env, "NO_COLOR": "1"})
    assert "breach" in plain and "\x1b[" not in plain


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_only_on_a_terminal_and_erases_itself():
    quiet = io.StringIO()
    with DelayedProgress("report", stream=quiet, delay=0) as progress:
        progress.update("queues")
    assert quiet.getvalue() == ""
    screen = _Terminal()
    with DelayedProgress("report", stream=screen, delay=0) as progress:
        progress.update("queues")
        for _ in range(200):  # wait (bounded) until the line is drawn
            if "queues" in screen.getvalue():
                break
            threading.Event().wait(0.01)
    shown = screen.getvalue()
    assert "report: queues" in shown and shown.endswith("\r" + " " * 79 + "\r")


def test_data_cannot_smuggle_escapes_or_formulas(center):
    from svcdesk_tui.models import Escalation

    nasty = center.customer('=HYPERLINK("http://x")\x1b[2J\nEvil')
    agent = center.staff("ann")
    with center.db.write() as session:
        session.add(
            Escalation(
                customer_id=nasty,
                raised_by_id=agent.id,
                raised_at=NOW.replace(day=4),
                level_rank=4,
                level_entered_at=NOW.replace(day=4),
                reason="rings\x07 the bell",
            )
        )
    center.db.close()
    db = str(center.db.where)
    text = report(db, "--section", "escalations").stdout
    assert "\x1b" not in text and "\x07" not in text and "Evil" in text
    markdown = report(db, "--section", "escalations", "--format", "markdown").stdout
    assert "\x1b" not in markdown and "\x07" not in markdown
    rows = list(csv.reader(io.StringIO(report(db, "--format", "csv").stdout)))
    (row,) = [r for r in rows if r[:2] == ["escalations", "reached_executive"] and len(r) > 4]
    assert row[5].startswith("'=HYPERLINK")


def test_an_empty_center_reports_nothing_and_breaches_nothing(center):
    center.db.close()
    db = str(center.db.where)
    for fmt in ("text", "markdown", "csv", "json", "html"):
        assert report(db, "--format", fmt).exit_code == 0
    result = report(db, "--section", "queues", "--fail-on", "service_level<0.8")
    assert result.exit_code == 0
    assert "service_level<0.8: not checked, nothing to measure" in result.stdout
    assert json.loads(report(db, "--format", "json").stdout)["measures"]["service_level"] is None


@pytest.fixture
def amsterdam(tmp_path) -> str:
    """A center in Amsterdam (UTC+1 in winter) with calls just either side of local midnight."""
    center = Center.create(new_store(tmp_path), FrozenClock(NOW), timezone="Europe/Amsterdam")
    support = center.queue("Support")
    for utc in (
        "2025-12-28T22:30",  # Sunday 28 December 23:30 local: the week before
        "2025-12-28T23:30",  # Monday 29 December 00:30 local: first hour of the week
        "2026-01-03T22:59",  # Saturday 3 January 23:59 local
        "2026-01-03T23:00",  # Sunday 4 January 00:00 local: first minute of the day
        "2026-01-04T22:59",  # Sunday 4 January 23:59 local: last minute of the day
        "2026-01-04T23:00",  # Monday 5 January 00:00 local: today, not reported
    ):
        entered = datetime.fromisoformat(utc).replace(tzinfo=UTC)
        center.call(support, entered=entered, state="abandoned", wait=60)
    center.db.close()
    return str(center.db.where)


@pytest.mark.parametrize(
    ("period", "first", "last", "offered"),
    [
        ("day", "2026-01-04", "2026-01-04", 2),  # in UTC "yesterday" would be 3 January
        ("week", "2025-12-29", "2026-01-04", 4),  # Monday to Sunday, local
        ("month", "2025-12-01", "2025-12-31", 2),  # the two calls of 28 December UTC
    ],
)
def test_periods_are_calendar_periods_in_the_centers_time_zone(
    amsterdam, period, first, last, offered
):
    # 23:30 UTC on Sunday 4 January is already 00:30 on Monday 5 January in Amsterdam
    result = runner.invoke(
        app,
        [
            "report",
            "--db",
            amsterdam,
            "--as-of",
            "2026-01-04T23:30:00",
            "--period",
            period,
            "--format",
            "json",
            "--section",
            "queues",
        ],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (doc["period"]["first_day"], doc["period"]["last_day"]) == (first, last)
    assert doc["period"]["since"] == f"{first}T00:00:00+01:00"
    assert doc["measures"]["offered"] == offered


def test_since_and_until_override_the_period(amsterdam):
    result = runner.invoke(
        app,
        [
            *("report", "--db", amsterdam, "--as-of", AS_OF, "--period", "month"),
            *("--since", "2026-01-03", "--until", "2026-01-04", "--format", "json"),
        ],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["period"]["kind"] == "custom" and doc["period"]["days"] == 2
    # 3 January 23:59 local, and both calls of 4 January; the two hours with calls
    assert doc["measures"]["offered"] == 3
    hours = doc["sections"]["load"]["tables"]["hours"]["rows"]
    assert [h["hour"] for h in hours] == [
        "2026-01-03T23:00:00+01:00",
        "2026-01-04T00:00:00+01:00",
        "2026-01-04T23:00:00+01:00",
    ]

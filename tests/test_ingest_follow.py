"""`--follow`: lines appended while the importer runs, rotation, truncation, the live screen."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text

from svcdesk_tui.app import SvcDeskApp
from svcdesk_tui.core import exit_codes
from svcdesk_tui.core.db import Database
from svcdesk_tui.ingest.follow import POLL_SECONDS, Follower
from svcdesk_tui.ingest.importer import QueueLogImporter
from svcdesk_tui.people.identity import os_login

from .builders import Center
from .test_queue_screen import cells, until

T0 = 1767603600  # 2026-01-05 09:00:00 UTC; the test clock says 10:00


@pytest.fixture
def pbx_center(center: Center) -> Center:
    center.queue("Support", threshold=20, target=0.8, short=5)
    center.manager = center.staff("mvos", "manager", name="Mara Vos")
    return center


def append(path: Path, data: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(data)


def eventually(condition, timeout: float = 5.0) -> None:
    """Wait for the follower thread to get there (it polls every 20 ms)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError("the follower did not get there in time")


def calls(db: Database) -> dict[str, tuple]:
    with db.read() as session:
        found = session.execute(
            text("SELECT external_id, state, wait_seconds, talk_seconds FROM call")
        )
        return {row[0].split(":")[0]: tuple(row[1:]) for row in found}


@contextmanager
def following(center: Center, path: Path, poll: float = 0.02):
    importer = QueueLogImporter(Database.open(center.db.where), center.manager)
    follower = Follower(importer, path, stop=threading.Event(), poll_seconds=poll)
    thread = threading.Thread(target=follower.run, daemon=True)
    thread.start()
    try:
        yield follower
    finally:
        follower.stop.set()
        thread.join(5)
        importer.db.close()
    assert not thread.is_alive()


def test_follow_reads_appended_lines_through_rotation_and_truncation(pbx_center, tmp_path):
    path = tmp_path / "queue_log"
    path.write_text(f"{T0}|c1|support|NONE|ENTERQUEUE||0611|1\n")
    with following(pbx_center, path) as follower:
        eventually(lambda: calls(pbx_center.db) == {"c1": ("waiting", None, None)})

        append(path, f"{T0 + 5}|c1|support|SIP/1001|CONNECT|5")  # no newline yet
        eventually(lambda: follower.offset == path.stat().st_size)
        assert calls(pbx_center.db)["c1"][0] == "waiting"  # half a line is not read
        append(path, "|c1x|1\n")
        eventually(lambda: calls(pbx_center.db)["c1"] == ("on_call", 5, None))

        rotated = tmp_path / "queue_log.1"
        os.rename(path, rotated)  # Asterisk/logrotate: rename, then a new file
        append(rotated, f"{T0 + 65}|c1|support|SIP/1001|COMPLETEAGENT|5|60|1\n")  # late write
        path.write_text(f"{T0 + 70}|c2|support|NONE|ENTERQUEUE||0612|1\n")
        eventually(lambda: len(calls(pbx_center.db)) == 2)
        assert calls(pbx_center.db) == {
            "c1": ("completed", 5, 60),
            "c2": ("waiting", None, None),
        }
        assert follower.rotations == 1

        path.write_text("")  # copytruncate
        eventually(lambda: follower.rotations == 2)
        append(path, f"{T0 + 80}|c2|support|NONE|ABANDON|1|1|10\n")
        eventually(lambda: calls(pbx_center.db)["c2"] == ("abandoned", 10, None))

        append(path, "not a queue_log line\n")
        eventually(lambda: follower.importer.summary.rejected == 1)
    summary = follower.importer.summary
    assert summary.rejections[0].line == 2  # line 2 of the file as it is after truncation
    assert summary.events == 5


async def test_a_pbx_call_shows_on_the_live_queue_within_a_poll_and_a_refresh(pbx_center, tmp_path):
    path = tmp_path / "queue_log"
    path.write_text(f"{T0}|NONE|NONE|NONE|QUEUESTART|\n")
    app = SvcDeskApp(pbx_center.db, pbx_center.manager, clock=pbx_center.clock)
    with following(pbx_center, path, poll=POLL_SECONDS) as follower:
        # Two seconds by construction: a line is committed within one poll of the
        # follower and shown within one refresh of the desk (both the defaults). The
        # wait below has room to spare, as the machine running the tests may be busy.
        assert follower.poll_seconds + app.refresh_seconds <= 1.25
        async with app.run_test(size=(140, 40)) as pilot:
            await until(pilot, lambda: cells(app, "#waiting") == [])
            append(path, f"{T0 + 3590}|c9|support|NONE|ENTERQUEUE||+31 6 555|1\n")
            await until(pilot, lambda: len(cells(app, "#waiting")) == 1)
            shown = cells(app, "#waiting")[0]
            assert (shown["Queue"], shown["Caller"], shown["Wait"]) == (
                "Support",
                "+31 6 555",
                "0:10",
            )


class Command:
    """``svcdesk ingest queue-log --follow`` running as its own process, its stderr collected."""

    def __init__(self, center: Center, path: Path) -> None:
        script = Path(sys.executable).with_name("svcdesk")
        command = [str(script)] if script.exists() else [sys.executable, "-m", "svcdesk_tui"]
        args = ["ingest", "queue-log", str(path), "--follow", "--poll", "0.05"]
        self.process = subprocess.Popen(
            [*command, *args, "--db", str(center.db.where)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.said: list[str] = []
        self._reader = threading.Thread(target=self._read_stderr, daemon=True)
        self._reader.start()

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.said.append(line.rstrip("\n"))

    def stop(self) -> str:
        """SIGTERM (how systemd stops it); returns what it printed on stdout."""
        self.process.send_signal(signal.SIGTERM)
        out, _ = self.process.communicate(timeout=20)
        self._reader.join(5)
        return out


def test_the_command_follows_appends_rotation_and_truncation_until_stopped(pbx_center, tmp_path):
    pbx_center.staff(os_login(), "admin", name="The Admin")
    path = tmp_path / "queue_log"
    path.write_text(f"{T0}|c1|support|NONE|ENTERQUEUE||0611|1\n")
    command = Command(pbx_center, path)
    try:
        eventually(lambda: "c1" in calls(pbx_center.db), timeout=30)
        append(path, "garbage\n")
        append(path, f"{T0 + 8}|c1|support|SIP/1001|CONNECT|8|c1x|1\n")
        eventually(lambda: calls(pbx_center.db)["c1"] == ("on_call", 8, None))

        rotated = tmp_path / "queue_log.1"
        os.rename(path, rotated)  # rename rotation: the old file gets a last line…
        append(rotated, f"{T0 + 98}|c1|support|SIP/1001|COMPLETECALLER|8|90|1\n")
        path.write_text(f"{T0 + 100}|c2|support|NONE|ENTERQUEUE||0612|1\n")  # …then a new one
        eventually(lambda: f"{path} was rotated: reading it from the start" in command.said)
        eventually(lambda: calls(pbx_center.db).get("c2") == ("waiting", None, None))
        assert calls(pbx_center.db)["c1"] == ("completed", 8, 90)

        shutil.copyfile(path, tmp_path / "queue_log.2")  # copytruncate
        with path.open("r+") as handle:
            handle.truncate(0)
        eventually(lambda: f"{path} was truncated: reading it from the start" in command.said)
        append(path, f"{T0 + 103}|c2|support|NONE|ABANDON|1|1|3\n")
        append(path, f"{T0 + 110}|c3|support|NONE|ENTERQUEUE||0613|1\n")
        eventually(lambda: "c3" in calls(pbx_center.db))
        out = command.stop()
    finally:
        command.process.kill()
    assert command.process.returncode == exit_codes.LINES_REJECTED
    assert f"{path}:2: rejected: expected at least 5 '|'-separated fields, found 1" in command.said
    assert calls(pbx_center.db) == {
        "c1": ("completed", 8, 90),  # its end came from the rotated file
        "c2": ("abandoned", 3, None),  # entered in the new file, ended after the truncation
        "c3": ("waiting", None, None),
    }
    # 3 lines + 1 late line of the rotated file, 1 before and 2 after the truncation
    assert "7 lines, 6 events applied, 3 new calls" in out
    assert "Rejected 1 malformed lines; the rest went in." in out

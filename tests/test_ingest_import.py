"""Importing hand-written queue_logs: calls, agents, pauses and the figures, worked out by hand.

tests/data/day.queue_log is a morning (5 January 2026, from 09:00 UTC = T0) of two
PBX queues: "support" (svcdesk's "Support") and "7200" (unknown, so created):

support  A  enter +100, connect +112 (hold 12), caller hangs up after 120 s talk
         B  abandons after 3 s (a short abandon)          C  abandons after 40 s
         D  times out after 60 s                           E  leaves on key 5 after 2 s
         G1 leaves an empty queue after 30 s, then enters 7200 as G2
         H  answered after 18 s, attended transfer after 100 s
         I  answered after 5 s, transfer after 60 s         J  still waiting at the end
7200     F  answered after 25 s by Alice, agent hangs up after 300 s
         G2 answered after 4 s, blind transfer after 100 s  K  Alice on the call at the end
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from svcdesk_tui.cli import app
from svcdesk_tui.core import exit_codes
from svcdesk_tui.core.errors import InvalidInput, PermissionDenied
from svcdesk_tui.core.periods import today_period
from svcdesk_tui.ingest.follow import import_file
from svcdesk_tui.ingest.importer import QueueLogImporter
from svcdesk_tui.people.identity import os_login
from svcdesk_tui.queue.measures import queue_kpis

from .builders import Center
from .conftest import MORNING
from .sql import rows as sql_rows
from .stores import new_store

DATA = Path(__file__).parent / "data"
DAY = DATA / "day.queue_log"
T0 = 1767603600  # 2026-01-05 09:00:00 UTC


@pytest.fixture
def pbx_center(center: Center) -> Center:
    center.queue("Support", threshold=20, target=0.8, short=5)
    center.ann = center.customer("Ann Smith", phone="+31 20 111")
    center.sam = center.staff("sip-1001", name="Sam Sip")
    center.alice = center.staff("alice", name="Alice Ames")
    center.manager = center.staff("mvos", "manager", name="Mara Vos")
    return center


def run_import(center: Center, path: Path, **maps):
    importer = QueueLogImporter(center.db, center.manager, clock=center.clock, **maps)
    import_file(importer, path)
    return importer.finish()


def rows(center: Center, sql: str) -> list[tuple]:
    return sql_rows(center.db, sql)


CALLS = (
    f"SELECT c.external_id, q.name, c.state, c.end_reason, s.login, c.entered_at - {T0}, "
    f"c.answered_at - {T0}, c.ended_at - {T0}, c.wait_seconds, c.talk_seconds, c.caller_number, "
    "c.customer_id FROM call c JOIN queue q ON q.id = c.queue_id "
    "LEFT JOIN staff s ON s.id = c.agent_id ORDER BY c.external_id"
)
PRESENCE = (
    f"SELECT s.login, p.kind, p.reason, p.started_at - {T0}, p.ended_at - {T0} "
    "FROM presence_log p JOIN staff s ON s.id = p.staff_id ORDER BY s.login, p.kind"
)
AGENTS = (
    f"SELECT s.login, a.state, a.reason, a.since - {T0}, c.external_id FROM agent_status a "
    "JOIN staff s ON s.id = a.staff_id LEFT JOIN call c ON c.id = a.call_id ORDER BY s.login"
)


def snapshot(center: Center) -> tuple[list[tuple], ...]:
    return rows(center, CALLS), rows(center, PRESENCE), rows(center, AGENTS)


def test_every_call_of_the_day(pbx_center):
    run_import(pbx_center, DAY)
    ann = pbx_center.ann
    assert rows(pbx_center, CALLS) == [
        # external id, queue, state, end, agent, entered, answered, ended, wait, talk, caller
        ("1767603700.1:support:1767603700", "Support", "completed", "caller", "sip-1001",
         100, 112, 232, 12, 120, "+31 20 111", ann),
        ("1767603800.3:support:1767603800", "Support", "abandoned", "abandon", None,
         200, None, 203, 3, None, "0612345678", None),
        ("1767603900.4:support:1767603900", "Support", "abandoned", "abandon", None,
         300, None, 340, 40, None, "0612345679", None),
        ("1767604000.5:support:1767604000", "Support", "abandoned", "timeout", None,
         400, None, 460, 60, None, "0612345680", None),
        ("1767604100.6:support:1767604100", "Support", "abandoned", "exitkey", None,
         500, None, 502, 2, None, "0612345681", None),
        ("1767604200.7:7200:1767604200", "7200", "completed", "agent", "alice",
         600, 625, 925, 25, 300, "0612345682", None),
        ("1767604300.9:7200:1767604331", "7200", "completed", "transfer", "sip-1001",
         731, 735, 835, 4, 100, "0612345683", None),
        ("1767604300.9:support:1767604300", "Support", "abandoned", "exitempty", None,
         700, None, 730, 30, None, "0612345683", None),
        ("1767604500.11:support:1767604500", "Support", "completed", "transfer", "pjsip-2002",
         900, 918, 1018, 18, 100, "0612345684", None),
        ("1767604600.13:support:1767604600", "Support", "completed", "transfer", "sip-1001",
         1000, 1005, 1065, 5, 60, "0612345685", None),
        ("1767605100.15:support:1767605100", "Support", "waiting", None, None,
         1500, None, None, None, None, "+31 20 222", None),
        ("1767605110.16:7200:1767605110", "7200", "on_call", None, "alice",
         1510, 1520, None, 10, None, "0612345686", None),
    ]  # fmt: skip


def test_figures_agree_with_the_queue_log_tools(pbx_center):
    run_import(pbx_center, DAY)
    with pbx_center.db.read() as session:
        kpis = {k.queue_name: k for k in queue_kpis(session, today_period("UTC", now=MORNING))}
    support = kpis["Support"]
    # offered A B C D E G1 H I J; answered A H I; unanswered B C D E G1, of which only
    # B (a hang-up within 5 s) is a short abandon: E left on a key after 2 s but counts.
    assert (support.offered, support.answered, support.abandoned, support.short_abandons) == (
        9,
        3,
        4,
        1,
    )
    assert support.service_level == pytest.approx(3 / (3 + 4))  # A 12 s, H 18 s, I 5 s ≤ 20 s
    assert support.abandon_rate == pytest.approx(4 / (9 - 1))
    assert support.asa_seconds == pytest.approx((12 + 18 + 5) / 3)
    assert support.aht_seconds == pytest.approx((120 + 100 + 60) / 3)  # no wrap-up from a PBX
    pbx7200 = kpis["7200"]
    assert (pbx7200.offered, pbx7200.answered, pbx7200.abandoned) == (3, 3, 0)
    assert pbx7200.service_level == pytest.approx(2 / 3)  # G2 4 s, K 10 s; F 25 s is late
    assert pbx7200.asa_seconds == pytest.approx((25 + 4 + 10) / 3)
    assert pbx7200.aht_seconds == pytest.approx((300 + 100) / 2)  # K is still talking


def test_agents_sessions_and_pauses(pbx_center):
    run_import(pbx_center, DAY)
    assert rows(pbx_center, PRESENCE) == [
        ("alice", "session", None, 20, None),  # still logged in
        ("sip-1001", "pause", "lunch", 1100, 1400),  # PAUSE + PAUSEALL: one pause
        ("sip-1001", "session", None, 10, 1700),  # left 7200 at +1600, support at +1700
    ]
    assert rows(pbx_center, AGENTS) == [
        ("alice", "on_call", None, 1520, "1767605110.16:7200:1767605110"),
        ("pjsip-2002", "offline", None, 1018, None),  # took a call, never logged in
        ("sip-1001", "offline", None, 1700, None),
    ]


def test_summary_counts_skips_and_lists_what_it_created(pbx_center):
    summary = run_import(pbx_center, DAY)
    assert (summary.lines, summary.events, summary.rejected) == (42, 38, 0)
    assert dict(summary.skipped) == {"QUEUESTART": 1, "CONFIGRELOAD": 1, "unknown event": 2}
    assert summary.calls_added == 12 and summary.ring_no_answer == 1
    assert summary.new_queues == ["7200"]
    assert summary.new_staff == [("pjsip-2002", "PJSIP/2002")]
    created = rows(pbx_center, "SELECT name, role, hired_on FROM staff WHERE login = 'pjsip-2002'")
    assert created == [("PJSIP/2002", "agent", "2026-01-05")]
    queue = rows(
        pbx_center,
        "SELECT sl_threshold_seconds, sl_target, short_abandon_seconds FROM queue "
        "WHERE name = '7200'",
    )
    assert queue == [(20, 0.8, 5)]
    audited = rows(pbx_center, "SELECT action, actor_login, at FROM audit_entry ORDER BY id")
    now = int(MORNING.timestamp())  # the clock's time, not the events'
    assert audited == [
        ("queue.add", "mvos", now),  # at +600, when 7200 is first met
        ("staff.add", "mvos", now),  # at +918, PJSIP/2002's first answer
        ("ingest.queue_log", "mvos", now),
    ]


def test_importing_the_same_file_twice_adds_nothing(pbx_center):
    run_import(pbx_center, DAY)
    before = snapshot(pbx_center)
    again = run_import(pbx_center, DAY)
    assert (again.calls_added, again.calls_written) == (0, 0)
    assert again.new_queues == [] and again.new_staff == []
    assert snapshot(pbx_center) == before


def test_an_older_overlapping_file_read_afterwards_moves_nothing_back(pbx_center, tmp_path):
    run_import(pbx_center, DAY)
    before = snapshot(pbx_center)
    older = tmp_path / "queue_log.1"
    older.write_text("".join(DAY.read_text().splitlines(keepends=True)[:30]))
    # in it, I is still on a call and J has not called yet: the store keeps I completed
    again = run_import(pbx_center, older)
    assert (again.calls_added, again.calls_written) == (0, 0)
    assert snapshot(pbx_center) == before


def test_overlapping_files_continue_open_calls(pbx_center, tmp_path, clock):
    lines = DAY.read_text().splitlines(keepends=True)
    first, second = tmp_path / "queue_log.1", tmp_path / "queue_log"
    first.write_text("".join(lines[:30]))  # ends with I on a call, J not yet there
    second.write_text("".join(lines[19:]))  # repeats lines 20-30
    run_import(pbx_center, first)
    assert ("on_call",) in rows(pbx_center, "SELECT state FROM call")
    run_import(pbx_center, second)

    whole = Center.create(new_store(tmp_path), clock)
    whole.queue("Support", threshold=20, target=0.8, short=5)
    whole.ann = whole.customer("Ann Smith", phone="+31 20 111")
    whole.sam = whole.staff("sip-1001", name="Sam Sip")
    whole.alice = whole.staff("alice", name="Alice Ames")
    whole.manager = whole.staff("mvos", "manager", name="Mara Vos")
    run_import(whole, DAY)
    assert snapshot(pbx_center) == snapshot(whole)
    whole.db.close()


def test_a_file_that_starts_mid_call(pbx_center, tmp_path):
    path = tmp_path / "queue_log"
    path.write_text(
        f"{T0 + 232}|77.1|support|SIP/1001|COMPLETECALLER|12|120|1\n"  # placed by its figures
        f"{T0 + 300}|77.2|support|NONE|EXITWITHTIMEOUT|1\n"  # no start, no wait: not placed
        f"{T0 + 400}|77.3|support|NONE|ENTERQUEUE||0611|1\n"
        f"{T0 + 445}|77.3|support|NONE|EXITWITHTIMEOUT|1\n"  # old layout: wait from the times
        f"{T0 + 500}|77.4|support|NONE|ENTERQUEUE||0612|1\n"  # its end is missing…
        f"{T0 + 600}|77.4|support|NONE|ENTERQUEUE||0612|1\n"  # …so it is back: a new call
    )
    summary = run_import(pbx_center, path)
    assert (summary.orphans, summary.unended) == (1, 1)
    assert [row[2:10] for row in rows(pbx_center, CALLS)] == [
        ("completed", "caller", "sip-1001", 100, 112, 232, 12, 120),
        ("abandoned", "timeout", None, 400, None, 445, 45, None),
        ("waiting", None, None, 500, None, None, None, None),  # left as the log left it
        ("waiting", None, None, 600, None, None, None, None),
    ]


def test_agent_log_off_ends_the_pause_and_the_session(pbx_center, tmp_path):
    path = tmp_path / "queue_log"
    path.write_text(
        f"{T0}|NONE|NONE|Agent/1001|AGENTLOGIN|SIP/1001-0001\n"
        f"{T0 + 5}|NONE|NONE|Agent/1001|UNPAUSEALL|\n"  # not paused: nothing to end
        f"{T0 + 10}|NONE|NONE|Agent/1001|PAUSEALL|\n"  # no reason given
        f"{T0 + 10}|NONE|support|Agent/1001|PAUSE|\n"  # the same pause, per queue
        f"{T0 + 100}|NONE|NONE|Agent/1001|AGENTLOGOFF|SIP/1001-0001|100\n"
        f"{T0 + 200}|NONE|NONE|Agent/1002|AGENTCALLBACKLOGIN|1002@from-internal\n"
    )
    summary = run_import(pbx_center, path)
    assert summary.new_staff == [("agent-1001", "Agent/1001"), ("agent-1002", "Agent/1002")]
    assert rows(pbx_center, PRESENCE) == [
        ("agent-1001", "pause", "paused", 10, 100),
        ("agent-1001", "session", None, 0, 100),
        ("agent-1002", "session", None, 200, None),
    ]
    assert rows(pbx_center, AGENTS) == [
        ("agent-1001", "offline", None, 100, None),
        ("agent-1002", "available", None, 200, None),
    ]


def test_map_files_name_queues_and_agents(pbx_center, tmp_path):
    pbx_center.queue("Billing", threshold=30)
    pbx_center.staff("bob", name="Bob Berg")
    queue_map, agent_map = tmp_path / "queues.map", tmp_path / "agents.map"
    queue_map.write_text("# PBX queue = svcdesk queue\n7200 = Billing\n")
    agent_map.write_text("PJSIP/2002 = bob\n\nSIP/1001=alice\n")
    from svcdesk_tui.ingest.names import read_map

    summary = run_import(
        pbx_center,
        DAY,
        queue_map=read_map(queue_map, "queue"),
        agent_map=read_map(agent_map, "agent"),
    )
    assert summary.new_queues == [] and summary.new_staff == []
    counts = rows(
        pbx_center,
        "SELECT q.name, s.login, count(*) FROM call c JOIN queue q ON q.id = c.queue_id "
        "JOIN staff s ON s.id = c.agent_id GROUP BY q.name, s.login ORDER BY q.name, s.login",
    )
    assert counts == [("Billing", "alice", 3), ("Support", "alice", 2), ("Support", "bob", 1)]


def test_a_map_naming_a_missing_queue_is_refused_before_anything_is_written(pbx_center):
    with pytest.raises(InvalidInput, match="the queue map names queues svcdesk lacks: Sales"):
        QueueLogImporter(pbx_center.db, pbx_center.manager, queue_map={"7300": "Sales"})
    assert rows(pbx_center, "SELECT count(*) FROM call") == [(0,)]


def test_a_malformed_map_line_is_reported(tmp_path):
    from svcdesk_tui.ingest.names import read_map

    path = tmp_path / "agents.map"
    path.write_text("SIP/1001 alice\n")
    with pytest.raises(InvalidInput, match="line 1: expected 'PBX NAME = svcdesk name'"):
        read_map(path, "agent")


def test_agents_may_not_import(pbx_center):
    with pytest.raises(PermissionDenied, match="may not import the PBX's queue_log"):
        QueueLogImporter(pbx_center.db, pbx_center.alice)


# --- the command -------------------------------------------------------------------


@pytest.fixture
def cli_center(pbx_center):
    pbx_center.staff(os_login(), "admin", name="The Admin")
    return pbx_center


def ingest(center: Center, *args: str):
    return CliRunner().invoke(
        app, ["ingest", "queue-log", *args, "--db", str(center.db.where)], catch_exceptions=False
    )


def test_command_reports_what_it_did(cli_center):
    result = ingest(cli_center, str(DAY))
    assert result.exit_code == exit_codes.OK, result.output
    assert "42 lines, 38 events applied, 12 new calls" in result.stdout
    assert "Skipped: CONFIGRELOAD 1, QUEUESTART 1, unknown event 2." in result.stdout
    assert "New queues: 7200." in result.stdout
    assert "New staff (role agent): pjsip-2002 (PJSIP/2002)." in result.stdout
    assert result.stderr == ""


def test_bad_lines_are_reported_by_number_and_the_rest_goes_in(cli_center, tmp_path):
    path = tmp_path / "bad.queue_log"
    shutil.copy(DATA / "bad.queue_log", path)
    result = ingest(cli_center, str(path))
    assert result.exit_code == exit_codes.LINES_REJECTED == 4
    reported = [line.split(": rejected: ") for line in result.stderr.splitlines()]
    assert [(where.rsplit(":", 1)[1], why) for where, why in reported] == [
        ("2", "expected at least 5 '|'-separated fields, found 1"),
        ("3", "timestamp 'abc' is not epoch seconds"),
        ("4", "the event name (5th field) is empty"),
        ("5", "ENTERQUEUE has no call uniqueid (2nd field)"),
        ("6", "ENTERQUEUE has no queue name (3rd field)"),
        ("7", "CONNECT has no agent (4th field)"),
        ("9", "calltime is missing"),
        ("10", "holdtime 'x' is not a whole number"),
        ("11", "waittime '-4' is not a whole number"),
        ("12", "line is not valid UTF-8 text"),
        ("13", "line is longer than 4096 characters"),
        ("14", "'ENTER QUEUE' is not an event name"),
        ("15", "timestamp '0' is out of range"),
        ("19", "expected at least 5 '|'-separated fields, found 4"),
        ("20", "PAUSE has no agent (4th field)"),
        ("21", "line is not valid UTF-8 text"),  # binary garbage
        ("22", "line holds the control character '\\x00' (binary data)"),
    ]
    assert "Rejected 17 malformed lines; the rest went in." in result.stdout
    # b1 went in whole (wait 14, talk 86), b7 too (abandoned after 50 s, after the garbage);
    # nothing of b2..b6 or b9 (every line of theirs was bad)
    assert [row[0:4] + row[8:10] for row in rows(cli_center, CALLS)] == [
        ("b1:support:1767603700", "Support", "completed", "caller", 14, 86),
        ("b7:support:1767603950", "Support", "abandoned", "abandon", 50, None),
    ]


def test_missing_file_and_missing_map_are_usage_errors(cli_center, tmp_path):
    result = ingest(cli_center, str(tmp_path / "nope"))
    assert result.exit_code == exit_codes.USAGE
    assert result.stderr.strip() == f"svcdesk: error: no queue_log file at {tmp_path / 'nope'}"
    result = ingest(cli_center, str(DAY), "--agent-map", str(tmp_path / "none.map"))
    assert result.exit_code == exit_codes.USAGE
    assert "cannot read the agent map" in result.stderr
    assert rows(cli_center, "SELECT count(*) FROM call") == [(0,)]


def test_only_a_hang_up_is_a_short_abandon(center):
    support = center.queue("Support", threshold=20, target=0.8, short=5)
    entered = MORNING.replace(hour=8)
    for _ in range(5):
        center.call(support, entered=entered, state="abandoned", wait=2)
    reasons = ["timeout", "exitkey", "exitempty", "abandon", "abandoned"]
    with center.db.write() as session:
        ids = [row[0] for row in session.execute(text("SELECT id FROM call ORDER BY id"))]
        for call_id, reason in zip(ids, reasons, strict=True):
            session.execute(
                text("UPDATE call SET end_reason = :r WHERE id = :i"), {"r": reason, "i": call_id}
            )
    with center.db.read() as session:
        kpi = queue_kpis(session, today_period("UTC", now=MORNING))[0]
    # the hang-ups (PBX "abandon", desk "abandoned") are short; the other three count
    assert (kpi.offered, kpi.short_abandons, kpi.abandoned) == (5, 2, 3)
    assert kpi.abandon_rate == pytest.approx(3 / (5 - 2))
    assert kpi.service_level == 0.0


def test_windows_line_ends_and_a_last_line_without_newline(pbx_center, tmp_path):
    path = tmp_path / "queue_log"
    path.write_bytes(DAY.read_bytes().replace(b"\n", b"\r\n").rstrip(b"\r\n"))
    summary = run_import(pbx_center, path)
    assert (summary.lines, summary.events, summary.rejected, summary.calls_added) == (42, 38, 0, 12)


def test_a_big_file_on_a_terminal_gets_a_progress_bar(pbx_center, monkeypatch):
    import io

    from rich.console import Console

    from svcdesk_tui.cli import ingest as cli_ingest

    monkeypatch.setattr(cli_ingest, "PROGRESS_MIN_BYTES", 1)  # the day file counts as big
    screen, report = io.StringIO(), io.StringIO()
    err = Console(file=screen, force_terminal=True, width=100)
    out = Console(file=report, force_terminal=False, width=200)
    code = cli_ingest.run_queue_log(
        pbx_center.db, pbx_center.manager, DAY, follow=False, queue_map=None, agent_map=None,
        out=out, err=err,
    )  # fmt: skip
    assert code == exit_codes.OK
    assert "Importing day.queue_log" in screen.getvalue()
    assert "\x1b[" not in report.getvalue()  # the report itself stays plain
    plain = io.StringIO()
    cli_ingest.run_queue_log(
        pbx_center.db, pbx_center.manager, DAY, follow=False, queue_map=None, agent_map=None,
        out=out, err=Console(file=plain, force_terminal=False),
    )  # fmt: skip
    assert plain.getvalue() == ""  # not a terminal: no bar


def fresh_center(path: str, clock) -> Center:
    built = Center.create(path, clock)
    built.queue("Support", threshold=20, target=0.8, short=5)
    built.ann = built.customer("Ann Smith", phone="+31 20 111")
    built.sam = built.staff("sip-1001", name="Sam Sip")
    built.alice = built.staff("alice", name="Alice Ames")
    built.manager = built.staff("mvos", "manager", name="Mara Vos")
    return built


def test_an_interrupted_import_leaves_whole_batches_and_a_rerun_completes_it(
    pbx_center, tmp_path, clock, monkeypatch
):
    from svcdesk_tui.ingest import store

    real, batches = store.upsert_calls, []

    def failing_third_batch(connection, rows_of_batch):
        batches.append(len(rows_of_batch))
        if len(batches) == 3:
            raise OSError("disk unplugged")  # the batch's new calls, queues, staff are in
        return real(connection, rows_of_batch)

    monkeypatch.setattr(store, "upsert_calls", failing_third_batch)
    importer = QueueLogImporter(pbx_center.db, pbx_center.manager, clock=clock)
    with pytest.raises(OSError):
        import_file(importer, DAY, batch_chars=900)  # about 16 lines a batch
    monkeypatch.setattr(store, "upsert_calls", real)
    done = importer.summary.lines  # the lines of the two committed batches
    assert 0 < done < 42

    # the store holds exactly what importing those lines alone gives: no trace of batch 3
    part = tmp_path / "part.queue_log"
    part.write_text("".join(DAY.read_text().splitlines(keepends=True)[:done]))
    upto = fresh_center(new_store(tmp_path), clock)
    run_import(upto, part)
    assert snapshot(pbx_center) == snapshot(upto)
    staff_and_queues = "SELECT (SELECT count(*) FROM staff), (SELECT count(*) FROM queue)"
    assert rows(pbx_center, staff_and_queues) == rows(upto, staff_and_queues)

    run_import(pbx_center, DAY)  # the rerun completes it
    whole = fresh_center(new_store(tmp_path), clock)
    run_import(whole, DAY)
    assert snapshot(pbx_center) == snapshot(whole)
    upto.db.close()
    whole.db.close()

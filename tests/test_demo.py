"""The demo generator, on real files: deterministic, consistent, and a center worth showing."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from svcdesk_tui.complaints import compensation
from svcdesk_tui.core.db import Database
from svcdesk_tui.core.errors import DatabaseError, InvalidInput
from svcdesk_tui.core.periods import days_period
from svcdesk_tui.core.settings import load_settings
from svcdesk_tui.demo import DemoSummary, generate_demo
from svcdesk_tui.escalations import moves as escalation
from svcdesk_tui.queue.measures import queue_kpis

from .sql import none, rows, scalar
from .stores import same_rows_on_postgres

# The generator's content is checked once, on SQLite files (the checks read the
# file with SQLite's SQL); on PostgreSQL the same arguments must give the same rows.
pytestmark = same_rows_on_postgres

# Wednesday 7 January 2026, 11:30 in Amsterdam: the center is open and busy.
END = datetime(2026, 1, 7, 10, 30, tzinfo=UTC)
DAYS, AGENTS, WAITING = 7, 8, 6


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Database, DemoSummary]:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    summary = generate_demo(path, days=DAYS, agents=AGENTS, seed=3, end=END, waiting=WAITING)
    db = Database.open(path)
    yield db, summary
    db.close()


def digest(path: Path, *tables: str) -> str:
    db = Database.open(path)
    try:
        h = hashlib.sha256()
        for table in tables:
            for row in rows(db, f'SELECT * FROM "{table}" ORDER BY 1'):
                h.update(repr(row).encode())
        return h.hexdigest()
    finally:
        db.close()


# --- arguments and determinism -----------------------------------------------------


def test_same_arguments_give_the_same_center(tmp_path: Path) -> None:
    tables = ("call", "customer", "staff", "shift", "presence_log", "complaint", "agent_status")
    made = [
        generate_demo(tmp_path / f"{name}.db", days=3, agents=6, seed=11, end=END)
        for name in ("a", "b")
    ]
    assert made[0].calls == made[1].calls > 0
    assert digest(made[0].where, *tables) == digest(made[1].where, *tables)
    other = generate_demo(tmp_path / "c.db", days=3, agents=6, seed=12, end=END)
    assert digest(other.where, "call") != digest(made[0].where, "call")


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"days": 0}, "--days"),
        ({"agents": 3}, "--agents"),
        ({"waiting": -1}, "--waiting"),
    ],
)
def test_impossible_sizes_are_refused_before_any_file_is_made(
    tmp_path: Path, kwargs: dict[str, int], words: str
) -> None:
    path = tmp_path / "bad.db"
    with pytest.raises(InvalidInput, match=words):
        generate_demo(path, end=END, **kwargs)
    assert not path.exists()


def test_an_existing_store_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "taken.db"
    generate_demo(path, days=1, agents=4, end=END)
    with pytest.raises(DatabaseError, match="already exists"):
        generate_demo(path, days=1, agents=4, end=END)


def test_progress_is_reported_and_an_interrupted_run_leaves_no_file(tmp_path: Path) -> None:
    said: list[str] = []
    generate_demo(tmp_path / "ok.db", days=20, agents=4, end=END, progress=said.append)
    assert sum(line.startswith("calls: ") for line in said) in range(10, 13)

    def interrupt(line: str) -> None:
        if line.startswith("calls: "):
            raise KeyboardInterrupt

    path = tmp_path / "interrupted.db"
    with pytest.raises(KeyboardInterrupt):
        generate_demo(path, days=20, agents=4, end=END, progress=interrupt)
    assert list(tmp_path.glob("interrupted.db*")) == []


def test_summary_matches_the_store_and_prints_on_one_line(demo) -> None:
    db, summary = demo
    assert summary.calls == scalar(db, "SELECT count(*) FROM call")
    assert summary.customers == scalar(db, "SELECT count(*) FROM customer") == AGENTS * 100
    assert summary.staff == scalar(db, "SELECT count(*) FROM staff")
    assert summary.days == DAYS and summary.end == END and summary.waiting == WAITING
    assert summary.size_bytes == Path(summary.where).stat().st_size
    line = str(summary)
    assert "\n" not in line and summary.where in line and f"{summary.calls:,} calls" in line


def test_the_store_is_a_consistent_demo(demo) -> None:
    db, _ = demo
    assert db.demo
    assert rows(db, "PRAGMA foreign_key_check") == []
    with db.read() as session:
        assert load_settings(session).timezone == "Europe/Amsterdam"
    assert scalar(db, "SELECT created_at FROM schema_info") == int(END.timestamp())
    assert scalar(db, "SELECT count(*) FROM call WHERE source != 'demo'") == 0


# --- reference data and people ----------------------------------------------------------


def test_queues_have_their_own_service_level_targets(demo) -> None:
    db, _ = demo
    queues = rows(
        db, "SELECT name, sl_threshold_seconds, sl_target, short_abandon_seconds FROM queue"
    )
    assert len(queues) >= 3
    assert len({(threshold, target) for _, threshold, target, _ in queues}) == len(queues)
    assert {short for *_, short in queues} == {5}


def test_agreements_promise_something_and_set_the_queue_priority(demo) -> None:
    db, _ = demo
    tiers = dict(rows(db, "SELECT name, queue_priority FROM agreement"))
    assert tiers["Platinum"] > tiers["Gold"] > tiers["Silver"] == 0
    assert scalar(db, "SELECT count(*) FROM agreement WHERE answer_seconds IS NULL") == 0
    mismatched = scalar(
        db,
        "SELECT count(*) FROM call c JOIN customer u ON u.id = c.customer_id "
        "LEFT JOIN agreement a ON a.id = u.agreement_id "
        "WHERE c.priority != coalesce(a.queue_priority, 0)",
    )
    assert mismatched == 0


def test_customers_have_special_requests_and_a_few_are_nuisances(demo) -> None:
    db, _ = demo
    total, special, nuisance, noted = rows(
        db,
        "SELECT count(*), sum(special_requests IS NOT NULL), sum(nuisance), "
        "sum(nuisance AND nuisance_note IS NOT NULL) FROM customer",
    )[0]
    assert 0.05 < special / total < 0.16
    assert 0 < nuisance == noted < total * 0.03


def test_a_full_size_center_has_every_role(tmp_path: Path) -> None:
    generate_demo(tmp_path / "staff.db", days=1, end=END)  # the default 24 agents
    db = Database.open(tmp_path / "staff.db")
    try:
        roles = dict(rows(db, "SELECT role, count(*) FROM staff GROUP BY role"))
        assert sum(roles.values()) >= 30
        assert roles["executive"] == roles["manager"] == roles["admin"] == 1
        assert roles["lead"] == 4 and roles["agent"] >= 24
        assert scalar(db, "SELECT login FROM staff WHERE role = 'manager'") == "mvos"
        logins = [login for (login,) in rows(db, "SELECT login FROM staff")]
        assert all(login.isascii() and login.isalpha() and login.islower() for login in logins)
        assert len(set(logins)) == len(logins)
        leavers = scalar(db, "SELECT count(*) FROM staff WHERE left_on < :d", d=END.date())
        joiners = scalar(db, "SELECT count(*) FROM staff WHERE hired_on > :d", d=date(2025, 9, 1))
        hired = rows(db, "SELECT min(hired_on), max(hired_on) FROM staff")[0]
        assert leavers >= 2 and joiners >= 1 and hired[0] < "2020-01-01"
        without_lead = scalar(
            db, "SELECT count(*) FROM staff WHERE role = 'agent' AND team_lead_id IS NULL"
        )
        assert without_lead == 0
        limits = dict(rows(db, "SELECT role, max(compensation_limit_cents) FROM staff GROUP BY 1"))
        assert limits["agent"] <= 5000 < limits["lead"] < limits["manager"]
    finally:
        db.close()


def test_the_caribbean_test_has_single_person_dependencies(demo) -> None:
    db, _ = demo
    alone = rows(
        db,
        "SELECT p.name, count(s.id) FROM procedure p "
        "LEFT JOIN skill s ON s.procedure_id = p.id AND s.level IN ('U', 'O') "
        "WHERE p.criticality = 'critical' GROUP BY p.id HAVING count(s.id) = 1",
    )
    assert alone, "a critical procedure only one person can do alone"
    sole_approvers = rows(
        db, "SELECT kind FROM approval_authority GROUP BY kind HAVING count(*) = 1"
    )
    assert ("compensation_above_limit",) in sole_approvers
    assert scalar(db, "SELECT count(*) FROM procedure WHERE NOT documented") >= 2
    assert none(db, "SELECT count(*) FROM procedure WHERE documented AND doc_location IS NULL")
    assert scalar(db, "SELECT count(*) FROM procedure") >= 12


def test_absences_are_past_and_upcoming(demo) -> None:
    db, _ = demo
    kinds = {kind for (kind,) in rows(db, "SELECT DISTINCT kind FROM absence")}
    assert {"vacation", "sick", "training", "leaving"} <= kinds
    today = END.date().isoformat()
    assert scalar(
        db, "SELECT count(*) FROM absence WHERE kind = 'vacation' AND starts_on > :t", t=today
    )
    assert scalar(db, "SELECT count(*) FROM absence WHERE ends_on < :t", t=today)
    on_leave = scalar(
        db,
        "SELECT count(*) FROM shift s JOIN absence a ON a.staff_id = s.staff_id "
        "WHERE date(s.starts_at, 'unixepoch') BETWEEN a.starts_on AND a.ends_on",
    )
    assert on_leave == 0


# --- calls ---------------------------------------------------------------------------


def test_volume_is_about_sixteen_calls_per_agent_per_day(demo) -> None:
    db, summary = demo
    expected = 16 * AGENTS * DAYS
    history = scalar(db, "SELECT count(*) FROM call WHERE entered_at < :t", t=_local_midnight())
    assert 0.75 * expected < history < 1.25 * expected
    assert summary.calls > history  # and today's calls up to END


def test_calls_follow_a_daily_and_weekly_shape(demo) -> None:
    db, _ = demo
    by_hour = dict(
        rows(
            db,
            "SELECT CAST(strftime('%H', entered_at + 3600, 'unixepoch') AS INTEGER), count(*) "
            "FROM call GROUP BY 1",
        )
    )  # Amsterdam is UTC+1 in January
    assert min(by_hour) >= 7 and max(by_hour) <= 20
    assert by_hour[10] > 2 * by_hour[7] and by_hour[14] > 2 * by_hour[20]
    by_weekday = dict(
        rows(
            db,
            "SELECT strftime('%w', entered_at + 3600, 'unixepoch'), count(*) FROM call GROUP BY 1",
        )
    )
    assert by_weekday["1"] > by_weekday["6"] > by_weekday["0"]


def test_every_call_is_consistent_with_its_state(demo) -> None:
    db, _ = demo
    assert none(
        db,
        "SELECT count(*) FROM call WHERE state = 'completed' AND NOT ("
        " answered_at = entered_at + wait_seconds"
        " AND talk_ended_at = answered_at + talk_seconds"
        " AND ended_at = answered_at + talk_seconds + wrap_seconds AND agent_id IS NOT NULL"
        " AND reason_id IS NOT NULL AND outcome IN ('resolved', 'unresolved')"
        " AND end_reason = 'completed' AND talk_seconds > 0)",
    )
    assert none(
        db,
        "SELECT count(*) FROM call WHERE state = 'abandoned' AND NOT ("
        " ended_at = entered_at + wait_seconds AND agent_id IS NULL AND answered_at IS NULL)",
    )
    assert none(db, "SELECT count(*) FROM call WHERE entered_at > :t", t=int(END.timestamp()))
    aht = rows(db, "SELECT avg(talk_seconds + wrap_seconds) FROM call WHERE state = 'completed'")
    assert 5 * 60 <= aht[0][0] <= 8 * 60


def test_agents_never_talk_to_two_callers_at_once(demo) -> None:
    db, _ = demo
    overlapping = scalar(
        db,
        "SELECT count(*) FROM (SELECT answered_at, lag(coalesce(ended_at, 9e18)) OVER"
        " (PARTITION BY agent_id ORDER BY answered_at) AS previous_end"
        " FROM call WHERE agent_id IS NOT NULL) WHERE previous_end > answered_at",
    )
    assert overlapping == 0
    outside_session = scalar(
        db,
        "SELECT count(*) FROM call c WHERE c.agent_id IS NOT NULL AND NOT EXISTS ("
        " SELECT 1 FROM presence_log p WHERE p.staff_id = c.agent_id AND p.kind = 'session'"
        " AND p.started_at <= c.answered_at"
        " AND coalesce(p.ended_at, 9e18) >= coalesce(c.ended_at, c.answered_at))",
    )
    assert outside_session == 0


def test_abandons_short_abandons_and_repeat_callers(demo) -> None:
    db, _ = demo
    short, longer = rows(
        db,
        "SELECT sum(wait_seconds <= 5), sum(wait_seconds > 5) FROM call WHERE state = 'abandoned'",
    )[0]
    assert short > 0 and longer > short
    assert scalar(db, "SELECT max(n) FROM (SELECT count(*) n FROM call GROUP BY customer_id)") >= 5
    repeats = scalar(
        db,
        "SELECT count(*) FROM call a JOIN call b ON b.customer_id = a.customer_id"
        " AND b.reason_id = a.reason_id AND b.entered_at > a.entered_at"
        " AND b.entered_at <= a.entered_at + 7 * 86400"
        " WHERE a.state = 'completed' AND b.state = 'completed'",
    )
    assert repeats > 0  # so first-contact resolution is below 100 %


def test_how_to_use_is_the_top_reason_like_a_broken_manual(demo) -> None:
    db, _ = demo
    shares = rows(
        db,
        "SELECT r.code, count(*) * 1.0 / (SELECT count(*) FROM call WHERE reason_id IS NOT NULL)"
        " FROM call c JOIN contact_reason r ON r.id = c.reason_id GROUP BY 1 ORDER BY 2 DESC",
    )
    assert shares[0][0] == "how_to_use" and 0.3 <= shares[0][1] <= 0.5
    assert scalar(db, "SELECT count(DISTINCT product_id) FROM call") >= 4


def test_service_level_is_near_target_but_not_perfect(demo) -> None:
    db, _ = demo
    first = END.date() - timedelta(days=DAYS)
    with db.read() as session:
        total = queue_kpis(session, days_period(first, END.date(), "Europe/Amsterdam"))[-1]
    assert total.service_level is not None and 0.6 < total.service_level < 0.98
    assert total.abandon_rate is not None and 0.01 < total.abandon_rate < 0.2


# --- the live queue at END ------------------------------------------------------------


def test_waiting_calls_are_the_ones_asked_for(demo) -> None:
    db, _ = demo
    end_s = int(END.timestamp())
    waiting = rows(
        db,
        "SELECT c.entered_at, u.special_requests IS NOT NULL, u.nuisance, c.agent_id"
        " FROM call c JOIN customer u ON u.id = c.customer_id WHERE c.state = 'waiting'",
    )
    assert len(waiting) == WAITING
    assert all(end_s - 600 <= entered < end_s and agent is None for entered, _, _, agent in waiting)
    assert any(special for _, special, _, _ in waiting)
    assert any(nuisance for _, _, nuisance, _ in waiting)


def test_agents_on_shift_are_logged_in_and_their_calls_are_in_progress(demo) -> None:
    db, _ = demo
    board = rows(db, "SELECT staff_id, state, reason, call_id FROM agent_status")
    live = [row for row in board if row[1] != "offline"]
    assert live
    for staff_id, state, reason, call_id in live:
        if state in ("on_call", "wrap_up"):
            call_state, agent = rows(
                db, "SELECT state, agent_id FROM call WHERE id = :i", i=call_id
            )[0]
            assert (call_state, agent) == (state, staff_id)
        elif state == "paused":
            assert reason
        else:
            assert call_id is None
    in_progress = rows(
        db, "SELECT agent_id, count(*) FROM call WHERE state IN ('on_call', 'wrap_up') GROUP BY 1"
    )
    assert all(n == 1 for _, n in in_progress)
    busy = {staff for staff, state, _, _ in live if state in ("on_call", "wrap_up")}
    assert busy == {agent for agent, _ in in_progress}
    open_sessions = scalar(
        db, "SELECT count(*) FROM presence_log WHERE kind = 'session' AND ended_at IS NULL"
    )
    assert open_sessions == len(live)


def test_presence_has_sessions_and_pauses_with_reasons(demo) -> None:
    db, _ = demo
    kinds = dict(rows(db, "SELECT kind, count(*) FROM presence_log GROUP BY 1"))
    assert kinds["session"] > 0 and kinds["pause"] > kinds["session"]
    reasons = {
        r for (r,) in rows(db, "SELECT DISTINCT reason FROM presence_log WHERE kind = 'pause'")
    }
    assert {"break", "lunch"} <= reasons and None not in reasons


def test_default_waiting_is_a_handful_when_open_and_none_at_night(tmp_path: Path) -> None:
    open_now = generate_demo(tmp_path / "day.db", days=1, agents=6, end=END)
    assert 3 <= open_now.waiting <= 8
    night = datetime(2026, 1, 7, 23, 0, tzinfo=UTC)  # midnight in Amsterdam
    closed = generate_demo(tmp_path / "night.db", days=1, agents=6, end=night)
    assert closed.waiting == 0
    db = Database.open(closed.where)
    try:
        assert scalar(db, "SELECT count(*) FROM agent_status WHERE state != 'offline'") == 0
        assert none(db, "SELECT count(*) FROM call WHERE state NOT IN ('completed', 'abandoned')")
    finally:
        db.close()


def test_a_benchmark_queue_of_two_thousand_callers(tmp_path: Path) -> None:
    summary = generate_demo(tmp_path / "bench.db", days=1, agents=4, end=END, waiting=2000)
    db = Database.open(summary.where)
    try:
        assert scalar(db, "SELECT count(*) FROM call WHERE state = 'waiting'") == 2000
    finally:
        db.close()


# --- cases ---------------------------------------------------------------------------


def test_complaints_are_in_every_state_of_the_loop(demo) -> None:
    db, _ = demo
    states = {state for (state,) in rows(db, "SELECT DISTINCT state FROM complaint")}
    assert states == {
        "open",
        "in_progress",
        "awaiting_confirmation",
        "closed",
        "closed_unconfirmed",
    }
    assert none(
        db,
        "SELECT count(*) FROM complaint WHERE state = 'awaiting_confirmation'"
        " AND (followup_owner_id IS NULL OR followup_due_at IS NULL OR resolved_at IS NULL)",
    )
    assert none(
        db,
        "SELECT count(*) FROM complaint c WHERE c.state = 'closed' AND NOT EXISTS ("
        " SELECT 1 FROM complaint_closure k WHERE k.complaint_id = c.id"
        " AND k.kind = 'confirmed' AND NOT k.void)",
    )
    assert none(
        db,
        "SELECT count(*) FROM complaint c WHERE c.state = 'closed_unconfirmed' AND ("
        " SELECT count(*) FROM followup_attempt f WHERE f.complaint_id = c.id"
        " AND f.result IN ('no_answer', 'left_message')) < 3",
    )
    reopened = rows(
        db,
        "SELECT c.reopen_count FROM complaint c JOIN complaint_closure k"
        " ON k.complaint_id = c.id AND k.void",
    )
    assert reopened and all(count >= 1 for (count,) in reopened)


def test_a_default_center_has_cases_at_realistic_rates(tmp_path: Path) -> None:
    summary = generate_demo(tmp_path / "cases.db", days=21, agents=16, end=END)
    db = Database.open(summary.where)
    try:
        calls = summary.calls
        complaints = scalar(db, "SELECT count(*) FROM complaint")
        assert 0.008 * calls < complaints < 0.025 * calls
        repeats = rows(
            db,
            "SELECT c.opened_at - p.closed_at, c.customer_id = p.customer_id,"
            " c.category = p.category FROM complaint c JOIN complaint p ON p.id = c.repeat_of_id",
        )
        assert repeats
        assert all(0 <= gap <= 30 * 86400 and same_customer and same_category
                   for gap, same_customer, same_category in repeats)  # fmt: skip
        escalations = scalar(db, "SELECT count(*) FROM escalation")
        assert 0.001 * calls < escalations < 0.006 * calls
        assert scalar(db, "SELECT count(*) FROM escalation WHERE state != 'resolved'") >= 1
        assert scalar(db, "SELECT count(*) FROM escalation_event") > 2 * escalations
        raised = rows(
            db, "SELECT DISTINCT from_rank, to_rank FROM escalation_event WHERE kind = 'raised'"
        )
        assert raised == [(1, 2)]  # agents raise to the shift lead
        top = dict(rows(db, "SELECT level_rank, count(*) FROM escalation GROUP BY 1"))
        assert top[2] > top.get(3, 0) > top.get(4, 0)
        with db.write() as session:  # what every desk does on opening: nothing is overdue
            assert escalation.climb_overdue(session, now=END) == []
            session.rollback()
        feedback, detractors, owned, followed = rows(
            db,
            "SELECT count(*), sum(nps <= 6), sum(nps <= 6 AND followup_owner_id ="
            " (SELECT id FROM staff WHERE role = 'manager')), sum(followed_up_at IS NOT NULL)"
            " FROM feedback",
        )[0]
        assert 0.05 * calls < feedback < 0.11 * calls
        assert detractors == owned and followed > detractors / 2
        over_limit = scalar(
            db,
            "SELECT count(*) FROM compensation c JOIN staff s ON s.id = c.requested_by_id"
            " WHERE c.state = 'granted' AND c.amount_cents > s.compensation_limit_cents",
        )
        assert over_limit == 0
        decided = dict(rows(db, "SELECT state, count(*) FROM compensation GROUP BY 1"))
        assert decided.get("granted") and decided.get("approved")
        approvals = rows(
            db,
            "SELECT amount_cents, requested_by_id, decided_by_id FROM compensation"
            " WHERE state = 'approved'",
        )
        with db.read() as session:
            for amount, requester, decider in approvals:
                assert decider != requester and amount <= compensation.limit_of(session, decider)
        assert none(
            db,
            "SELECT count(*) FROM compensation p JOIN complaint c ON c.id = p.complaint_id"
            " WHERE p.state = 'pending' AND c.state IN ('closed', 'closed_unconfirmed')",
        )
    finally:
        db.close()


def _local_midnight() -> int:
    """Epoch of the start of END's day in Amsterdam (UTC+1 in January)."""
    return int(datetime(2026, 1, 7, tzinfo=UTC).timestamp()) - 3600

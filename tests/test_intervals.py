"""The interval statistics and the calls' FCR facts equal a recount from the calls, worked
out here in plain Python from the definitions of docs/measures.md, after every kind of
change: calls written whole, taken, completed, abandoned, imported from a queue_log, and
a completed call reopened and completed again with another reason and agent."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from svcdesk_tui.cli import app
from svcdesk_tui.core.clock import to_epoch
from svcdesk_tui.ingest.follow import import_file
from svcdesk_tui.ingest.importer import QueueLogImporter
from svcdesk_tui.models import Call, CallState
from svcdesk_tui.people import presence
from svcdesk_tui.planning.history import by_interval
from svcdesk_tui.queue import live as queue

from .builders import Center
from .conftest import MORNING
from .sql import rows

DAY_LOG = Path(__file__).parent / "data" / "day.queue_log"
GRAIN, DAY = 900, 86400
SYSTEM_EXITS = ("timeout", "exitkey", "exitempty")
STATES = ["completed"] * 6 + ["abandoned"] * 2 + ["on_call", "wrap_up", "waiting"]


def expected(center: Center) -> tuple[dict, dict, dict]:
    """(interval rows, facts per call, handled day rows) recounted from the calls."""
    thresholds = {
        q: (sl, short)
        for q, sl, short in rows(
            center.db, "SELECT id, sl_threshold_seconds, short_abandon_seconds FROM queue"
        )
    }
    calls = rows(
        center.db,
        "SELECT id, queue_id, customer_id, state, agent_id, entered_at, answered_at, "
        "wait_seconds, talk_seconds, wrap_seconds, end_reason, reason_id FROM call",
    )
    window = 7 * DAY
    cells: dict[tuple, list[int]] = defaultdict(lambda: [0] * 12)
    facts, handled = {}, defaultdict(lambda: [0] * 6)
    for cid, q, customer, state, agent, entered, answered, wait, talk, wrap, end, reason in calls:
        sl, short_s = thresholds[q]
        row = cells[(q, entered - entered % GRAIN)]
        short = state == "abandoned" and wait <= short_s and (end or "") not in SYSTEM_EXITS
        row[0] += 1
        row[1] += answered is not None
        row[2] += state == "abandoned" and not short
        row[3] += short
        row[4] += answered is not None and wait <= sl
        row[5] += wait if answered is not None else 0
        row[6] += state == "completed"
        row[7] += (talk or 0) + (wrap or 0) if state == "completed" else 0
        row[8] = max(row[8], wait or 0)
        row[9:11] = [sl, short_s]
        row[11] += (wait or 0) if state == "abandoned" and not short else 0
        later = [
            e
            for (_, _, c, _, _, e, *_, r) in calls
            if customer is not None
            and c == customer
            and r == reason
            and reason is not None
            and e > entered
        ]
        before = [
            e
            for (_, _, c, s, _, e, *_) in calls
            if customer is not None and c == customer and s == "completed" and e < entered
        ]
        nxt, prev = min(later, default=None), max(before, default=None)
        facts[cid] = (nxt, prev)
        if state != "completed":
            continue
        known = customer is not None and reason is not None
        figures = [
            1,
            (talk or 0) + (wrap or 0),
            known,
            known and (nxt is None or nxt > entered + window),
            customer is not None,
            customer is not None and prev is not None and prev >= entered - window,
        ]
        day = entered - entered % DAY
        for key in ((day, "a", agent or 0), (day, "r", reason or 0)):
            handled[key] = [a + b for a, b in zip(handled[key], figures, strict=True)]
    return (
        {key: tuple(value) for key, value in cells.items()},
        facts,
        {key: (*value, 7) for key, value in handled.items()},
    )


def kept(center: Center) -> tuple[dict, dict, dict]:
    stats = rows(
        center.db,
        "SELECT queue_id, starts_at, offered, answered, abandoned, short_abandons, "
        "answered_within_threshold, wait_seconds_answered, handled, handle_seconds, "
        "longest_wait_seconds, sl_threshold_seconds, short_abandon_seconds, "
        "wait_seconds_abandoned FROM interval_stat",
    )
    facts = rows(center.db, "SELECT id, next_same_reason_at, prev_handled_at FROM call")
    days = rows(
        center.db,
        "SELECT day, cut, key_id, handled, handle_seconds, fcr_base, fcr_resolved, "
        "repeat_base, repeats, window_days FROM handled_day_stat WHERE handled > 0",
    )
    return (
        {(r[0], r[1]): tuple(r[2:]) for r in stats},
        {r[0]: (r[1], r[2]) for r in facts},
        {(r[0], r[1], r[2]): tuple(r[3:]) for r in days},
    )


def staffing(center: Center) -> tuple[dict, dict]:
    """(expected, kept) agent-seconds per 15 minutes on shift and in ended sessions."""
    want: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    spans = [
        (0, *span)
        for span in rows(
            center.db,
            "SELECT starts_at, ends_at FROM shift JOIN staff ON staff.id = shift.staff_id "
            "WHERE staff.role NOT IN ('technician')",
        )
    ] + [
        (1, *span)
        for span in rows(
            center.db,
            "SELECT started_at, ended_at FROM presence_log "
            "WHERE kind = 'session' AND ended_at IS NOT NULL",
        )
    ]
    for which, first, last in spans:
        at = first
        while at < last:
            edge = min(last, at - at % GRAIN + GRAIN)
            want[at - at % GRAIN][which] += edge - at
            at = edge
    have = rows(
        center.db, "SELECT starts_at, on_shift_seconds, logged_in_seconds FROM interval_staffing"
    )
    return (
        {k: tuple(v) for k, v in want.items() if any(v)},
        {r[0]: (r[1], r[2]) for r in have if r[1] or r[2]},
    )


def assert_kept(center: Center) -> None:
    want, have = expected(center), kept(center)
    assert have[0] == want[0]
    assert have[1] == want[1]
    assert have[2] == want[2]
    wanted, kept_staffing = staffing(center)
    assert kept_staffing == wanted


@pytest.fixture
def busy(center: Center) -> Center:
    """A random center: three queues, customers calling back, agents, three days of calls."""
    rng = random.Random(17)
    queues = [center.queue(f"Q{n}", threshold=rng.choice([10, 20, 30])) for n in range(3)]
    customers = [center.customer(f"Customer {n}", phone=f"+31 {n}") for n in range(12)]
    agents = [center.staff(f"agent{n}") for n in range(4)]
    codes = [code for (code,) in rows(center.db, "SELECT code FROM contact_reason")][:4]
    start = MORNING - timedelta(days=3)
    for _ in range(120):
        state = rng.choice(STATES)
        center.call(
            rng.choice(queues),
            entered=start + timedelta(seconds=rng.randrange(3 * DAY)),
            state=state,
            wait=rng.choice([2, 5, 9, 15, 20, 25, 60]) if state != "waiting" else None,
            talk=rng.randrange(30, 600) if state in ("wrap_up", "completed") else None,
            wrap=rng.randrange(0, 120) if state == "completed" else None,
            customer=rng.choice([*customers, None]),
            agent=rng.choice(agents) if state != "waiting" and state != "abandoned" else None,
            reason=rng.choice([*codes, None]) if state == "completed" else None,
        )
    tech = center.staff("tech1", "technician")
    for person in [*agents, tech]:
        for day in range(3):
            begins = start + timedelta(days=day, seconds=rng.randrange(0, 8 * 3600))
            center.shift(person, begins, begins + timedelta(seconds=rng.randrange(3600, 30000)))
    for n, agent in enumerate(agents):
        logged = start + timedelta(seconds=rng.randrange(2 * DAY))
        with center.db.write() as session:
            presence.log_in(session, agent, now=logged)
        if n:  # the first agent stays logged in
            with center.db.write() as session:
                presence.log_out(
                    session, agent, now=logged + timedelta(seconds=rng.randrange(99999))
                )
    center.queues, center.customers, center.agents, center.codes = queues, customers, agents, codes
    return center


def test_calls_written_whole_are_counted(busy):
    assert_kept(busy)


def test_takes_completions_abandons_imports_and_reopens_are_counted(busy):
    rng = random.Random(4)
    now = MORNING + timedelta(hours=1)
    entered = []
    with busy.db.write() as session:
        for n in range(10):
            call = queue.enqueue_call(
                session,
                queue_id=rng.choice(busy.queues),
                customer_id=rng.choice(busy.customers),
                now=now + timedelta(seconds=n * 37),
            )
            entered.append(call.id)
    now += timedelta(minutes=10)
    for n, agent in enumerate(busy.agents):
        with busy.db.write() as session:
            queue.take_call(session, agent, now=now + timedelta(seconds=n))
    assert_kept(busy)
    with busy.db.write() as session:
        assert queue.abandon_call(session, entered[-1], now=now)
        assert queue.abandon_call(session, entered[-2], "timeout", now=now)
    for n, agent in enumerate(busy.agents[:3]):
        with busy.db.write() as session:
            done = queue.Completion(busy.codes[n % 2], outcome="resolved")
            queue.complete_call(session, agent, done, now=now + timedelta(minutes=5 + n))
    assert_kept(busy)

    manager = busy.staff("mvos", "manager", name="Mara Vos")
    importer = QueueLogImporter(busy.db, manager, clock=busy.clock)
    import_file(importer, DAY_LOG)
    importer.finish()
    assert_kept(busy)

    # a completed call reopened, then completed by someone else about another reason
    with busy.db.write() as session:
        call = session.execute(
            text("SELECT id FROM call WHERE state = 'completed' AND customer_id IS NOT NULL")
        ).first()
        reopened = session.get(Call, call[0])
        reopened.state = CallState.WRAP_UP
    assert_kept(busy)
    with busy.db.write() as session:
        reopened = session.get(Call, call[0])
        reopened.state, reopened.agent_id = CallState.COMPLETED, busy.agents[-1].id
        reopened.reason_id = busy.reason_id(busy.codes[-1])
    assert_kept(busy)


def test_rebuild_intervals_recounts_everything_and_is_idempotent(busy):
    with busy.db.write() as session:
        session.execute(text("DELETE FROM interval_stat"))
        session.execute(text("UPDATE handled_day_stat SET handled = handled + 5"))
        session.execute(text("UPDATE call SET next_same_reason_at = NULL, prev_handled_at = 1"))
    runner = CliRunner()
    for _ in range(2):
        result = runner.invoke(app, ["db", "rebuild-intervals", "--db", busy.db.where])
        assert result.exit_code == 0, result.output
        assert "interval" in result.stdout
        assert_kept(busy)


def test_the_report_reads_a_stale_window_from_the_calls(busy):
    """A changed FCR window leaves the kept days counted with the old one: the report reads
    the calls' facts instead, so its figures follow the new window at once."""
    from svcdesk_tui.core.periods import Period
    from svcdesk_tui.queue.interval_stats import handled_cuts
    from svcdesk_tui.queue.resolution import resolution_cells, total

    period = Period(MORNING - timedelta(days=4), MORNING + timedelta(days=1))
    with busy.db.read() as session:
        for window in (7, 2):
            fast = handled_cuts(session, period, window)
            slow = total(resolution_cells(session, period, window))
            assert total(fast.by_agent) == slow
            assert total(fast.by_reason) == slow


def test_offered_by_interval_adds_up_the_queues_intervals(busy):
    from svcdesk_tui.queue.interval_stats import offered_by_interval

    start, end = MORNING - timedelta(days=3), MORNING
    with busy.db.read() as session:
        for minutes in (15, 30, 60):
            history = offered_by_interval(
                session, queue=busy.queues[0], start=start, end=end, minutes=minutes
            )
            counts = rows(
                busy.db,
                f"SELECT entered_at - entered_at % {minutes * 60}, count(*) FROM call "
                f"WHERE queue_id = {busy.queues[0]} AND entered_at >= {to_epoch(start)} "
                f"AND entered_at < {to_epoch(end)} GROUP BY 1 ORDER BY 1",
            )
            assert [(to_epoch(at), n) for at, n in history] == [tuple(c) for c in counts]


def figures(cell) -> tuple[int, ...]:
    return (
        cell.handled,
        cell.handle_seconds,
        cell.fcr_base,
        cell.fcr_resolved,
        cell.repeat_base,
        cell.repeats,
    )


@pytest.mark.parametrize("tz", ["UTC", "Europe/Amsterdam", "Asia/Kathmandu", "America/St_Johns"])
def test_the_kept_rows_give_the_figures_the_calls_give(busy, tz):
    """Local days of zones 0, +1, +5:45 and -3:30 from UTC, and a span off every grid: the
    rows (with the edges read from the calls) give exactly what the calls give."""
    from svcdesk_tui.core.periods import Period, day_period
    from svcdesk_tui.queue.interval_stats import (
        calls_per_hour,
        handled_cuts,
        period_queue_kpis,
        staffing_per_hour,
    )
    from svcdesk_tui.queue.load import _calls_per_hour, hourly_load
    from svcdesk_tui.queue.measures import queue_kpis
    from svcdesk_tui.queue.resolution import resolution_cells, roll_up

    first = day_period((MORNING - timedelta(days=3)).date(), tz)
    last = day_period(MORNING.date(), tz)
    odd = Period(MORNING - timedelta(days=2, seconds=4321), MORNING - timedelta(seconds=77))
    with busy.db.read() as session:
        for period in (Period(first.since, last.until), odd, day_period(MORNING.date(), tz)):
            assert period_queue_kpis(session, period) == queue_kpis(session, period)
            cells = resolution_cells(session, period, 7)
            cuts = handled_cuts(session, period, 7)
            for kept_cells, key in ((cuts.by_agent, "agent_id"), (cuts.by_reason, "reason_id")):
                counted = roll_up(cells, lambda c, key=key: getattr(c, key))
                assert {getattr(c, key): figures(c) for c in kept_cells} == {
                    k: figures(c) for k, c in counted.items()
                }
            kpis = queue_kpis(session, period)
            counted = hourly_load(session, period, tz, now=MORNING, queues=kpis)
            read = hourly_load(
                session,
                period,
                tz,
                now=MORNING,
                queues=kpis,
                calls=calls_per_hour(session, period, tz),
                staffing=staffing_per_hour(session, period, tz),
            )
            assert read == counted
            hours = calls_per_hour(session, period, tz)
            if period is not odd:
                assert sorted(hours) == sorted(_calls_per_hour(session, period, tz))
            else:
                assert hours is None  # the load then counts the calls


def test_a_completion_recounts_a_day_row_it_cannot_add_to(busy):
    """A completed call is added to its day rows; a row that is missing, or was counted
    with another FCR window, is recounted from the calls instead."""
    agent, code = busy.agents[0], busy.codes[1]
    now = MORNING + timedelta(hours=2)
    with busy.db.write() as session:  # the longest waiting call of the busy center
        taken = queue.take_call(session, agent, now=now + timedelta(seconds=20))
        assert taken is not None
        entered = to_epoch(taken.entered_at)
    day = entered - entered % DAY
    with busy.db.write() as session:
        session.execute(
            text("DELETE FROM handled_day_stat WHERE day = :day AND cut = 'a' AND key_id = :a"),
            {"day": day, "a": agent.id},
        )
        session.execute(
            text(
                "UPDATE handled_day_stat SET window_days = 2, handled = handled + 5 "
                "WHERE day = :day AND cut = 'r' AND key_id = :r"
            ),
            {"day": day, "r": busy.reason_id(code)},
        )
    done = queue.Completion(code, outcome="resolved")
    with busy.db.write() as session:
        queue.complete_call(session, agent, done, now=now + timedelta(seconds=90))
    assert_kept(busy)


@pytest.mark.parametrize("tz", ["UTC", "Europe/Amsterdam", "Asia/Kathmandu"])
def test_the_forecast_history_adds_up_the_kept_rows_as_the_calls_count(busy, tz):
    now = MORNING + timedelta(hours=1)
    with busy.db.write() as session:  # abandons after a wait: their waits are kept apart
        calls = [
            queue.enqueue_call(session, queue_id=q, now=now - timedelta(seconds=90 * n))
            for n, q in enumerate(busy.queues)
        ]
    with busy.db.write() as session:
        for call in calls:
            assert queue.abandon_call(session, call.id, now=now)
    first, after = (MORNING - timedelta(days=4)).date(), (MORNING + timedelta(days=1)).date()
    for minutes in (15, 30, 60):
        where = {"start": first, "end": after, "tz": tz, "interval_minutes": minutes}
        with busy.db.read() as session:
            kept_history = by_interval(session, queue_id=None, **where)
            counted = by_interval(session, queue_id=None, from_calls=True, **where)
            one = by_interval(session, queue_id=busy.queues[1], **where)
        key = lambda s: (s.queue_id, s.day, s.slot)  # noqa: E731
        assert sorted(kept_history, key=key) == sorted(counted, key=key)
        assert sorted(one, key=key) == sorted(
            (s for s in counted if s.queue_id == busy.queues[1]), key=key
        )
        assert sum(s.waited_seconds for s in counted) > 0

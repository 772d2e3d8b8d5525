"""`svcdesk report --customer`: one customer's calls, faults and promises, and nothing else.

Week of Monday 5 January 2026, UTC. Ann Smith has Gold: answer within 30 s,
technician on site within 4 h, fixed within 8 h.

  Calls: Mon 09:00 waited 10 s (answered), Tue 09:00 waited 40 s (answered),
         Wed 09:00 hung up after 50 s.  Answered 2 of 3, mean wait 25 s,
         answered within 30 s: 1 of 2.
  T1 boiler opened Mon 08:00, on site 10:00, fixed 11:00      (2 h, 3 h: both kept)
  T2 boiler opened Wed 08:00, on site 14:00, not fixed 15:00;
            fixed Thu 08:00-09:00                          (6 h, 25 h: both missed)
  Mean time on site (2 + 6) / 2 = 4 h; mean time to fix (3 + 25) / 2 = 14 h.
  First-time fix 0 of 2: T2 is the same fault 2 days after T1; T2 took two visits.

Annex Holding, another customer, has a call and a ticket the same week; every
internal note, the nuisance note, the lead and staff names are marked to be
looked for.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from svcdesk_tui.cli import app
from svcdesk_tui.models import Call, CallRouting, CallState, ServiceTicket
from svcdesk_tui.service_desk.leads import record_lead

from .service_desk_helpers import add_agreement, add_fault_type, add_ticket, add_visit, technician

runner = CliRunner()
WEEK = ["--since", "2026-01-05", "--until", "2026-01-11"]
H = 3600
SECRETS = (
    "Annex",
    "ANNEX-FAULT",
    "INTERNAL-CALL",
    "INTERNAL-TICKET",
    "INTERNAL-VISIT",
    "NUISANCE-NOTE",
    "LEAD-TEXT",
    "Alice Ames",
    "Sam Senior",
)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 1, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def two_customers(center):
    gold = add_agreement(center, "Gold", 4, 8, rank=1, answer_seconds=30)
    support = center.queue("Support")
    ann = center.customer("Ann Smith", agreement=gold, nuisance=True, note="NUISANCE-NOTE")
    annex = center.customer("Annex Holding", agreement=gold)
    alice = center.staff("alice", name="Alice Ames")
    boiler = add_fault_type(center, "boiler", "Boiler leak", "Repair boilers")
    sam = technician(center, "sam", "Sam Senior", "boiler", "O", shift=False)
    calls = [
        center.call(support, entered=at(5, 9), wait=10, talk=60, customer=ann, agent=alice),
        center.call(support, entered=at(6, 9), wait=40, talk=60, customer=ann, agent=alice),
        center.call(support, entered=at(7, 9), wait=50, state=CallState.ABANDONED, customer=ann),
        center.call(support, entered=at(6, 10), wait=5, talk=60, customer=annex, agent=alice),
    ]
    with center.db.write() as session:
        session.execute(update(Call).values(note="INTERNAL-CALL", outcome="resolved"))
        session.add(CallRouting(call_id=calls[0], route="dispatch", routed_at=at(5, 9, 2)))
        record_lead(session, alice, now=at(5, 9, 2), customer_id=ann, text="LEAD-TEXT")
    gold_promise = {"agreement": gold, "promised": (4, 8), "note": "INTERNAL-TICKET"}
    t1 = add_ticket(center, ann, boiler, opened=at(5, 8), **gold_promise)
    add_visit(center, t1, sam, at=at(5, 10), hours=1, outcome="fixed", note="INTERNAL-VISIT")
    t2 = add_ticket(center, ann, boiler, opened=at(7, 8), **gold_promise)
    add_visit(center, t2, sam, at=at(7, 14), hours=1, outcome="not_fixed")
    add_visit(center, t2, sam, at=at(8, 8), hours=1, outcome="fixed")
    other = add_ticket(center, annex, boiler, opened=at(6, 8), **gold_promise)
    add_visit(center, other, sam, at=at(6, 9), hours=1, outcome="fixed")
    with center.db.write() as session:
        session.get(ServiceTicket, other).fault = "ANNEX-FAULT"  # the other customer's words
    center.ann, center.annex = ann, annex
    return center


def customer_report(center, *args: str):
    return runner.invoke(app, ["report", "--db", str(center.db.where), *WEEK, *args])


def test_json_holds_the_customers_figures_worked_out_by_hand(two_customers):
    result = customer_report(two_customers, "--customer", "ann smith", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    summary = document["sections"]["summary"]["figures"]
    assert summary["customer"] == "Ann Smith" and summary["agreement"] == "Gold"
    assert (summary["calls"], summary["answered"], summary["mean_wait_seconds"]) == (3, 2, 25)
    assert summary["answered_in_time"] == 0.5
    assert (summary["tickets"], summary["first_time_fix"]) == (2, 0.0)
    assert summary["mean_response_seconds"] == 4 * H
    assert summary["mean_fix_seconds"] == 14 * H
    calls = document["sections"]["calls"]["tables"]["calls"]["rows"]
    assert [(c["waited"], c["what_happened"]) for c in calls] == [
        (10, "technician sent"),
        (40, "solved on the call"),
        (50, "ended before we answered"),
    ]
    recurring = document["sections"]["recurring_faults"]["tables"]["recurring_faults"]["rows"]
    assert [(r["fault_type"], r["tickets"]) for r in recurring] == [("Boiler leak", 2)]
    history = document["sections"]["fault_history"]["tables"]["fault_history"]["rows"]
    assert [
        (h["visits"], h["response"], h["response_kept"], h["fix"], h["fix_kept"]) for h in history
    ] == [(1, 2 * H, "yes", 3 * H, "yes"), (2, 6 * H, "no", 25 * H, "no")]


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json", "csv"])
def test_nothing_of_another_customer_and_no_internal_note(two_customers, fmt):
    result = customer_report(two_customers, "--customer", str(two_customers.ann), "--format", fmt)
    assert result.exit_code == 0, result.output
    assert "Ann Smith" in result.stdout and "Boiler leak" in result.stdout
    for secret in SECRETS:
        assert secret not in result.stdout, secret


def test_the_text_report_is_titled_for_the_customer(two_customers):
    result = customer_report(two_customers, "--customer", "Ann Smith")
    first_line = result.stdout.splitlines()[0]
    assert first_line == "Test center: operational report for Ann Smith"
    assert "Fixed on the first visit:" in result.stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--customer", "ann"], 2, "'ann' names several customers"),
        (["--customer", "999"], 1, "no customer #999"),
        (["--customer", "Nobody"], 1, "no customer named 'Nobody'"),
        (["--customer", "Ann Smith", "--section", "queues"], 2, "not --customer"),
    ],
)
def test_bad_customer_choices_are_one_line(two_customers, args, code, message):
    result = customer_report(two_customers, *args)
    assert result.exit_code == code
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
    assert result.stdout == ""

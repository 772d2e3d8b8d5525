"""Leads for sales: recorded with the customer and the agent, exported as CSV, counted per agent."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner

from svcdesk_tui.cli import app
from svcdesk_tui.core.errors import InvalidInput
from svcdesk_tui.service_desk.leads import record_lead

runner = CliRunner()


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 1, day, hour, tzinfo=UTC)


@pytest.fixture
def sales(center):
    center.ann = center.customer("Ann Smith", phone="+31 20 111")
    center.bob = center.customer("Bob Jones")
    center.alice = center.staff("alice", name="Alice Ames")
    center.bert = center.staff("bert", name="Bert Berg")
    with center.db.write() as session:
        for agent, customer, when, kind, text in (
            (center.alice, center.ann, at(5, 9), "need", "wants a second boiler"),
            (center.alice, center.bob, at(6, 10), "opportunity", 'needs 3 units, "urgent"'),
            (center.bert, center.ann, at(8, 15), "information", "moving to a bigger office"),
            (center.bert, center.ann, at(20, 9), "need", "a service agreement"),
        ):
            record_lead(session, agent, now=when, customer_id=customer, text=text, kind=kind)
    return center


def export(center, *args: str):
    return runner.invoke(app, ["leads", "export", "--db", str(center.db.where), *args])


def test_export_lists_every_lead_with_customer_and_agent(sales):
    result = export(sales)
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["customer"], r["agent"], r["kind"], r["text"]) for r in rows] == [
        ("Ann Smith", "Alice Ames", "need", "wants a second boiler"),
        ("Bob Jones", "Alice Ames", "opportunity", 'needs 3 units, "urgent"'),
        ("Ann Smith", "Bert Berg", "information", "moving to a bigger office"),
        ("Ann Smith", "Bert Berg", "need", "a service agreement"),
    ]
    assert rows[0]["phone"] == "+31 20 111" and rows[0]["created_at"] == "2026-01-05T09:00+00:00"


def test_export_of_some_days_to_a_file(sales, tmp_path):
    target = tmp_path / "leads.csv"
    result = export(sales, "--since", "2026-01-06", "--until", "2026-01-08", "--out", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [r["text"] for r in rows] == ['needs 3 units, "urgent"', "moving to a bigger office"]


def test_reversed_days_are_one_line_and_exit_2(sales):
    result = export(sales, "--since", "2026-01-08", "--until", "2026-01-06")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "svcdesk: error: --since 2026-01-08 is after --until 2026-01-06"
    ]


def test_the_report_counts_leads_per_agent(sales):
    week = ["--since", "2026-01-05", "--until", "2026-01-11"]
    json_quality = ["--format", "json", "--section", "quality"]
    result = runner.invoke(app, ["report", "--db", str(sales.db.where), *week, *json_quality])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["measures"]["leads"] == 3  # the one of 20 January is outside
    table = document["sections"]["quality"]["tables"]["leads_by_agent"]
    assert table["rows"] == [
        {"agent": "Alice Ames", "leads": 2},
        {"agent": "Bert Berg", "leads": 1},
    ]


@pytest.mark.parametrize(
    ("customer", "text", "message"),
    [(None, "x", "known customer"), ("ann", "  ", "say what"), ("ann", "x" * 2001, "at most")],
)
def test_a_lead_needs_a_customer_and_words(sales, customer, text, message):
    customer_id = sales.ann if customer else None
    with pytest.raises(InvalidInput, match=message), sales.db.write() as session:
        record_lead(session, sales.alice, now=at(5, 9), customer_id=customer_id, text=text)

"""The demo's technical service desk: technicians, tickets, visits and leads that obey
the dispatch rules, and a customer report worth sending."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner

from svcdesk_tui.cli import app
from svcdesk_tui.core.db import Database
from svcdesk_tui.demo import generate_demo

from .sql import none, rows, scalar
from .stores import new_store, same_rows_on_postgres

# The demo's content is checked with SQLite's SQL; test_demo_postgres.py
# proves PostgreSQL gets the very same rows, and the reports below run on both.

# Wednesday 7 January 2026, 11:30 in Amsterdam.
END = datetime(2026, 1, 7, 10, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    path = new_store(tmp_path_factory.mktemp("service-demo"))
    generate_demo(path, days=21, agents=8, seed=5, end=END)
    db = Database.open(path)
    yield db
    db.close()


@same_rows_on_postgres
def test_technicians_have_field_skills_shifts_and_absences(demo):
    technicians = scalar(demo, "SELECT count(*) FROM staff WHERE role = 'technician'")
    assert technicians >= 4
    assert none(
        demo,
        "SELECT count(*) FROM staff t WHERE t.role = 'technician' AND NOT EXISTS "
        "(SELECT 1 FROM shift s WHERE s.staff_id = t.id AND s.starts_at > :now)",
        now=int(END.timestamp()),
    )  # everyone has shifts ahead, so the dispatch form has people to offer
    assert none(
        demo,
        "SELECT count(*) FROM shift s JOIN absence a ON a.staff_id = s.staff_id "
        "WHERE date(s.starts_at, 'unixepoch') BETWEEN a.starts_on AND a.ends_on",
    )
    per_fault = rows(
        demo,
        "SELECT f.code, sum(s.level = 'O'), sum(s.level IN ('U', 'O')) FROM fault_type f "
        "JOIN skill s ON s.procedure_id = f.procedure_id GROUP BY f.code",
    )
    assert len(per_fault) == scalar(demo, "SELECT count(*) FROM fault_type") >= 4
    assert all(seniors >= 2 and alone >= 2 for _, seniors, alone in per_fault)


@same_rows_on_postgres
def test_every_visit_went_to_a_skilled_technician_on_shift_and_free(demo):
    assert scalar(demo, "SELECT count(*) FROM visit") > 20
    assert none(
        demo,
        "SELECT count(*) FROM visit v JOIN service_ticket t ON t.id = v.ticket_id "
        "JOIN fault_type f ON f.id = t.fault_type_id WHERE NOT EXISTS (SELECT 1 FROM skill s "
        "WHERE s.staff_id = v.technician_id AND s.procedure_id = f.procedure_id AND "
        "(s.level = 'O' OR (s.level = 'U' AND NOT t.senior_required)))",
    )
    assert none(
        demo,
        "SELECT count(*) FROM visit v WHERE NOT EXISTS (SELECT 1 FROM shift s WHERE "
        "s.staff_id = v.technician_id AND s.starts_at <= v.planned_at "
        "AND s.ends_at >= v.planned_until)",
    )
    assert none(
        demo,
        "SELECT count(*) FROM visit a JOIN visit b ON a.technician_id = b.technician_id "
        "AND a.id < b.id AND a.planned_at < b.planned_until AND b.planned_at < a.planned_until",
    )


@same_rows_on_postgres
def test_tickets_come_from_dispatched_calls_and_fixed_ones_have_a_fixing_visit(demo):
    assert none(
        demo,
        "SELECT count(*) FROM service_ticket t LEFT JOIN call_routing r ON r.call_id = t.call_id "
        "WHERE r.route IS NOT 'dispatch' OR t.opened_at < (SELECT ended_at FROM call "
        "WHERE id = t.call_id)",
    )
    assert none(
        demo,
        "SELECT count(*) FROM service_ticket t WHERE t.state = 'fixed' AND NOT EXISTS "
        "(SELECT 1 FROM visit v WHERE v.ticket_id = t.id AND v.outcome = 'fixed' "
        "AND v.ended_at = t.fixed_at)",
    )
    outcomes = {o for (o,) in rows(demo, "SELECT DISTINCT outcome FROM visit")}
    assert {"fixed", None} < outcomes and outcomes & {"not_fixed", "parts_needed", "no_access"}
    routes = {r for (r,) in rows(demo, "SELECT DISTINCT route FROM call_routing")}
    assert routes == {"solved", "expert", "dispatch", "sales"}


@same_rows_on_postgres
def test_leads_name_the_customer_and_the_agent_of_the_call(demo):
    assert scalar(demo, "SELECT count(*) FROM lead") > 10
    assert none(
        demo,
        "SELECT count(*) FROM lead l JOIN call c ON c.id = l.call_id "
        "WHERE c.customer_id IS NOT l.customer_id OR c.agent_id IS NOT l.agent_id",
    )


def test_reports_on_the_demo_show_the_service_desk(demo):
    customer = scalar(
        demo, "SELECT customer_id FROM service_ticket GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    )
    base = ["report", "--db", demo.where, "--since", "2025-12-17", "--until", "2026-01-06"]
    own = CliRunner().invoke(app, [*base, "--customer", str(customer)])
    assert own.exit_code == 0, own.output
    assert "FAULT HISTORY" in own.stdout and "Fixed on the first visit:" in own.stdout
    center = CliRunner().invoke(app, [*base, "--section", "quality", "--format", "json"])
    assert center.exit_code == 0, center.output
    assert '"first_time_fix": 0.' in center.stdout and '"leads_by_agent"' in center.stdout

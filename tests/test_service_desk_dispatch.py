"""Dispatch rules on a real store: who is free, refusals leave nothing half written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import func, select

from svcdesk_tui.core.errors import Conflict, InvalidInput
from svcdesk_tui.core.periods import day_period
from svcdesk_tui.core.settings import CenterSettings
from svcdesk_tui.models import AgentStatus, Call, CallRouting, ServiceTicket, Visit
from svcdesk_tui.queue.agent_measures import agent_kpis
from svcdesk_tui.queue.completion import Completion, complete_call
from svcdesk_tui.queue.live import read_snapshot
from svcdesk_tui.queue.load import hourly_load
from svcdesk_tui.queue.measures import queue_kpis
from svcdesk_tui.service_desk import dispatch
from svcdesk_tui.service_desk.dispatch import DispatchRequest

from .conftest import MORNING
from .service_desk_helpers import build_service_desk

ELEVEN = MORNING + timedelta(hours=1)


@pytest.fixture
def desk(center):
    return build_service_desk(center)


def free(desk, *, at=ELEVEN, hours=2.0, senior=False, fault=None) -> list[str]:
    with desk.db.read() as session:
        found = dispatch.free_technicians(
            session,
            fault_type_id=fault or desk.boiler,
            starts=at,
            hours=hours,
            senior=senior,
            timezone="UTC",
        )
    return [t.name for t in found]


def test_only_skilled_technicians_on_shift_not_absent_and_not_busy(desk):
    assert free(desk) == ["Sam Senior", "Tina Tech"]
    assert free(desk, senior=True) == ["Sam Senior"]
    assert free(desk, fault=desk.network) == ["Nils Network"]
    assert free(desk, at=ELEVEN + timedelta(hours=3)) == ["Sam Senior", "Bea Busy", "Tina Tech"]
    assert free(desk, hours=6) == []  # 11:00 + 6 h is past the 16:00 end of every shift


def dispatch_to(desk, technician) -> Completion:
    request = DispatchRequest(
        fault_type_id=desk.boiler,
        fault="leaking",
        estimated_fix_hours=2,
        senior_required=False,
        equipment="",
        technician_id=technician.id,
        visit_at=ELEVEN,
    )
    return Completion(reason_code="other", route="dispatch", dispatch=request)


def test_a_refused_dispatch_leaves_the_call_in_progress_and_no_ticket(desk):
    with pytest.raises(Conflict, match="not free"), desk.db.write() as session:
        complete_call(session, desk.alice, dispatch_to(desk, desk.bea), now=MORNING, timezone="UTC")
    with desk.db.read() as session:
        assert session.get(Call, desk.ann_call).state == "on_call"
        assert session.get(AgentStatus, desk.alice.id).call_id == desk.ann_call
        assert session.get(CallRouting, desk.ann_call) is None
        assert session.exec(select(func.count()).select_from(ServiceTicket)).one() == 1  # Bob's


def test_a_dispatch_books_the_technician_for_the_next_agent(desk):
    with desk.db.write() as session:
        complete_call(
            session, desk.alice, dispatch_to(desk, desk.tina), now=MORNING, timezone="UTC"
        )
    assert free(desk) == ["Sam Senior"]


def test_a_fixed_visit_fixes_the_ticket_and_cannot_be_recorded_twice(desk):
    with desk.db.write() as session:
        complete_call(
            session, desk.alice, dispatch_to(desk, desk.tina), now=MORNING, timezone="UTC"
        )
    with desk.db.read() as session:
        ticket = session.exec(select(ServiceTicket).where(ServiceTicket.call_id.is_not(None))).one()
    visit_id = _first_visit(desk, ticket.id)
    done = ELEVEN + timedelta(hours=1, minutes=30)
    with desk.db.write() as session:
        dispatch.record_visit(
            session,
            desk.alice,
            now=done,
            visit_id=visit_id,
            arrived_at=ELEVEN,
            ended_at=done,
            outcome="fixed",
        )
    with desk.db.read() as session:
        fixed = session.get(ServiceTicket, ticket.id)
    assert (fixed.state, fixed.fixed_at) == ("fixed", done)
    with pytest.raises(Conflict), desk.db.write() as session:
        dispatch.record_visit(
            session,
            desk.alice,
            now=done,
            visit_id=visit_id,
            arrived_at=ELEVEN,
            ended_at=done,
            outcome="not_fixed",
        )


def _first_visit(desk, ticket_id: int) -> int:
    with desk.db.read() as session:
        return session.exec(select(Visit.id).where(Visit.ticket_id == ticket_id)).one()


@pytest.mark.parametrize(
    ("completion", "message"),
    [
        (Completion(reason_code="other", route="expert"), "on the line or calls back"),
        (Completion(reason_code="other", route="sales"), "what sales should know"),
        (Completion(reason_code="other", route="dispatch"), "needs the fault"),
        (Completion(reason_code="other", route="elsewhere"), "must be one of"),
    ],
)
def test_incomplete_choices_are_refused_in_words(desk, completion, message):
    with pytest.raises(InvalidInput, match=message), desk.db.write() as session:
        complete_call(session, desk.alice, completion, now=MORNING, timezone="UTC")
    with desk.db.read() as session:
        assert session.get(Call, desk.ann_call).state == "on_call"


def test_visit_times_read_local_and_refuse_nonsense():
    assert dispatch.parse_visit_time("2026-07-01 14:00", "Europe/Amsterdam", now=MORNING) == (
        MORNING.replace(month=7, day=1, hour=12)
    )
    assert dispatch.parse_visit_time("11:00", "UTC", now=MORNING) == ELEVEN
    with pytest.raises(InvalidInput, match="visit time"):
        dispatch.parse_visit_time("tomorrow", "UTC", now=MORNING)


def test_technicians_shifts_are_not_call_center_staffing(desk):
    """Seven technicians work 08:00-16:00; Alice (no shift) is logged in; Gina works 9-12."""
    gina = desk.staff("gina", name="Gina Agent")
    desk.shift(gina, MORNING.replace(hour=9), MORNING.replace(hour=12))
    day = day_period(MORNING.date(), "UTC")
    with desk.db.read() as session:
        board = read_snapshot(session, CenterSettings(), now=MORNING).agents
        load = hourly_load(session, day, "UTC", now=MORNING, queues=queue_kpis(session, day))
        kpis = agent_kpis(session, day, now=MORNING, window_days=7)
    assert [agent.name for agent in board] == ["Alice Ames", "Gina Agent"]
    assert sum(hour.on_shift for hour in load.hours) == 3  # Gina's three hours only
    assert [row.name for row in kpis] == ["Alice Ames", "Gina Agent", "Center"]

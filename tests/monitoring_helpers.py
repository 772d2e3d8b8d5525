"""A small floor for quality monitoring: two teams, a manager, a week of calls."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from svcdesk_tui.core.settings import load_settings
from svcdesk_tui.models import Complaint, Escalation, Staff
from svcdesk_tui.monitoring.forms import DEFAULT_FORM_CSV, import_form

WEEK = date(2025, 12, 29)  # the Monday before the tests' morning (Monday 5 January 2026)
WEEK_START = datetime(2025, 12, 29, 9, 0, tzinfo=UTC)

ALL_YES = {
    "listened": "yes",
    "reflected": "yes",
    "thanked": "yes",
    "can_do": "yes",
    "checked_solved": "yes",
    "compensation": "yes",
    "identified": "yes",
    "reason_route": "yes",
    "courtesy": "5",
}


def answers(**changed: str) -> dict[str, str]:
    return {**ALL_YES, **changed}


def in_team(center, agent, lead) -> None:
    with center.db.write() as session:
        row = session.get(Staff, agent.id)
        row.team_lead_id = lead.id


def settings_of(center):
    with center.db.read() as session:
        return load_settings(session)


def build_floor(center):
    """Lena leads Ann and Bo, Lars leads Cy; Mara and Max manage. Each agent took calls in
    the week of WEEK; Ann's first call led to a complaint, her second to an escalation,
    her third was long, and her fourth repeats her second's customer."""
    center.lena = center.staff("lena", "lead", name="Lena Lead")
    center.lars = center.staff("lars", "lead", name="Lars Lead")
    center.mara = center.staff("mara", "manager", name="Mara Manager")
    center.max = center.staff("max", "manager", name="Max Manager")
    center.ann = center.staff("ann", name="Ann Agent")
    center.bo = center.staff("bo", name="Bo Agent")
    center.cy = center.staff("cy", name="Cy Agent")
    in_team(center, center.ann, center.lena)
    in_team(center, center.bo, center.lena)
    in_team(center, center.cy, center.lars)
    queue = center.queue("Support")
    center.queue_id = queue
    customers = [center.customer(f"Customer {n}") for n in range(12)]
    center.calls = {}
    for index, agent in enumerate((center.ann, center.bo, center.cy)):
        made = []
        for n in range(10):
            entered = WEEK_START + timedelta(days=n % 5, hours=n, minutes=index)
            customer = customers[(index * 10 + n) % 12]
            talk = 1200 if n == 2 else 180
            if index == 0 and n == 3:
                customer = customers[1]  # Ann's 2nd call's customer calls again: a repeat
            made.append(
                center.call(
                    queue, entered=entered, wait=10, talk=talk, wrap=30, customer=customer,
                    agent=agent, reason="billing",
                )
            )  # fmt: skip
        center.calls[agent.login] = made
    ann_calls = center.calls["ann"]
    with center.db.write() as session:
        session.add(
            Complaint(customer_id=customers[0], call_id=ann_calls[0], category="billing",
                      opened_at=WEEK_START)
        )  # fmt: skip
        session.add(
            Escalation(customer_id=customers[1], call_id=ann_calls[1], raised_by_id=center.ann.id,
                       raised_at=WEEK_START, level_rank=1, level_entered_at=WEEK_START)
        )  # fmt: skip
        center.form = import_form(session, center.mara, DEFAULT_FORM_CSV, now=WEEK_START)
    return center

"""The Caribbean screen (key 4) driven by a manager, a lead and an agent."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from svcdesk_tui.models import Absence, AuditEntry, Skill
from svcdesk_tui.screens.caribbean.forms import (
    AbsenceScreen,
    DetailScreen,
    DocumentedScreen,
    WhatIfScreen,
)
from svcdesk_tui.screens.caribbean.screen import CaribbeanScreen
from svcdesk_tui.screens.common.choice import ChoiceScreen

from . import pilot
from .caribbean_helpers import authority, away, procedure, skill
from .pilot import rows as cells
from .pilot import until


@pytest.fixture
def floor(center):
    """Outage (critical): only Mara can do it, Bob is learning (L).
    Refund (critical): Mara O, Ann U. Filing (routine): Ann U, not documented.
    Only Mara restores accounts. Ann is on holiday 12–16 January."""
    center.mara = center.staff("mara", "manager", name="Mara Vos")
    center.ann = center.staff("ann", name="Ann Ames")
    center.bob = center.staff("bob", name="Bob Berg")
    center.lea = center.staff("lea", "lead", name="Lea Lund")
    center.outage = procedure(center, "Outage")
    center.refund = procedure(center, "Refund")
    center.filing = procedure(center, "Filing", "routine", documented=False)
    skill(center, center.mara, center.outage, "U")
    skill(center, center.bob, center.outage, "L")
    skill(center, center.mara, center.refund, "O")
    skill(center, center.ann, center.refund, "U")
    skill(center, center.ann, center.filing, "U")
    authority(center, center.mara, "account_restoration")
    away(center, center.ann, date(2026, 1, 12), date(2026, 1, 16))
    return center


def desk_for(center, actor):
    """A desk whose timers stay quiet: the screen reads on opening and after each edit."""
    return pilot.desk_for(center, actor, refresh=30)


def on_caribbean(app):
    return isinstance(app.screen, CaribbeanScreen) and app.screen.report is not None


def text_of(app, selector):
    return str(app.screen.query_one(selector).render())


async def test_matrix_shows_levels_depth_and_risk_in_words(floor):
    app = desk_for(floor, floor.mara)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("4")
        await until(pilot, lambda: on_caribbean(app) and len(cells(app, "#cb-matrix")) == 3)
        rows = cells(app, "#cb-matrix")
        # by risk: breaches first (critical Outage), then risks (Filing), then fine (Refund)
        assert [r[0] for r in rows] == ["Outage !", "Filing", "Refund !"]
        outage, filing, refund = rows
        assert outage[1:3] == [
            "1/2 O:0",
            "BREACH: only Mara Vos can do it alone; a critical procedure needs 2; "
            "nobody can teach it (no O)",
        ]
        assert outage[3:] == ["·", "L", "·", "U"]  # ann, bob, lea, mara
        assert refund[1] == "2/2 O:1" and refund[2] == "OK"
        assert filing[2] == "RISK: only Ann Ames can do it alone; not documented"
        approvals = cells(app, "#cb-approvals")
        assert approvals == [
            [
                "account_restoration",
                "BREACH: only Mara Vos can give it",
                "1/2: Mara Vos",
                "grant it to Lea Lund (lead) too",
            ]
        ]
        factors = text_of(app, "#cb-factors")
        assert factors.startswith(
            "Bus factor 1: without Mara Vos, nobody for Outage, approval: account_restoration\n"
        )
        assert "Truck factor 1 (Mara Vos): then 1 of 2 critical" in factors
        # the default question: the manager away 14 days (5–18 January): Outage every day,
        # Refund too while Ann is on holiday (12–16)
        assert text_of(app, "#cb-whatif-title").startswith(
            "If Mara Vos is away 14 days: 2 critical procedures uncovered on 14 days; "
            "nobody can give 1 approval on 14 days"
        )
        gaps = cells(app, "#cb-gaps")
        assert len(gaps) == 14
        assert gaps[0] == [
            "Mon 01-05",
            "Outage 0/2 UNCOVERED; approval account_restoration 0/2 UNCOVERED; Refund 1/2",
            "Mara Vos",
        ]
        assert gaps[7][2] == "Ann Ames, Mara Vos"  # Monday 12th: Ann's holiday in the calendar
        assert "Refund 0/2 UNCOVERED" in gaps[7][1]
        assert text_of(app, "#cb-todo") == (
            "Outage: to do → sign off Bob Berg (L) to U; make Mara Vos (U) a trainer (O)"
        )
        await pilot.press("s")  # sort by name
        await until(pilot, lambda: [r[0] for r in cells(app, "#cb-matrix")][1] == "Outage !")
        await pilot.press("enter")  # the cursor stayed on Outage: its details in words
        await until(pilot, lambda: isinstance(app.screen, DetailScreen))
        detail = text_of(app, "#detail-body")
        assert "Can do it alone today: 1 (needs 2), trainers (O): 0" in detail
        assert "→ sign off Bob Berg (L) to U" in detail


async def test_manager_sets_a_skill_from_the_matrix(floor):
    app = desk_for(floor, floor.mara)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("4")
        await until(pilot, lambda: on_caribbean(app) and len(cells(app, "#cb-matrix")) == 3)
        await pilot.press("right", "right", "right", "right")  # Outage × bob
        assert text_of(app, "#cb-todo").endswith("·  bob: L (e: set)")
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("down", "enter")  # O, then U: can do it alone
        await until(pilot, lambda: on_caribbean(app) and cells(app, "#cb-matrix")[0][4] != "L")
        outage = next(r for r in cells(app, "#cb-matrix") if r[0] == "Outage !")
        assert outage[1] == "2/2 O:0" and outage[4] == "U"
        assert outage[2] == "BREACH: nobody can teach it (no O)"
    with floor.db.read() as session:
        level = session.exec(select(Skill.level).where(Skill.staff_id == floor.bob.id)).one()
        audit = session.exec(select(AuditEntry).where(AuditEntry.action == "skill.set")).one()
    assert level == "U" and audit.entity_id == "bob/Outage" and audit.actor_login == "mara"


async def test_what_if_panel_asks_about_other_people_and_dates(floor):
    app = desk_for(floor, floor.mara)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("4")
        await until(pilot, lambda: on_caribbean(app) and len(cells(app, "#cb-gaps")) == 14)
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, WhatIfScreen))
        # people by name: Ann, Bob, Lea, Mara (checked); choose Ann instead of Mara
        await pilot.press("space", "end", "space")
        await pilot.press("tab", "ctrl+u", *"2026-01-08", "tab", "ctrl+u", *"2026-01-13")
        await pilot.press("ctrl+s")
        await until(
            pilot,
            lambda: on_caribbean(app) and len(cells(app, "#cb-gaps")) == 6,
        )
        assert text_of(app, "#cb-whatif-title").startswith(
            "If Ann Ames is away 6 days: 0 critical procedures uncovered on 0 days"
        )
        gaps = cells(app, "#cb-gaps")
        assert gaps[0] == [
            "Thu 01-08",
            "Filing 0/1 UNCOVERED; Outage 1/2; Refund 1/2; approval account_restoration 1/2",
            "Ann Ames",
        ]


async def test_leads_see_but_cannot_edit_and_agents_cannot_open_it(floor):
    lead = desk_for(floor, floor.lea)
    async with lead.run_test(size=(160, 40)) as pilot:
        await pilot.press("4")
        await until(pilot, lambda: on_caribbean(lead))
        await pilot.press("e", "d", "b")
        await pilot.pause(0.2)
        assert isinstance(lead.screen, CaribbeanScreen)  # no dialog opened
        shown = lead.screen.active_bindings.values()
        footer_keys = {b.binding.key for b in shown if b.enabled and b.binding.show}
        assert "w" in footer_keys and "e" not in footer_keys
        await until(pilot, lambda: any("may not" in n.message for n in lead._notifications))
    agent = desk_for(floor, floor.ann)
    async with agent.run_test(size=(160, 40)) as pilot:
        await pilot.press("4")
        await pilot.pause(0.3)
        assert agent.current_mode == "queue"


async def test_it_fits_80_by_24(floor):
    app = desk_for(floor, floor.mara)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await until(pilot, lambda: on_caribbean(app) and len(cells(app, "#cb-gaps")) == 14)
        for selector in ("#cb-factors", "#cb-matrix", "#cb-approvals", "#cb-whatif-title"):
            widget = app.screen.query_one(selector)
            assert widget.region.height > 0 and widget.region.bottom <= 23, selector


async def test_manager_marks_documented_and_adds_an_absence(floor):
    app = desk_for(floor, floor.mara)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("4")
        await until(pilot, lambda: on_caribbean(app) and len(cells(app, "#cb-matrix")) == 3)
        await pilot.press("down", "d")  # Filing
        await until(pilot, lambda: isinstance(app.screen, DocumentedScreen))
        await pilot.press(*"wiki/filing", "enter")
        await until(
            pilot,
            lambda: (
                on_caribbean(app)
                and cells(app, "#cb-matrix")[1][2] == "RISK: only Ann Ames can do it alone"
            ),
        )
        await pilot.press("up", *["right"] * 6, "b")  # Outage × mara
        await until(pilot, lambda: isinstance(app.screen, AbsenceScreen))
        await pilot.press("tab", "tab", "tab", "ctrl+u", *"2026-01-06", "ctrl+s")
        await until(pilot, lambda: on_caribbean(app) and "mara (away)" in matrix_columns(app))
        outage = next(r for r in cells(app, "#cb-matrix") if r[0] == "Outage !")
        assert outage[1:3] == ["0/2 O:0", "BREACH: nobody can do it alone"]
    with floor.db.read() as session:
        actions = session.exec(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        absence = session.exec(select(Absence).where(Absence.staff_id == floor.mara.id)).one()
    assert actions == ["procedure.documented", "absence.add"]
    assert (absence.kind, absence.starts_on, absence.ends_on) == (
        "vacation",
        date(2026, 1, 5),
        date(2026, 1, 6),
    )


def matrix_columns(app):
    return [str(c.label) for c in app.screen.query_one("#cb-matrix").ordered_columns]

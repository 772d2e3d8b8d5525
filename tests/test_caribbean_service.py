"""The Caribbean test on hand-built teams whose answers are worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from svcdesk_tui.caribbean import analysis as caribbean
from svcdesk_tui.caribbean import skills, skills_csv
from svcdesk_tui.core.errors import Conflict, InvalidInput, PermissionDenied
from svcdesk_tui.core.settings import CenterSettings
from svcdesk_tui.models import AuditEntry

from .caribbean_helpers import authority, away, procedure, skill
from .conftest import MORNING

MONDAY = date(2026, 1, 5)  # MORNING's date
SETTINGS = CenterSettings()


def analyse(center, **kwargs):
    with center.db.read() as session:
        return caribbean.analyse(session, on=kwargs.pop("on", MONDAY), settings=SETTINGS, **kwargs)


def row(report, name):
    return next(c for c in report.coverage if c.procedure.name == name)


@pytest.fixture
def team(center):
    """Refund (critical): Ann O, Bob U, Cat L, Dan U but left, Eve U but on holiday today.
    Outage (critical): Bob U only, Cat L. Filing (routine, undocumented): Ann U, Bob U."""
    center.mara = center.staff("mara", "manager", name="Mara Vos")
    center.ann = center.staff("ann", name="Ann Ames")
    center.bob = center.staff("bob", name="Bob Berg")
    center.cat = center.staff("cat", name="Cat Cole")
    center.dan = center.staff("dan", name="Dan Dorn", left=date(2026, 1, 1))
    center.eve = center.staff("eve", name="Eve Ek")
    center.refund = procedure(center, "Refund")
    center.outage = procedure(center, "Outage")
    center.filing = procedure(center, "Filing", "routine", documented=False)
    for who, level in (("ann", "O"), ("bob", "U"), ("cat", "L"), ("dan", "U"), ("eve", "U")):
        skill(center, center.actors[who], center.refund, level)
    skill(center, center.bob, center.outage, "U")
    skill(center, center.cat, center.outage, "L")
    skill(center, center.ann, center.filing, "U")
    skill(center, center.bob, center.filing, "U")
    away(center, center.eve, date(2026, 1, 5), date(2026, 1, 6))
    return center


def test_depth_counts_active_present_people_at_u_or_o(team):
    report = analyse(team, away=[])
    refund = row(report, "Refund")
    assert (refund.depth, refund.trainers) == (2, 1)  # Ann O + Bob U; Dan left, Eve away
    assert refund.doers == ("Ann Ames", "Bob Berg") and refund.findings == ()
    assert refund.severity == "ok"
    assert refund.levels == {"ann": "O", "bob": "U", "cat": "L", "eve": "U"}  # Dan has left


def test_critical_below_depth_without_trainer_is_a_breach_with_suggestions(team):
    outage = row(analyse(team, away=[]), "Outage")
    assert outage.depth == 1 and outage.severity == "breach"
    reasons = [f.reason for f in outage.findings]
    assert reasons == [
        "only Bob Berg can do it alone; a critical procedure needs 2",
        "nobody can teach it (no O)",
    ]
    assert outage.suggestions == ("sign off Cat Cole (L) to U", "make Bob Berg (U) a trainer (O)")


def test_undocumented_procedure_is_a_finding_whatever_its_depth(team):
    filing = row(analyse(team, away=[]), "Filing")
    assert filing.depth == 2
    assert [(f.severity, f.reason) for f in filing.findings] == [("risk", "not documented")]
    assert filing.suggestions[0] == "ask Ann Ames to write it down"


def test_depth_follows_the_configured_minimum(team):
    with team.db.read() as session:
        report = caribbean.analyse(
            session, on=MONDAY, settings=CenterSettings(critical_min_depth=3), away=[]
        )
    refund = row(report, "Refund")
    assert refund.required == 3 and refund.severity == "breach"


def test_bus_factor_is_one_because_of_a_single_approver(center):
    """Every critical procedure has two people; only the manager restores accounts."""
    mara = center.staff("mara", "manager", name="Mara Vos")
    ann, bob = center.staff("ann", name="Ann Ames"), center.staff("bob", name="Bob Berg")
    refund = procedure(center, "Refund")
    for person in (mara, ann, bob):
        skill(center, person, refund, "O")
    authority(center, mara, "account_restoration")
    authority(center, ann, "compensation_above_limit")
    authority(center, bob, "compensation_above_limit")
    report = analyse(center)
    assert report.bus_factor.size == 1
    assert report.bus_factor.functions == ("approval: account_restoration",)
    assert report.bus_factor.people == (("Mara Vos",),)
    restoration = next(a for a in report.approvals if a.kind == "account_restoration")
    assert restoration.findings[0].reason == "only Mara Vos can give it"
    assert next(a for a in report.approvals if a.kind != "account_restoration").findings == ()
    # the default question: the manager away for 14 days
    assert report.what_if.away == ("mara",)
    assert report.what_if.summary == (
        "If Mara Vos is away 14 days: 0 critical procedures uncovered on 0 days; "
        "nobody can give 1 approval on 14 days"
    )
    assert report.critical_uncovered


def test_bus_and_truck_factor_of_a_four_procedure_center(center):
    """P1 {A,B}, P2 {A,C}, P3 {A}, P4 {B,C}: losing A uncovers P3 (bus factor 1);
    greedy removal takes A (3 procedures), then B (tie with C, by name): P1 falls too,
    half of 4 uncovered after 2 people."""
    a, b, c = (center.staff(x, name=x.upper() * 3) for x in "abc")
    ids = {name: procedure(center, name) for name in ("P1", "P2", "P3", "P4")}
    for name, holders in {"P1": (a, b), "P2": (a, c), "P3": (a,), "P4": (b, c)}.items():
        for person in holders:
            skill(center, person, ids[name], "U")
    report = analyse(center, away=[])
    assert (report.bus_factor.size, report.bus_factor.functions) == (1, ("P3",))
    assert report.bus_factor.people == (("AAA",),)
    truck = report.truck_factor
    assert (truck.size, truck.people, truck.critical_procedures, truck.uncovered_after) == (
        2,
        ("AAA", "BBB"),
        4,
        2,
    )


def test_bus_factor_two_lists_every_weakest_function(center):
    a, b, c = (center.staff(x, name=x.upper()) for x in "abc")
    p1, p2 = procedure(center, "P1"), procedure(center, "P2")
    for person in (a, b):
        skill(center, person, p1, "O")
    for person in (a, b, c):
        skill(center, person, p2, "U")
    bus = analyse(center, away=[]).bus_factor
    assert (bus.size, bus.functions, bus.people) == (2, ("P1",), (("A", "B"),))


def test_what_if_combines_with_absences_already_in_the_calendar(center):
    """Refund needs 2: Ann and Bob. Bob is on holiday 7–9 January; ask about Ann away
    5–11 January: Refund has nobody on the 7th, 8th and 9th, and one person on the others."""
    ann, bob = center.staff("ann", name="Ann Ames"), center.staff("bob", name="Bob Berg")
    refund = procedure(center, "Refund")
    skill(center, ann, refund, "O")
    skill(center, bob, refund, "O")
    away(center, bob, date(2026, 1, 7), date(2026, 1, 9))
    report = analyse(center, away=["ann"], from_=date(2026, 1, 5), to=date(2026, 1, 11))
    what = report.what_if
    assert what.summary == "If Ann Ames is away 7 days: 1 critical procedure uncovered on 3 days"
    depths = {d.day.day: [(g.name, g.depth, g.from_away) for g in d.gaps] for d in what.days}
    assert depths == {
        5: [("Refund", 1, True)],
        6: [("Refund", 1, True)],
        7: [("Refund", 0, True)],  # the calendar alone leaves 1: Ann deepens the gap
        8: [("Refund", 0, True)],
        9: [("Refund", 0, True)],
        10: [("Refund", 1, True)],
        11: [("Refund", 1, True)],
    }
    assert what.days[2].absent == ("Ann Ames", "Bob Berg")
    assert (what.critical_uncovered, what.days_critical_uncovered) == (("Refund",), 3)


def test_calendar_gap_without_the_what_if_is_not_from_away(center):
    ann, bob, _cat = (center.staff(x) for x in ("ann", "bob", "cat"))
    refund = procedure(center, "Refund")
    for person in (ann, bob):
        skill(center, person, refund, "O")
    away(center, bob, MONDAY, MONDAY)
    what = analyse(center, away=["cat"], to=MONDAY).what_if
    assert [(g.name, g.depth, g.from_away) for g in what.days[0].gaps] == [("Refund", 1, False)]


def test_json_is_plain_and_findings_need_the_view_right(team):
    with team.db.read() as session:
        data = caribbean.caribbean_findings(
            session, on=MONDAY, settings=SETTINGS, actor=team.mara, to=date(2026, 1, 6)
        )
        with pytest.raises(PermissionDenied):
            caribbean.caribbean_findings(session, on=MONDAY, settings=SETTINGS, actor=team.ann)
    assert data["on"] == "2026-01-05" and data["what_if"]["away"] == ["mara"]
    outage = next(c for c in data["coverage"] if c["procedure"]["name"] == "Outage")
    assert outage["severity"] == "breach" and outage["depth"] == 1
    assert data["critical_uncovered"] is False  # Mara holds nothing


def test_unknown_login_and_backwards_range_are_refused(team):
    with pytest.raises(Exception, match="no staff member 'zed'"):
        analyse(team, away=["zed"])
    with pytest.raises(InvalidInput, match="ends"):
        analyse(team, from_=date(2026, 1, 9), to=date(2026, 1, 8))


# --- edits ----------------------------------------------------------------------------


def test_manager_sets_a_skill_and_it_is_audited(team):
    with team.db.write() as session:
        assert skills.set_skill(
            session, team.mara, person="cat", procedure="Outage", level="u", now=MORNING
        )
        assert not skills.set_skill(
            session, team.mara, person="cat", procedure="Outage", level="U", now=MORNING
        )
    assert row(analyse(team, away=[]), "Outage").depth == 2
    with team.db.read() as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "skill.set")).one()
    assert (entry.actor_login, entry.entity_id) == ("mara", "cat/Outage")
    assert (entry.before, entry.after) == ('{"level": "L"}', '{"level": "U"}')


def test_agents_may_not_edit_and_bad_values_are_refused(team):
    with team.db.write() as session:
        with pytest.raises(PermissionDenied):
            skills.set_skill(
                session, team.ann, person="cat", procedure="Outage", level="U", now=MORNING
            )
        with pytest.raises(InvalidInput, match="I, L, U or O"):
            skills.set_skill(
                session, team.mara, person="cat", procedure="Outage", level="X", now=MORNING
            )


def test_mark_documented_and_add_absence(team):
    with team.db.write() as session:
        skills.mark_documented(
            session,
            team.mara,
            procedure="Filing",
            documented=True,
            location="wiki/filing",
            now=MORNING,
        )
        skills.add_absence(
            session,
            team.mara,
            person="bob",
            kind="sick",
            starts_on=MONDAY,
            ends_on=MONDAY,
            now=MORNING,
        )
    report = analyse(team, away=[])
    assert row(report, "Filing").findings == (
        caribbean.Finding("risk", "only Ann Ames can do it alone"),
    )
    assert row(report, "Filing").procedure.doc_location == "wiki/filing"
    assert row(report, "Outage").depth == 0
    with team.db.write() as session, pytest.raises(Conflict, match="already away"):
        skills.add_absence(
            session,
            team.mara,
            person="bob",
            kind="vacation",
            starts_on=date(2026, 1, 4),
            ends_on=MONDAY,
            now=MORNING,
        )


# --- CSV --------------------------------------------------------------------------------


def test_csv_import_reports_bad_lines_and_applies_the_rest(team):
    text = (
        "login,procedure,level\n"
        "cat,Outage,U\n"
        "zed,Outage,U\n"  # line 3: unknown person
        "ann,Outage,Q\n"  # line 4: bad level
        "ann,Outage,O\n"
        "bob,Refund,U\n"  # unchanged
    )
    with team.db.write() as session:
        result = skills_csv.import_csv(session, team.mara, "skills", text, now=MORNING)
    assert (result.changed, result.unchanged) == (2, 1)
    assert [line for line, _ in result.errors] == [3, 4]
    assert "no staff member 'zed'" in result.errors[0][1]
    outage = row(analyse(team, away=[]), "Outage")
    assert (outage.depth, outage.trainers) == (3, 1)


def test_csv_round_trip_of_absences_and_a_bad_header(team):
    with team.db.read() as session:
        exported = skills_csv.export_csv(session, team.mara, "absences")
    assert exported == "login,kind,starts_on,ends_on,note\neve,vacation,2026-01-05,2026-01-06,\n"
    text = exported + "bob,sick,2026-01-20,2026-01-19,\nbob,sick,2026-02-02,2026-02-03,flu\n"
    with team.db.write() as session:
        result = skills_csv.import_csv(session, team.mara, "absences", text, now=MORNING)
        with pytest.raises(InvalidInput, match="missing: procedure"):
            skills_csv.import_csv(session, team.mara, "skills", "login,level\n", now=MORNING)
    assert (result.changed, result.unchanged) == (1, 1)
    assert result.errors == [(3, "the absence ends (2026-01-19) before it starts (2026-01-20)")]


def test_a_leave_date_inside_the_range_opens_a_gap_from_that_day(center):
    """Ann leaves on the 8th (her last day is the 7th); Bob is imagined away too."""
    ann = center.staff("ann", name="Ann Ames", left=date(2026, 1, 8))
    bob, cat = center.staff("bob", name="Bob Berg"), center.staff("cat", name="Cat Cole")
    refund = procedure(center, "Refund", "important")
    for person in (ann, bob):
        skill(center, person, refund, "U")
    skill(center, cat, refund, "L")
    what = analyse(center, away=["bob"], to=date(2026, 1, 9)).what_if
    assert [(d.day.day, [g.depth for g in d.gaps]) for d in what.days] == [
        (5, []),
        (6, []),
        (7, []),
        (8, [0]),
        (9, [0]),
    ]
    assert what.summary == "If Bob Berg is away 5 days: 0 critical procedures uncovered on 0 days"


def test_several_people_away_and_a_stricter_approval_rule(center):
    a, b, _c = (center.staff(x, name=x.upper()) for x in "abc")
    for person in (a, b):
        authority(center, person, "write_off")
    with center.db.read() as session:
        report = caribbean.analyse(
            session,
            on=MONDAY,
            settings=CenterSettings(approval_min_holders=3),
            away=["a", "c"],
            to=MONDAY,
        )
    (write_off,) = report.approvals
    assert write_off.findings[0].reason == "only A, B can give it; 3 needed"
    assert report.what_if.summary.startswith("If A and C are away 1 day: ")
    assert [(g.name, g.depth, g.from_away) for g in report.what_if.days[0].gaps] == [
        ("write_off", 1, True)
    ]

"""Every cell of the role table, tried through the service that enforces it.

The expected table is written out here by hand; each cell runs the real service
call as a person of that role on a real SQLite file. A refused cell must raise
the role table's refusal, name the action, and leave an audit row; an allowed
cell must go through.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from svcdesk_tui.caribbean import skills
from svcdesk_tui.caribbean.analysis import analyse
from svcdesk_tui.complaints import compensation, feedback
from svcdesk_tui.complaints import lifecycle as complaints
from svcdesk_tui.complaints.desk import read_desk
from svcdesk_tui.core.clock import FrozenClock
from svcdesk_tui.core.db import Database
from svcdesk_tui.core.errors import Conflict, PermissionDenied
from svcdesk_tui.core.periods import Period
from svcdesk_tui.core.settings import load_settings
from svcdesk_tui.demo.simulation import run_simulation
from svcdesk_tui.escalations import moves as escalation
from svcdesk_tui.escalations.views import center_measures
from svcdesk_tui.ingest.importer import QueueLogImporter
from svcdesk_tui.models import AgentStatus, AuditEntry, Call, CallState, Procedure
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import ROLE_ACTIONS, Action, ActionRefused
from svcdesk_tui.people.staff import add_staff
from svcdesk_tui.queue import live as queue
from svcdesk_tui.queue.customer_card import customer_card

from .builders import Center
from .conftest import MORNING
from .stores import copy_store, new_store

ROLES = ("agent", "lead", "manager", "executive", "admin")

# x = allowed, . = refused. Written by hand: it is what docs/deployment.md promises.
EXPECTED = """
take a call                                          x x x . x
complete a call                                      x x x . x
pause or resume                                      x x x . x
assign a call to an agent                            . x x . x
see every agent's state                              . x x x x
open a customer card                                 x x x x x
add or change staff                                  . . x . x
feed simulated calls                                 . . x . x
open a complaint                                     x x x . x
resolve or follow up a complaint                     x x x . x
close a complaint as unconfirmed                     . x x . x
record customer feedback                             x x x . x
follow up bad feedback                               . . x . x
grant or request compensation                        x x x . x
approve or reject compensation                       . x x . x
raise an escalation                                  x x x . x
accept, resolve or pass on an escalation             . x x x x
see the escalation measures                          . x x x x
see the Caribbean test                               . x x x x
change procedures, skills, approval rights or absences . . x . x
import the PBX's queue_log                           . . x . x
see every complaint, not only their own              . x x x x
change the center's settings                         . . x . x
evaluate calls and draw the sample                   . x x . x
import evaluation forms or attach recordings         . . x . x
settle a disputed evaluation                         . . x . x
play call recordings                                 . x x . x
"""


def expected_cells() -> dict[tuple[str, Action], bool]:
    by_words = {action.value: action for action in Action}
    cells = {}
    for line in EXPECTED.strip().splitlines():
        words, marks = line[:-10].strip(), line[-9:].split()
        for role, mark in zip(ROLES, marks, strict=True):
            cells[(role, by_words[words])] = mark == "x"
    return cells


CELLS = expected_cells()
FILTERS = {Action.VIEW_ALL_AGENTS, Action.VIEW_ALL_COMPLAINTS}  # narrow a view, never refuse


class World:
    """A center with one person per role, plus a second agent, a customer and a procedure."""

    def __init__(self, db: Database, clock: FrozenClock) -> None:
        self.db, self.clock = db, clock
        with db.read() as session:
            self.settings = load_settings(session)
        self.people: dict[str, Actor] = {}

    @property
    def now(self):  # type: ignore[no-untyped-def]
        return self.clock.now()

    def who(self, role: str) -> Actor:
        return self.people[role]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Actor], int, int]:
    path = new_store(tmp_path_factory.mktemp("roles"))
    center = Center.create(path, FrozenClock(MORNING))
    support = center.queue("Support")
    customer = center.customer("Acme", phone="+3120000000")
    lead = center.staff("lena", "lead", limit_cents=100_000)
    people = {
        "lead": lead,
        "manager": center.staff("mara", "manager", limit_cents=100_000),
        "executive": center.staff("eve", "executive"),
        "admin": center.staff("root", "admin", limit_cents=100_000),
        "other": center.staff("bob", "agent", limit_cents=5_000),
    }
    people["agent"] = center.staff("ann", "agent", limit_cents=5_000)
    with center.db.write() as session:
        for login in ("ann", "bob"):
            session.get_one(_staff_model(), center.actors[login].id).team_lead_id = lead.id
        session.add(Procedure(name="Refunds", criticality="critical", documented=True))
    people["agent"] = _reload(center.db, "ann")
    people["other"] = _reload(center.db, "bob")
    center.db.close()
    return path, people, support, customer


def _staff_model():  # type: ignore[no-untyped-def]
    from svcdesk_tui.models import Staff

    return Staff


def _reload(db: Database, login: str) -> Actor:
    staff = _staff_model()
    with db.read() as session:
        return Actor.of(session.exec(select(staff).where(staff.login == login)).one())


@pytest.fixture
def world(template, tmp_path: Path) -> World:  # type: ignore[no-untyped-def]
    path, people, support, customer = template
    built = World(Database.open(copy_store(path, tmp_path)), FrozenClock(MORNING))
    built.people = dict(people)
    built.support, built.customer = support, customer  # type: ignore[attr-defined]
    yield built
    built.db.close()


# --- one probe per action: set the scene as someone allowed, then act as the role -------


def _waiting_call(w: World) -> int:
    with w.db.write() as session:
        return queue.enqueue_call(session, queue_id=w.support, now=w.now).id  # type: ignore[attr-defined,return-value]


def take_call(w: World, actor: Actor) -> bool:
    _waiting_call(w)
    with w.db.write() as session:
        return queue.take_call(session, actor, now=w.now) is not None


def complete_call(w: World, actor: Actor) -> bool:
    call_id = _waiting_call(w)
    with w.db.write() as session:  # put the call on the person directly, as the PBX would
        call = session.get_one(Call, call_id)
        call.state, call.agent_id, call.answered_at = CallState.ON_CALL, actor.id, w.now
        session.add(AgentStatus(staff_id=actor.id, state="on_call", since=w.now, call_id=call_id))
    w.clock.advance(60)
    with w.db.write() as session:
        done = queue.complete_call(
            session, actor, queue.Completion("other", outcome="resolved"), now=w.now
        )
        return done.state == CallState.COMPLETED


def pause(w: World, actor: Actor) -> bool:
    with w.db.write() as session:
        queue.pause(session, actor, "break", now=w.now)
    return True


def assign_call(w: World, actor: Actor) -> bool:
    call_id = _waiting_call(w)
    with w.db.write() as session:
        queue.log_in(session, w.who("other"), now=w.now)
    with w.db.write() as session:
        return (
            queue.assign_call(session, actor, call_id, w.who("other").id, now=w.now).id == call_id
        )


def see_all_agents(w: World, actor: Actor) -> bool:
    with w.db.write() as session:
        queue.log_in(session, w.who("other"), now=w.now)
    with w.db.read() as session:
        board = queue.QueueReader(w.settings, viewer=actor).read(session, now=w.now).agents
    return any(row.login == "bob" for row in board)


def customer_card_of(w: World, actor: Actor) -> bool:
    with w.db.read() as session:
        return customer_card(session, w.customer, now=w.now, viewer=actor).name == "Acme"  # type: ignore[attr-defined]


def manage_staff(w: World, actor: Actor) -> bool:
    with w.db.write() as session:
        added = add_staff(
            session, actor, login="newbie", name="New Bie", role="agent",
            hired_on=date(2026, 1, 5), now=w.now,
        )  # fmt: skip
        return added.login == "newbie"


def feed_simulation(w: World, actor: Actor) -> bool:
    stop = threading.Event()
    stop.set()  # start and stop at once: only the right to start is in question
    run_simulation(w.db, w.clock, stop=stop, actor=actor)
    return True


def _complaint(w: World, by: str = "agent") -> int:
    with w.db.write() as session:
        return complaints.open_complaint(
            session,
            w.who(by),
            w.settings,
            now=w.now,
            customer_id=w.customer,
            category="Outage",  # type: ignore[attr-defined]
        ).id  # type: ignore[return-value]


def open_complaint(w: World, actor: Actor) -> bool:
    with w.db.write() as session:
        return (
            complaints.open_complaint(
                session,
                actor,
                w.settings,
                now=w.now,
                customer_id=w.customer,
                category="Outage",  # type: ignore[attr-defined]
            ).state
            == "open"
        )


def work_complaint(w: World, actor: Actor) -> bool:
    complaint_id = _complaint(w)
    with w.db.write() as session:
        return complaints.start_work(session, actor, complaint_id, now=w.now).owner_id == actor.id


def close_unconfirmed(w: World, actor: Actor) -> bool:
    complaint_id, ann = _complaint(w), w.who("agent")
    with w.db.write() as session:
        complaints.start_work(session, ann, complaint_id, now=w.now)
        complaints.resolve(
            session, ann, complaint_id, w.settings, now=w.now, followup_owner_id=ann.id
        )
    for _ in range(w.settings.followup_max_attempts):
        w.clock.advance(3600)
        with w.db.write() as session:
            complaints.log_attempt(session, ann, complaint_id, "no_answer", now=w.now)
    with w.db.write() as session:
        closed = complaints.close_unconfirmed(session, actor, complaint_id, w.settings, now=w.now)
        return closed.state.startswith("closed")


def record_feedback(w: World, actor: Actor) -> bool:
    complaint_id = _complaint(w)
    with w.db.write() as session:
        answer = feedback.record_feedback(
            session, actor, w.settings, now=w.now, customer_id=w.customer, csat=5,  # type: ignore[attr-defined]
            complaint_id=complaint_id,
        )  # fmt: skip
        return answer.csat == 5


def follow_up_feedback(w: World, actor: Actor) -> bool:
    complaint_id = _complaint(w)
    with w.db.write() as session:
        bad = feedback.record_feedback(
            session, None, w.settings, now=w.now, customer_id=w.customer, csat=1,  # type: ignore[attr-defined]
            complaint_id=complaint_id,
        )  # fmt: skip
    with w.db.write() as session:
        done = feedback.record_followup(
            session,
            actor,
            bad.id,
            w.settings,
            now=w.now,
            outcome="apologised, credit agreed",  # type: ignore[arg-type]
        )
        return done.followed_up_at is not None


def grant_compensation(w: World, actor: Actor) -> bool:
    with w.db.write() as session:
        granted = compensation.request(
            session, actor, now=w.now, customer_id=w.customer, kind="credit", amount_cents=1_000,  # type: ignore[attr-defined]
            note="late delivery",
        )  # fmt: skip
        return granted.state == "granted"


def approve_compensation(w: World, actor: Actor) -> bool:
    with w.db.write() as session:
        asked = compensation.request(
            session, w.who("agent"), now=w.now, customer_id=w.customer, kind="refund",  # type: ignore[attr-defined]
            amount_cents=20_000, note="broken twice",
        )  # fmt: skip
    with w.db.write() as session:
        decided = compensation.decide(
            session, actor, asked.id, now=w.now, approve=True, note="fair"
        )  # type: ignore[arg-type]
        return decided.state == "approved"


def raise_escalation(w: World, actor: Actor) -> bool:
    try:
        with w.db.write() as session:
            raised = escalation.raise_escalation(
                session, actor, now=w.now, reason="third outage this week", anger=4,
                customer_id=w.customer,  # type: ignore[attr-defined]
            )  # fmt: skip
            return raised.state == "raised"
    except Conflict as error:  # admins rank with executives: the ladder has no rung above
        return actor.role == "admin" and "no level above yours" in error.message


def handle_escalation(w: World, actor: Actor) -> bool:
    with w.db.write() as session:
        raised = escalation.raise_escalation(
            session, w.who("agent"), now=w.now, reason="wants the manager", anger=5,
            customer_id=w.customer,  # type: ignore[attr-defined]
        )  # fmt: skip
    with w.db.write() as session:
        return escalation.accept(session, actor, raised.id, now=w.now).accepted_by_id == actor.id  # type: ignore[arg-type]


def escalation_measures(w: World, actor: Actor) -> bool:
    with w.db.read() as session:
        measures = center_measures(session, actor, Period(w.now - timedelta(days=7), w.now))
    return measures is not None


def caribbean(w: World, actor: Actor) -> bool:
    with w.db.read() as session:
        return analyse(session, on=w.now.date(), settings=w.settings, actor=actor) is not None


def edit_skills(w: World, actor: Actor) -> bool:
    with w.db.write() as session:
        return skills.set_skill(
            session, actor, person="ann", procedure="Refunds", level="U", now=w.now
        )


def ingest(w: World, actor: Actor) -> bool:
    with w.db.read():  # as `svcdesk ingest` checks it: in a session, so a refusal is audited
        QueueLogImporter(w.db, actor, clock=w.clock)
    return True


def see_all_complaints(w: World, actor: Actor) -> bool:
    others = _complaint(w, by="other")
    with w.db.read() as session:
        desk = read_desk(session, actor, w.settings, now=w.now)
    return any(c.complaint_id == others for c in desk.complaints)


def change_settings(w: World, actor: Actor) -> bool:
    from svcdesk_tui.cli.settings import change_setting

    with w.db.write() as session:
        change_setting(session, actor, "fcr_window_days", 10)
    return True


def _handled_call(w: World) -> int:
    """A call Bob (the other agent) took and finished, with the default form in the store."""
    from svcdesk_tui.monitoring.forms import DEFAULT_FORM_CSV, import_form, latest_form

    with w.db.write() as session:
        if latest_form(session) is None:
            import_form(session, None, DEFAULT_FORM_CSV, now=w.now)
        call = Call(
            queue_id=w.support, state=CallState.COMPLETED, agent_id=w.who("other").id,  # type: ignore[attr-defined]
            entered_at=w.now, answered_at=w.now, talk_seconds=60, wrap_seconds=10,
        )  # fmt: skip
        session.add(call)
        session.flush()
        return call.id  # type: ignore[return-value]


ALL_YES = dict.fromkeys(
    ("listened", "reflected", "thanked", "can_do", "checked_solved", "compensation",
     "identified", "reason_route"), "yes",
) | {"courtesy": "5"}  # fmt: skip


def evaluate_calls(w: World, actor: Actor) -> bool:
    from svcdesk_tui.monitoring.evaluations import evaluate

    call_id = _handled_call(w)
    with w.db.write() as session:
        return evaluate(session, actor, call_id, ALL_YES, now=w.now).score == 1


def manage_forms(w: World, actor: Actor) -> bool:
    from svcdesk_tui.monitoring.forms import DEFAULT_FORM_CSV, import_form

    with w.db.write() as session:
        return import_form(session, actor, DEFAULT_FORM_CSV, now=w.now).version == 1


def settle_disputes(w: World, actor: Actor) -> bool:
    from svcdesk_tui.monitoring.evaluations import dispute, evaluate, settle

    call_id = _handled_call(w)
    evaluator = w.who("admin") if actor.role != "admin" else w.who("manager")
    with w.db.write() as session:
        evaluation_id = evaluate(session, evaluator, call_id, ALL_YES, now=w.now).id
    with w.db.write() as session:
        dispute(session, w.who("other"), evaluation_id, "that was not me", now=w.now)  # type: ignore[arg-type]
    with w.db.write() as session:
        done = settle(session, actor, evaluation_id, uphold=True, note="heard it", now=w.now)  # type: ignore[arg-type]
        return done.state == "upheld"


def play_recordings(w: World, actor: Actor) -> bool:
    from svcdesk_tui.monitoring.recordings import recording_of

    call_id = _handled_call(w)
    with w.db.read() as session:
        return recording_of(session, actor, call_id) is None


PROBES: dict[Action, Callable[[World, Actor], bool]] = {
    Action.TAKE_CALL: take_call,
    Action.COMPLETE_CALL: complete_call,
    Action.PAUSE: pause,
    Action.ASSIGN_CALL: assign_call,
    Action.VIEW_ALL_AGENTS: see_all_agents,
    Action.VIEW_CUSTOMER: customer_card_of,
    Action.MANAGE_STAFF: manage_staff,
    Action.RUN_SIMULATION: feed_simulation,
    Action.OPEN_COMPLAINT: open_complaint,
    Action.WORK_COMPLAINT: work_complaint,
    Action.CLOSE_UNCONFIRMED: close_unconfirmed,
    Action.RECORD_FEEDBACK: record_feedback,
    Action.FOLLOW_UP_FEEDBACK: follow_up_feedback,
    Action.GRANT_COMPENSATION: grant_compensation,
    Action.APPROVE_COMPENSATION: approve_compensation,
    Action.RAISE_ESCALATION: raise_escalation,
    Action.HANDLE_ESCALATION: handle_escalation,
    Action.VIEW_ESCALATION_MEASURES: escalation_measures,
    Action.VIEW_CARIBBEAN: caribbean,
    Action.EDIT_SKILLS: edit_skills,
    Action.INGEST_TELEPHONY: ingest,
    Action.VIEW_ALL_COMPLAINTS: see_all_complaints,
    Action.CHANGE_SETTINGS: change_settings,
    Action.EVALUATE_CALLS: evaluate_calls,
    Action.MANAGE_FORMS: manage_forms,
    Action.SETTLE_DISPUTES: settle_disputes,
    Action.PLAY_RECORDINGS: play_recordings,
}


def refusals(w: World) -> list[tuple[str, str | None]]:
    with w.db.read() as session:
        rows = session.exec(
            select(AuditEntry.actor_login, AuditEntry.entity_id).where(
                AuditEntry.action == "permission.refused"
            )
        ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def test_every_action_has_a_probe_and_a_row():
    assert set(PROBES) == set(Action)
    assert {action for _, action in CELLS} == set(Action)


@pytest.mark.parametrize(("role", "action"), sorted(CELLS, key=lambda c: (c[1].name, c[0])))
def test_role_table_cell(world: World, role: str, action: Action):
    actor = world.who(role)
    probe = PROBES[action]
    if CELLS[(role, action)]:
        assert probe(world, actor) is True
        assert refusals(world) == []
    elif action in FILTERS:
        assert probe(world, actor) is False
    else:
        with pytest.raises(ActionRefused) as refused:
            probe(world, actor)
        assert refused.value.action is action
        assert refused.value.message.startswith(f"{actor.login} ({role}) may not ")
        assert isinstance(refused.value, PermissionDenied)
        assert refusals(world) == [(actor.login, action.name.lower())]


def test_the_code_table_is_the_hand_written_one():
    for (role, action), may in CELLS.items():
        assert (action in ROLE_ACTIONS[role]) is may, (role, action.value)  # type: ignore[index]


def test_the_deployment_guide_shows_the_same_table():
    guide = (Path(__file__).parents[1] / "docs" / "deployment.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| ([^|]+?) \|((?: [^|]* \|){5})$", guide, flags=re.MULTILINE)
    by_words = {action.value: action for action in Action}
    shown = {}
    for words, marks in rows:
        if words in by_words:
            cells = [cell.strip() for cell in marks.split("|")[:-1]]
            for role, mark in zip(ROLES, cells, strict=True):
                shown[(role, by_words[words])] = mark == "yes"
    assert shown == CELLS

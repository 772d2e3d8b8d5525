"""The demo's quality monitoring: a default form, weekly samples, and a few months of
evaluations that tell a story.

One agent never reflects back what the customer said (the item most missed, and
the coaching note says so every time); one team's leads are far apart when they
score the same call (poor calibration). Recordings are references to where the
PBX would keep them: playing one says the file is missing, in one line.

Its own random stream, written after everything else: every other demo row stays
as it was.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session, col

from svcdesk_tui.demo.store import BulkWriter
from svcdesk_tui.demo.world import World
from svcdesk_tui.models import (
    Call,
    Evaluation,
    EvaluationAnswer,
    EvaluationState,
    MonitoringForm,
    MonitoringItem,
    MonitoringSample,
    Role,
    Setting,
    Staff,
)
from svcdesk_tui.monitoring.forms import DEFAULT_FORM_CSV, FormItem, parse_form
from svcdesk_tui.monitoring.sampling import candidates, pick, week_of
from svcdesk_tui.monitoring.scoring import read_answer, score

WEEKS = 13
RECORDINGS = "/var/spool/asterisk/monitor"
CALLS_PER_WEEK = 4
EVALUATED_SHARE = 0.8  # of the weeks before the last; the last week waits in the queue
CALIBRATED_SHARE = 0.12
COMMENTS = (
    "Calm, clear and friendly.",
    "Good questions before the answer.",
    "Rushed the end of the call.",
    "Long silence while searching; say what you are doing.",
    "Handled an angry customer well.",
)
COACHING = (
    "Summarise the agreed next step before ending.",
    "Ask whether the problem is solved before you close.",
    "Name the customer's problem in your own words first.",
    "Keep it up: use this call in the team meeting.",
)
NEVER_REFLECTS = "Reflect back what you heard before you answer: 'So the invoice shows …'."


def write_monitoring(writer: BulkWriter, world: World) -> dict[str, int]:
    """Form, samples, evaluations and recording references for the demo's last weeks."""
    rng = world.rng("monitoring")
    connection = writer.connection
    staff = connection.execute(
        select(col(Staff.id), col(Staff.role), col(Staff.team_lead_id), col(Staff.login))
        .where(col(Staff.left_on).is_(None))
        .order_by(col(Staff.id))
    ).all()
    leads = [s.id for s in staff if s.role == Role.LEAD]
    managers = [s.id for s in staff if s.role == Role.MANAGER]
    lead_of = {s.id: s.team_lead_id for s in staff if s.role == Role.AGENT}
    if not leads or not managers or not lead_of:
        return {}
    form_id, items = _write_form(writer, world)
    agents_by_team = sorted({lead for lead in lead_of.values() if lead is not None})
    never_reflects = min(a for a, lead in lead_of.items() if lead == agents_by_team[0])
    poor_team = agents_by_team[1 % len(agents_by_team)]
    settings = _settings(world)
    last = week_of(world.today) - timedelta(days=7)
    weeks = [last - timedelta(days=7 * n) for n in range(min(WEEKS, world.days // 7))][::-1]
    next_ids = {t: writer.next_id(t) for t in (MonitoringSample, Evaluation)}
    samples: list[dict[str, Any]] = []
    evaluations: list[dict[str, Any]] = []
    answers: list[dict[str, Any]] = []
    recordings: list[dict[str, Any]] = []
    with Session(bind=connection) as session:
        for week in weeks:
            drawn_at = datetime.combine(week + timedelta(days=7), datetime.min.time(), world.tz)
            for agent_id, kinds in sorted(candidates(session, week, settings).items()):
                if agent_id not in lead_of:
                    continue
                for d in pick(week, agent_id, kinds, CALLS_PER_WEEK):
                    samples.append(
                        {"id": next_ids[MonitoringSample] + len(samples), "call_id": d.call_id,
                         "agent_id": agent_id, "week": week, "reason": d.reason,
                         "drawn_at": drawn_at.astimezone(UTC)}
                    )  # fmt: skip
                    recordings.append(
                        {"b_id": d.call_id,
                         "b_path": f"{RECORDINGS}/{week:%Y/%m}/demo-{d.call_id}.wav"}
                    )  # fmt: skip
                    if week == last or rng.random() > EVALUATED_SHARE:
                        continue
                    lead = lead_of[agent_id] or managers[0]
                    when = drawn_at + timedelta(days=rng.randint(0, 4), hours=rng.randint(1, 8))
                    said = _answers(rng, items, reflects=agent_id != never_reflects)
                    _evaluate(evaluations, answers, next_ids[Evaluation], d.call_id, agent_id,
                              lead, when, items, said, form_id, rng, calibration=False,
                              never_reflects=agent_id == never_reflects, managers=managers,
                              last=last)  # fmt: skip
                    if rng.random() < CALIBRATED_SHARE:
                        other = rng.choice([x for x in leads if x != lead] or managers)
                        flip = 0.45 if lead_of[agent_id] == poor_team else 0.05
                        again = [
                            _flip(rng, item, a, flip) for item, a in zip(items, said, strict=True)
                        ]
                        _evaluate(evaluations, answers, next_ids[Evaluation], d.call_id,
                                  agent_id, other, when + timedelta(hours=2), items, again,
                                  form_id, rng, calibration=True, never_reflects=False,
                                  managers=managers, last=last)  # fmt: skip
    writer.rows(MonitoringSample, samples)
    writer.rows(Evaluation, evaluations)
    writer.rows(EvaluationAnswer, answers)
    _write_recordings(connection, recordings)
    writer.rows(Setting, [{"key": "recording_folder", "value": json.dumps(RECORDINGS)}])
    return {"samples": len(samples), "evaluations": len(evaluations)}


def _settings(world: World):  # type: ignore[no-untyped-def]
    from svcdesk_tui.core.settings import CenterSettings

    return CenterSettings(timezone=str(world.tz))


def _write_form(writer: BulkWriter, world: World) -> tuple[int, list[FormItem]]:
    name, rows = parse_form(DEFAULT_FORM_CSV)
    form_id = writer.next_id(MonitoringForm)
    first_item = writer.next_id(MonitoringItem)
    created = world.end - timedelta(days=world.days)
    writer.rows(
        MonitoringForm, [{"id": form_id, "name": name, "version": 1, "created_at": created}]
    )
    items = [
        {"id": first_item + n, "form_id": form_id, "position": n, **row}
        for n, row in enumerate(rows)
    ]
    writer.rows(MonitoringItem, items)
    return form_id, [
        FormItem(i["id"], i["section"], i["code"], i["text"], i["kind"], i["weight"],
                 i["critical"], i["scale_max"])
        for i in items
    ]  # fmt: skip


def _answers(rng: random.Random, items: Sequence[FormItem], *, reflects: bool) -> list[str]:
    said = []
    for item in items:
        if item.code == "reflected" and not reflects:
            said.append("no")
        elif item.kind == "scale":
            said.append(str(rng.choice((4, 5, 5, 5, 5, 5, 5, 5))))
        elif item.critical:
            said.append("no" if rng.random() < 0.03 else "yes")
        elif item.code in ("thanked", "compensation") and rng.random() < 0.4:
            said.append("n/a")
        else:
            roll = rng.random()
            partly = item.kind == "yes_no_partly" and roll < 0.1
            said.append("partly" if partly else ("no" if roll > 0.95 else "yes"))
    return said


def _flip(rng: random.Random, item: FormItem, answer: str, chance: float) -> str:
    """A second evaluator's answer: the first one's, or with ``chance`` another (a critical
    item only where evaluators disagree a lot)."""
    if rng.random() >= chance or (item.critical and chance < 0.2):
        return answer
    if item.kind == "scale":
        return str(max(0, int(answer) - 2)) if answer != "n/a" else answer
    if item.critical:
        return "no" if answer == "yes" else "yes"
    return {"yes": "no", "no": "yes", "partly": "no", "n/a": "n/a"}[answer]


def _evaluate(
    evaluations: list[dict[str, Any]],
    answers: list[dict[str, Any]],
    first_id: int,
    call_id: int,
    agent_id: int,
    evaluator: int,
    when: datetime,
    items: Sequence[FormItem],
    said: Sequence[str],
    form_id: int,
    rng: random.Random,
    *,
    calibration: bool,
    never_reflects: bool,
    managers: list[int],
    last: Any,
) -> None:
    read = [read_answer(item.spec, text) for item, text in zip(items, said, strict=True)]
    result = score((item.spec, earned) for item, (_, earned) in zip(items, read, strict=True))
    evaluation_id = first_id + len(evaluations)
    recent = when.date() >= last
    state, dispute = EvaluationState.ACCEPTED, {}
    if calibration or recent:
        state = EvaluationState.DONE
    elif result.critical_failed and rng.random() < 0.5:
        upheld = rng.random() < 0.6
        state = EvaluationState.UPHELD if upheld else EvaluationState.OVERTURNED
        dispute = {
            "dispute_reason": "The customer said it was fine at the end of the call.",
            "dispute_owner_id": managers[0],
            "dispute_note": "Listened again: the score stands." if upheld else "Agreed: voided.",
            "dispute_closed_at": when + timedelta(days=2),
        }
    coaching = NEVER_REFLECTS if never_reflects else rng.choice(COACHING)
    evaluations.append(
        {"id": evaluation_id, "call_id": call_id, "agent_id": agent_id, "evaluator_id": evaluator,
         "form_id": form_id, "calibration": calibration, "score": result.score,
         "raw_score": result.raw_score, "critical_failed": result.critical_failed,
         "comment": rng.choice(COMMENTS), "coaching": coaching, "state": state,
         "evaluated_at": when.astimezone(UTC),
         "answered_at": None if state == EvaluationState.DONE else when + timedelta(days=1),
         "dispute_reason": None, "dispute_owner_id": None, "dispute_note": None,
         "dispute_closed_at": None, **dispute}
    )  # fmt: skip
    answers.extend(
        {"evaluation_id": evaluation_id, "item_id": item.item_id, "answer": a, "earned": e}
        for item, (a, e) in zip(items, read, strict=True)
    )


def _write_recordings(connection: Any, recordings: list[dict[str, Any]]) -> None:
    if recordings:
        from sqlalchemy import bindparam

        connection.execute(
            update(Call)
            .where(col(Call.id) == bindparam("b_id"))
            .values(recording_path=bindparam("b_path")),
            recordings,
        )

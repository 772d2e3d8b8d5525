"""Evaluating a call, the agent's word on it, disputes and calibration.

Leads, managers and admins evaluate; agents may not, and nobody evaluates a call
they took. A second evaluation of a call already evaluated is a calibration: it
is kept apart from the agent's score and shows how far evaluators disagree. The
agent accepts or disputes an evaluation of their own; a dispute goes to the
manager with the fewest open disputes, who upholds or overturns it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from svcdesk_tui.core import audit
from svcdesk_tui.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, stripped
from svcdesk_tui.core.rows import existing
from svcdesk_tui.models import (
    Call,
    CallState,
    Evaluation,
    EvaluationAnswer,
    EvaluationState,
    Role,
    Staff,
)
from svcdesk_tui.monitoring.forms import Form, require_form
from svcdesk_tui.monitoring.scoring import read_answer, score
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, ActionRefused, require

COUNTED: tuple[str, ...] = (EvaluationState.DONE, EvaluationState.ACCEPTED)
COUNTED += (EvaluationState.DISPUTED, EvaluationState.UPHELD)
"""States whose evaluations count in the measures (an overturned one counts nowhere)."""


def evaluate(
    session: Session,
    actor: Actor,
    call_id: int,
    answers: Mapping[str, str],
    *,
    now: datetime,
    comment: str = "",
    coaching: str = "",
    form: Form | None = None,
) -> Evaluation:
    """Score ``call_id`` with ``form`` (default: the newest form); every item needs an answer."""
    require(actor, Action.EVALUATE_CALLS)
    call = existing(session, Call, call_id, f"no call #{call_id}")
    if call.agent_id is None or call.state != CallState.COMPLETED:
        raise Conflict(f"call #{call_id} was not handled by an agent: there is nothing to evaluate")
    if call.agent_id == actor.id:
        raise ActionRefused(
            actor, Action.EVALUATE_CALLS, f"{actor.login} may not evaluate their own call"
        )
    form = form or require_form(session)
    codes = {item.code for item in form.items}
    unknown = sorted(set(answers) - codes)
    if unknown:
        raise InvalidInput(f"{form.label} has no item {', '.join(unknown)}")
    missing = [item.code for item in form.items if not str(answers.get(item.code, "")).strip()]
    if missing:
        raise InvalidInput(f"answer every item of {form.label}; missing: {', '.join(missing)}")
    read = [(item, *read_answer(item.spec, answers[item.code])) for item in form.items]
    result = score((item.spec, earned) for item, _, earned in read)
    before = session.exec(select(Evaluation).where(Evaluation.call_id == call_id)).all()
    mine = next((e for e in before if e.evaluator_id == actor.id), None)
    if mine is not None:
        why = " (overturned on dispute)" if mine.state == EvaluationState.OVERTURNED else ""
        raise Conflict(f"you have already evaluated call #{call_id}{why}")
    earlier = [e for e in before if e.state in COUNTED]
    evaluation = Evaluation(
        call_id=call_id,
        agent_id=call.agent_id,
        evaluator_id=actor.id,
        form_id=form.form_id,
        calibration=bool(earlier),
        score=result.score,
        raw_score=result.raw_score,
        critical_failed=result.critical_failed,
        comment=comment.strip(),
        coaching=coaching.strip(),
        evaluated_at=now,
    )
    audit.added(
        session, actor, evaluation, "monitoring.evaluate", at=now,
        after={"call_id": call_id, "form": form.label, "score": round(result.score, 4),
               "critical_failed": result.critical_failed, "calibration": evaluation.calibration},
    )  # fmt: skip
    assert evaluation.id is not None
    for item, answer, earned in read:
        session.add(
            EvaluationAnswer(
                evaluation_id=evaluation.id, item_id=item.item_id, answer=answer, earned=earned
            )
        )
    return evaluation


def _own(session: Session, actor: Actor, evaluation_id: int) -> Evaluation:
    evaluation = existing(session, Evaluation, evaluation_id, f"no evaluation #{evaluation_id}")
    if evaluation.agent_id != actor.id:
        raise PermissionDenied(f"evaluation #{evaluation_id} is not of your call")
    if evaluation.calibration:
        raise Conflict(f"evaluation #{evaluation_id} is a calibration: it is not yours to answer")
    if evaluation.state != EvaluationState.DONE:
        raise Conflict(f"evaluation #{evaluation_id} is already {evaluation.state}")
    return evaluation


def accept(session: Session, actor: Actor, evaluation_id: int, *, now: datetime) -> Evaluation:
    """The agent accepts an evaluation of their own call."""
    evaluation = _own(session, actor, evaluation_id)
    evaluation.state, evaluation.answered_at = EvaluationState.ACCEPTED, now
    audit.record(
        session, actor, "monitoring.accept", "evaluation", evaluation_id, at=now,
        before={"state": EvaluationState.DONE}, after={"state": evaluation.state},
    )  # fmt: skip
    return evaluation


def _manager_for_dispute(session: Session, evaluator_id: int) -> int:
    open_disputes = (
        select(func.count())
        .select_from(Evaluation)
        .where(
            col(Evaluation.dispute_owner_id) == Staff.id,
            col(Evaluation.state) == EvaluationState.DISPUTED,
        )
        .scalar_subquery()
    )
    managers = session.execute(
        select(col(Staff.id))
        .where(col(Staff.role) == Role.MANAGER, col(Staff.left_on).is_(None))
        .order_by(col(Staff.id) == evaluator_id, open_disputes, col(Staff.id))
    ).scalars()
    found = next(iter(managers), None)
    if found is None:
        raise Conflict("the center has no manager to take a dispute")
    return int(found)


def dispute(
    session: Session, actor: Actor, evaluation_id: int, reason: str, *, now: datetime
) -> Evaluation:
    """The agent disputes an evaluation of their own call; it goes to a manager."""
    evaluation = _own(session, actor, evaluation_id)
    evaluation.dispute_reason = stripped(reason, "say why you dispute the evaluation")
    evaluation.state, evaluation.answered_at = EvaluationState.DISPUTED, now
    evaluation.dispute_owner_id = _manager_for_dispute(session, evaluation.evaluator_id)
    audit.record(
        session, actor, "monitoring.dispute", "evaluation", evaluation_id, at=now,
        before={"state": EvaluationState.DONE},
        after={"state": evaluation.state, "manager_id": evaluation.dispute_owner_id,
               "reason": evaluation.dispute_reason},
    )  # fmt: skip
    return evaluation


def settle(
    session: Session,
    actor: Actor,
    evaluation_id: int,
    *,
    uphold: bool,
    note: str,
    now: datetime,
) -> Evaluation:
    """A manager settles a dispute: the score stands (upheld) or counts nowhere (overturned)."""
    require(actor, Action.SETTLE_DISPUTES)
    evaluation = existing(session, Evaluation, evaluation_id, f"no evaluation #{evaluation_id}")
    if evaluation.state != EvaluationState.DISPUTED:
        raise Conflict(f"evaluation #{evaluation_id} is not disputed (it is {evaluation.state})")
    if actor.id in (evaluation.evaluator_id, evaluation.agent_id):
        why = f"{actor.login} may not settle a dispute about their own work"
        raise ActionRefused(actor, Action.SETTLE_DISPUTES, why)
    evaluation.dispute_note = stripped(note, "say why the score stands or falls")
    evaluation.state = EvaluationState.UPHELD if uphold else EvaluationState.OVERTURNED
    evaluation.dispute_closed_at = now
    evaluation.dispute_owner_id = actor.id
    audit.record(
        session, actor, "monitoring.settle", "evaluation", evaluation_id, at=now,
        before={"state": EvaluationState.DISPUTED},
        after={"state": evaluation.state, "note": evaluation.dispute_note},
    )  # fmt: skip
    return evaluation


def answers_of(session: Session, evaluation_id: int) -> dict[int, str]:
    """Each item's stored answer, by item id."""
    if session.get(Evaluation, evaluation_id) is None:
        raise NotFound(f"no evaluation #{evaluation_id}")
    rows = session.exec(
        select(EvaluationAnswer).where(EvaluationAnswer.evaluation_id == evaluation_id)
    ).all()
    return {row.item_id: row.answer for row in rows}

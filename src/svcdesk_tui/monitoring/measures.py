"""The quality measures of monitoring, each one SQL aggregate (docs/measures.md):
quality score and critical-fail rate per agent, team and center; the items most
often missed; calibration spread.

An evaluation belongs to the period in which it was made. Calibration
evaluations (a second look at a call) and overturned ones count in no score;
calibrations count only in the spread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from svcdesk_tui.core import rates
from svcdesk_tui.core.periods import Period
from svcdesk_tui.core.sql import count
from svcdesk_tui.models import Evaluation, EvaluationAnswer, MonitoringItem, Staff
from svcdesk_tui.monitoring.evaluations import COUNTED


@dataclass(frozen=True)
class Quality:
    """Counted evaluations of one agent, team or the center."""

    key: int | None
    name: str
    evaluations: int
    score_sum: float
    critical_fails: int

    @property
    def score(self) -> float | None:
        return rates.share(self.score_sum, self.evaluations)

    @property
    def critical_fail_rate(self) -> float | None:
        return rates.share(self.critical_fails, self.evaluations)


def _counted(period: Period):  # type: ignore[no-untyped-def]
    return (
        col(Evaluation.evaluated_at) >= period.since,
        col(Evaluation.evaluated_at) < period.until,
        col(Evaluation.state).in_(COUNTED),
        ~col(Evaluation.calibration),
    )


def evaluated_calls(period: Period) -> Select[Any]:
    """The calls whose counted evaluation was made in the period."""
    return select(col(Evaluation.call_id)).where(*_counted(period))


def _quality(session: Session, period: Period, *, by_team: bool) -> list[Quality]:
    """Counted evaluations grouped by the agent, or by the agent's lead."""
    agent, lead = aliased(Staff), aliased(Staff)
    group = lead if by_team else agent
    query = (
        select(
            col(group.id),
            col(group.name),
            func.count(),
            func.sum(Evaluation.score),
            count(col(Evaluation.critical_failed).is_(True)),
        )
        .join(agent, col(agent.id) == Evaluation.agent_id)
        .where(*_counted(period))
        .group_by(col(group.id), col(group.name))
        .order_by(col(group.name))
    )
    if by_team:
        query = query.outerjoin(lead, col(lead.id) == agent.team_lead_id)
    rows = session.execute(query).all()
    return [Quality(i, n or "(no lead)", e, float(s or 0), int(c)) for i, n, e, s, c in rows]


def quality_by_agent(session: Session, period: Period) -> list[Quality]:
    """Per agent evaluated in the period, by name."""
    return _quality(session, period, by_team=False)


def quality_by_team(session: Session, period: Period) -> list[Quality]:
    """Per team (the agents of one lead), by the lead's name; agents without a lead apart."""
    return _quality(session, period, by_team=True)


def center_quality(teams: list[Quality]) -> Quality:
    return Quality(
        None,
        "Center",
        sum(t.evaluations for t in teams),
        sum(t.score_sum for t in teams),
        sum(t.critical_fails for t in teams),
    )


@dataclass(frozen=True)
class MissedItem:
    code: str
    text: str
    answered: int
    missed: int

    @property
    def missed_share(self) -> float | None:
        return rates.share(self.missed, self.answered)


def missed_by_agent(session: Session, period: Period) -> dict[int, list[MissedItem]]:
    """Per agent, each item they did not fully meet at least once (one pass)."""
    missed = count(col(EvaluationAnswer.earned) < 1.0)
    answered = func.count(col(EvaluationAnswer.earned))
    rows = session.execute(
        select(
            col(Evaluation.agent_id),
            col(MonitoringItem.code),
            func.max(MonitoringItem.text),
            answered,
            missed,
        )
        .join(MonitoringItem, col(MonitoringItem.id) == EvaluationAnswer.item_id)
        .join(Evaluation, col(Evaluation.id) == EvaluationAnswer.evaluation_id)
        .where(*_counted(period))
        .group_by(col(Evaluation.agent_id), col(MonitoringItem.code))
        .order_by(col(Evaluation.agent_id), col(MonitoringItem.code))
    ).all()
    found: dict[int, list[MissedItem]] = {}
    for agent_id, code, text, a, m in rows:
        found.setdefault(agent_id, []).append(MissedItem(code, text, a, m))
    return found


def most_missed(per_agent: dict[int, list[MissedItem]], limit: int = 10) -> list[MissedItem]:
    """Items not fully met at least once, most often first (what to train next); across
    form versions."""
    totals: dict[str, MissedItem] = {}
    for items in per_agent.values():
        for item in items:
            had = totals.get(item.code)
            totals[item.code] = item if had is None else MissedItem(
                item.code, had.text, had.answered + item.answered, had.missed + item.missed
            )  # fmt: skip
    shown = [item for item in totals.values() if item.missed and item.answered]
    shown.sort(key=lambda item: (-(item.missed_share or 0), item.code))
    return shown[:limit]


def worst_item(per_agent: dict[int, list[MissedItem]]) -> dict[int, MissedItem]:
    """Each agent's item most often not fully met (ties: the item code first in order)."""
    worst: dict[int, MissedItem] = {}
    for agent_id, items in per_agent.items():
        missed = [item for item in items if item.missed and item.answered]
        if missed:
            worst[agent_id] = max(missed, key=lambda i: i.missed_share or 0)  # first of ties
    return worst


@dataclass(frozen=True)
class Calibration:
    """Calls scored by more than one evaluator, for one team (or the center)."""

    name: str
    calls: int
    spread_sum: float
    widest: float | None

    @property
    def spread(self) -> float | None:
        """docs/measures.md, Calibration spread: mean of (highest − lowest score) per call."""
        return rates.share(self.spread_sum, self.calls)


def calibration_by_team(session: Session, period: Period) -> list[Calibration]:
    """Per team of the evaluated agent: calls with a second evaluator's look in the period,
    and how far apart the scores of all who scored them were."""
    looked_again = select(col(Evaluation.call_id)).where(
        col(Evaluation.evaluated_at) >= period.since,
        col(Evaluation.evaluated_at) < period.until,
        col(Evaluation.calibration),
        col(Evaluation.state).in_(COUNTED),
    )
    per_call = (
        select(
            col(Evaluation.call_id).label("call_id"),
            func.min(Evaluation.agent_id).label("agent_id"),
            (func.max(Evaluation.score) - func.min(Evaluation.score)).label("spread"),
        )
        .where(col(Evaluation.state).in_(COUNTED), col(Evaluation.call_id).in_(looked_again))
        .group_by(col(Evaluation.call_id))
        .having(func.count() > 1)
        .subquery()
    )
    agent, lead = aliased(Staff), aliased(Staff)
    rows = session.execute(
        select(
            col(lead.name),
            func.count(),
            func.sum(per_call.c.spread),
            func.max(per_call.c.spread),
        )
        .select_from(per_call)
        .join(agent, col(agent.id) == per_call.c.agent_id)
        .outerjoin(lead, col(lead.id) == agent.team_lead_id)
        .group_by(col(lead.name))
        .order_by(col(lead.name))
    ).all()
    return [Calibration(n or "(no lead)", c, float(s or 0), w) for n, c, s, w in rows]


def center_calibration(teams: list[Calibration]) -> Calibration:
    widest = [t.widest for t in teams if t.widest is not None]
    return Calibration(
        "Center",
        sum(t.calls for t in teams),
        sum(t.spread_sum for t in teams),
        max(widest) if widest else None,
    )

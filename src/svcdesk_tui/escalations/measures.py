"""The hardest-call measures, defined once and computed in SQL (screen and report share them).

Conventions:

- An escalation belongs to the period in which it was first raised; its outcome is
  its state now (a reopened one counts as unresolved until it is resolved again).
- "Resolved at a level" means resolved while standing on that rung.
- Escalations per 1,000 calls uses the calls *answered* in the period (a call
  nobody answered cannot be escalated).
- Hardest-call index = resolved at the manager level ÷ reached the manager level
  (the manager rung or above, executive included).
- Time to resolution = from first raising to the (final) resolution; median.
- Per manager: an escalation that reached the manager is credited to the last
  person who accepted it on the manager rung; those nobody accepted there
  form their own row ("nobody accepted it at manager level").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement, func, literal_column, or_, select
from sqlmodel import Session, col

from svcdesk_tui.core.periods import Period
from svcdesk_tui.core.sqltime import epoch, within
from svcdesk_tui.escalations.ladder import EventKind, Ladder, ladder
from svcdesk_tui.models import Escalation, EscalationEvent, EscalationState, Role, Staff
from svcdesk_tui.queue.measures import queue_kpis

NOBODY = "nobody accepted it at manager level"


@dataclass(frozen=True)
class LevelCount:
    rank: int
    name: str
    is_executive: bool
    resolved: int


@dataclass(frozen=True)
class EscalationMeasures:
    """The measures for one cut: the whole center (``manager_id`` None) or one manager."""

    label: str
    manager_id: int | None
    calls: int | None  # answered calls in the period; None for a per-manager cut
    escalations: int
    resolved_by_level: tuple[LevelCount, ...]
    reached_manager: int
    resolved_at_manager: int
    reached_executive: int
    median_resolution_seconds: float | None

    @property
    def resolved(self) -> int:
        return sum(level.resolved for level in self.resolved_by_level)

    @property
    def per_1000_calls(self) -> float | None:
        return self.escalations * 1000 / self.calls if self.calls else None

    @property
    def hardest_call_index(self) -> float | None:
        """Resolved at the manager level ÷ reached the manager level."""
        return self.resolved_at_manager / self.reached_manager if self.reached_manager else None

    def share_resolved_at(self, rank: int) -> float | None:
        """Resolved at that rung ÷ all escalations of the cut."""
        if not self.escalations:
            return None
        count = next((lvl.resolved for lvl in self.resolved_by_level if lvl.rank == rank), 0)
        return count / self.escalations


def _in(period: Period) -> ColumnElement[bool]:
    return within(Escalation.raised_at, period)


def _ranks(rungs: Ladder) -> tuple[int, int]:
    """(manager rank, executive rank); a ladder without them never reaches them."""
    manager = rungs.first_with_role(Role.MANAGER)
    executive = rungs.first_with_role(Role.EXECUTIVE)
    return (manager.rank if manager else 10**6, executive.rank if executive else 10**6)


def escalation_measures(
    session: Session, period: Period, answered: int | None = None
) -> EscalationMeasures:
    """The whole center's measures over ``period``.

    ``answered``: the period's answered calls when the caller already has the queue
    measures; otherwise they are read from :func:`.metrics.queue_kpis`.
    """
    if answered is None:
        answered = queue_kpis(session, period)[-1].answered
    rows = _measures(session, period, None, None)
    if not rows:
        return _shape(ladder(session), "Whole center", None, answered, {}, None)
    return replace(rows[0], calls=answered)


def measures_by_manager(session: Session, period: Period) -> list[EscalationMeasures]:
    """One row per manager credited with escalations that reached them, plus 'nobody'."""
    rungs = ladder(session)
    manager_rank, _ = _ranks(rungs)
    credited = (
        select(col(EscalationEvent.actor_id))
        .where(
            col(EscalationEvent.escalation_id) == Escalation.id,
            col(EscalationEvent.kind) == EventKind.ACCEPTED,
            col(EscalationEvent.to_rank) == manager_rank,
        )
        .order_by(col(EscalationEvent.id).desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = _measures(
        session, period, func.coalesce(credited, 0), col(Escalation.level_rank) >= manager_rank
    )
    return sorted(rows, key=lambda row: (row.manager_id is None, row.label))


def _measures(
    session: Session,
    period: Period,
    key: ColumnElement[int] | None,
    extra: ColumnElement[bool] | None,
) -> list[EscalationMeasures]:
    """Counts by (key, rung, state) and medians by key; no key means the whole center."""
    rungs = ladder(session)
    where = [_in(period)] if extra is None else [_in(period), extra]
    keys = [] if key is None else [key]
    counts: dict[int, dict[tuple[int, str], int]] = defaultdict(dict)
    for *k, rank, state, n in session.execute(
        select(*keys, col(Escalation.level_rank), col(Escalation.state), func.count())
        .where(*where)
        .group_by(*keys, col(Escalation.level_rank), col(Escalation.state))
    ):
        counts[k[0] if k else 0][(rank, state)] = n
    medians = _medians(session, key, where)
    names = {
        staff_id: name
        for staff_id, name in session.execute(
            select(col(Staff.id), col(Staff.name)).where(col(Staff.id).in_(list(counts)))
        )
    }
    return [
        _shape(
            rungs,
            "Whole center" if extra is None else names.get(k, NOBODY),
            k or None,
            None,
            by_rank_state,
            medians.get(k),
        )
        for k, by_rank_state in counts.items()
    ]


def _medians(
    session: Session, key: ColumnElement[int] | None, where: list[ColumnElement[bool]]
) -> dict[int, float]:
    """Median seconds from raising to resolution per key (window functions, no median())."""
    took = epoch(col(Escalation.resolved_at)) - epoch(col(Escalation.raised_at))
    group = literal_column("0") if key is None else key
    ranked = (
        select(
            group.label("k"),
            took.label("took"),
            func.row_number().over(partition_by=key, order_by=took).label("rn"),
            func.count().over(partition_by=key).label("n"),
        )
        .where(*where, col(Escalation.state) == EscalationState.RESOLVED)
        .subquery()
    )
    middle = or_(ranked.c.rn == (ranked.c.n + 1) // 2, ranked.c.rn == (ranked.c.n + 2) // 2)
    return {
        k: float(value)
        for k, value in session.execute(
            select(ranked.c.k, func.avg(ranked.c.took)).where(middle).group_by(ranked.c.k)
        )
    }


def _shape(
    rungs: Ladder,
    label: str,
    manager_id: int | None,
    calls: int | None,
    by_rank_state: dict[tuple[int, str], int],
    median: float | None,
) -> EscalationMeasures:
    manager_rank, executive_rank = _ranks(rungs)
    resolved = EscalationState.RESOLVED

    def total(condition: Callable[..., bool]) -> int:
        return sum(n for (rank, state), n in by_rank_state.items() if condition(rank, state))

    return EscalationMeasures(
        label=label,
        manager_id=manager_id,
        calls=calls,
        escalations=total(lambda rank, state: True),
        resolved_by_level=tuple(
            LevelCount(
                level.rank,
                level.name,
                level.is_executive,
                total(lambda rank, state, at=level.rank: rank == at and state == resolved),
            )
            for level in rungs.levels
        ),
        reached_manager=total(lambda rank, state: rank >= manager_rank),
        resolved_at_manager=total(
            lambda rank, state: manager_rank <= rank < executive_rank and state == resolved
        ),
        reached_executive=total(lambda rank, state: rank >= executive_rank),
        median_resolution_seconds=median,
    )

"""The wallboard's figures, taken from the Queue screen's own snapshot (the same measures).

Only numbers and queue names: no customer, caller or agent name ever reaches the board.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session

from svcdesk_tui.core.formatting import percent
from svcdesk_tui.escalations.standing import StandingEscalation, standing_high
from svcdesk_tui.models import AgentStateKind
from svcdesk_tui.queue.live import QueueReader, QueueSnapshot


class Status(StrEnum):
    """A queue's light: said in words too, for a monochrome screen."""

    OK = "OK"  # green: on target, nobody waits past the queue's threshold
    AT_RISK = "AT RISK"  # amber: on target, but a caller already waits past the threshold
    BREACH = "BREACH"  # red: service level today below the queue's target


@dataclass(frozen=True)
class QueueFigures:
    name: str
    waiting: int
    longest_wait_seconds: int
    service_level: float | None
    sl_target: float | None
    sl_threshold_seconds: int | None
    answered: int
    abandoned: int
    status: Status

    @property
    def sl_words(self) -> str:
        """The service level against the target, in text: "83% ≥ 80% target"."""
        if self.sl_target is None:
            return percent(self.service_level)
        sign = "<" if self.status is Status.BREACH else "≥"
        if self.service_level is None:
            return f"— (target {percent(self.sl_target)})"
        return f"{percent(self.service_level)} {sign} {percent(self.sl_target)} target"


@dataclass(frozen=True)
class AgentCounts:
    available: int = 0
    on_call: int = 0
    wrap_up: int = 0
    paused: int = 0


@dataclass(frozen=True)
class BoardFigures:
    at: datetime
    queues: tuple[QueueFigures, ...]
    agents: AgentCounts
    escalations: tuple[StandingEscalation, ...]

    @property
    def alerts(self) -> list[str]:
        """One line per breached queue and per escalation at the manager or beyond."""
        lines = [
            f"{q.name}: service level {q.sl_words}"
            for q in self.queues
            if q.status is Status.BREACH
        ]
        for item in self.escalations:
            if item.executive:
                lines.append(f"Escalation #{item.id} reached the EXECUTIVE — a counted failure")
            else:
                lines.append(f"Escalation #{item.id} is with the {item.level}")
        return lines


def board_figures(
    snapshot: QueueSnapshot, escalations: Sequence[StandingEscalation], picked: Sequence[str] = ()
) -> BoardFigures:
    """The board for ``snapshot``: one entry per queue (the picked ones, in their order)."""
    kpis = {kpi.queue_name: kpi for kpi in snapshot.kpis if kpi.queue_id is not None}
    waiting = Counter(call.queue for call in snapshot.waiting)
    queues = []
    for name in picked or list(kpis):
        kpi = kpis.get(name)
        if kpi is None:
            continue  # a queue renamed or removed since the board was opened
        longest = snapshot.longest_wait_by_queue.get(name, 0)
        if kpi.breached:
            status = Status.BREACH
        elif kpi.sl_threshold_seconds is not None and longest > kpi.sl_threshold_seconds:
            status = Status.AT_RISK
        else:
            status = Status.OK
        queues.append(
            QueueFigures(
                name=name,
                waiting=waiting[name],
                longest_wait_seconds=longest,
                service_level=kpi.service_level,
                sl_target=kpi.sl_target,
                sl_threshold_seconds=kpi.sl_threshold_seconds,
                answered=kpi.answered,
                abandoned=kpi.abandoned,
                status=status,
            )
        )
    states = Counter(agent.state for agent in snapshot.agents)
    agents = AgentCounts(
        available=states[AgentStateKind.AVAILABLE],
        on_call=states[AgentStateKind.ON_CALL],
        wrap_up=states[AgentStateKind.WRAP_UP],
        paused=states[AgentStateKind.PAUSED],
    )
    return BoardFigures(snapshot.at, tuple(queues), agents, tuple(escalations))


@dataclass(frozen=True)
class BoardRead:
    """What one read of the store gives the board: the snapshot, kept to age its clocks."""

    snapshot: QueueSnapshot
    escalations: tuple[StandingEscalation, ...]


def read_board(reader: QueueReader, session: Session, *, now: datetime) -> BoardRead:
    """One read: the Queue screen's snapshot and the escalations standing high."""
    return BoardRead(reader.read(session, now=now), tuple(standing_high(session)))

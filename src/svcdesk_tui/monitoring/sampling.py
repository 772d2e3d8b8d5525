"""The weekly sample: per agent, calls drawn for evaluation.

Each week (Monday to Sunday in the center's time zone) every agent who handled
calls gets ``monitoring_calls_per_week`` of them drawn: first one complaint, one
escalation, one repeat call and one long call where the week has them (never
so many that nothing is left to chance), then calls at random. The draw is
seeded by the week and the agent, so drawing a week again adds nothing new.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, exists, insert, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from svcdesk_tui.core import audit
from svcdesk_tui.core.errors import InvalidInput
from svcdesk_tui.core.periods import days_period, local_date
from svcdesk_tui.core.settings import CenterSettings
from svcdesk_tui.core.sqltime import DAY, epoch
from svcdesk_tui.models import Call, CallState, Complaint, Escalation, MonitoringSample
from svcdesk_tui.people.identity import Actor
from svcdesk_tui.people.permissions import Action, require

KINDS = ("complaint", "escalation", "repeat", "long")
RANDOM = "random"


@dataclass(frozen=True)
class Drawn:
    agent_id: int
    call_id: int
    reason: str


def week_of(day: date) -> date:
    """The Monday that starts ``day``'s week."""
    return day - timedelta(days=day.weekday())


def last_week(settings: CenterSettings, *, now: datetime) -> date:
    """The Monday of the last whole week before today."""
    return week_of(local_date(now, settings.timezone)) - timedelta(days=7)


def candidates(
    session: Session, week: date, settings: CenterSettings
) -> dict[int, dict[str, list[int]]]:
    """Per agent, the week's handled calls by kind (a call may be of several kinds)."""
    period = days_period(week, week + timedelta(days=7), settings.timezone)
    earlier = aliased(Call)
    repeat = exists().where(
        col(earlier.customer_id) == Call.customer_id,
        epoch(earlier.entered_at) < epoch(Call.entered_at),
        epoch(earlier.entered_at) >= epoch(Call.entered_at) - settings.fcr_window_days * DAY,
        col(earlier.state) == CallState.COMPLETED,
    )
    long_call = (
        col(Call.talk_seconds) + col(Call.wrap_seconds) >= settings.monitoring_long_call_seconds
    )
    rows = session.execute(
        select(
            col(Call.id),
            col(Call.agent_id),
            and_(col(Call.customer_id).is_not(None), repeat),
            long_call,
        )
        .where(
            col(Call.entered_at) >= period.since,
            col(Call.entered_at) < period.until,
            col(Call.state) == CallState.COMPLETED,
            col(Call.agent_id).is_not(None),
        )
        .order_by(col(Call.id))
    ).all()
    in_week = {row[0] for row in rows}
    cases = {
        "complaint": _case_calls(session, col(Complaint.call_id), in_week),
        "escalation": _case_calls(session, col(Escalation.call_id), in_week),
    }
    found: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for call_id, agent_id, is_repeat, is_long in rows:
        kinds = found[agent_id]
        kinds[RANDOM].append(call_id)
        for kind, flag in (
            ("complaint", call_id in cases["complaint"]),
            ("escalation", call_id in cases["escalation"]),
            ("repeat", is_repeat),
            ("long", is_long),
        ):
            if flag:
                kinds[kind].append(call_id)
    return found


def _case_calls(session: Session, call_column, in_week: set[int]) -> set[int]:  # type: ignore[no-untyped-def]
    ids = session.execute(select(call_column).where(call_column.is_not(None))).scalars()
    return {call_id for call_id in ids if call_id in in_week}


def pick(week: date, agent_id: int, kinds: dict[str, list[int]], wanted: int) -> list[Drawn]:
    """The calls drawn for one agent: one of each kind present, then at random."""
    chance = random.Random(f"{week.isoformat()}:{agent_id}")
    chosen: dict[int, str] = {}
    for kind in KINDS:
        if len(chosen) >= max(1, wanted - 1):
            break
        left = [c for c in kinds.get(kind, []) if c not in chosen]
        if left:
            chosen[chance.choice(left)] = kind
    rest = [c for c in kinds.get(RANDOM, []) if c not in chosen]
    for call_id in chance.sample(rest, min(len(rest), wanted - len(chosen))):
        chosen[call_id] = RANDOM
    return [Drawn(agent_id, call_id, reason) for call_id, reason in chosen.items()]


def draw_week(
    session: Session,
    actor: Actor | None,
    settings: CenterSettings,
    week: date,
    *,
    now: datetime,
) -> list[Drawn]:
    """Draw ``week``'s sample for every agent not yet drawn that week; what was drawn."""
    if actor is not None:
        require(actor, Action.EVALUATE_CALLS)
    if week.weekday() != 0:
        raise InvalidInput(f"a week starts on a Monday; {week} is a {week:%A}")
    if week > local_date(now, settings.timezone):
        raise InvalidInput(f"the week of {week} has not begun")
    done = set(
        session.execute(
            select(col(MonitoringSample.agent_id)).where(col(MonitoringSample.week) == week)
        ).scalars()
    )
    taken = set(
        session.execute(
            select(col(MonitoringSample.call_id)).where(col(MonitoringSample.week) == week)
        ).scalars()
    )
    drawn: list[Drawn] = []
    for agent_id, kinds in sorted(candidates(session, week, settings).items()):
        if agent_id in done:
            continue
        free = {kind: [c for c in ids if c not in taken] for kind, ids in kinds.items()}
        drawn += pick(week, agent_id, free, settings.monitoring_calls_per_week)
    if drawn:  # one executemany: a week of a big center draws hundreds of calls
        session.execute(
            insert(MonitoringSample),
            [{"call_id": d.call_id, "agent_id": d.agent_id, "week": week, "reason": d.reason,
              "drawn_at": now} for d in drawn],
        )  # fmt: skip
    if drawn:
        audit.record(
            session, actor, "monitoring.sample", "monitoring_sample", week.isoformat(), at=now,
            after={"week": week.isoformat(), "calls": len(drawn),
                   "agents": len({d.agent_id for d in drawn})},
        )  # fmt: skip
    return drawn

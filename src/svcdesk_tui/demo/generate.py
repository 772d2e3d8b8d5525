"""``generate_demo``: a whole, realistic center in a new file, the same every time."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlmodel import col

from svcdesk_tui.core import intervals
from svcdesk_tui.core.center_setup import seed_defaults
from svcdesk_tui.core.db import Database
from svcdesk_tui.core.db_server import shown
from svcdesk_tui.core.errors import InvalidInput
from svcdesk_tui.core.periods import zone
from svcdesk_tui.core.settings import save_setting
from svcdesk_tui.demo.calls import CallHistory
from svcdesk_tui.demo.cases import write_compensations, write_escalations, write_feedback
from svcdesk_tui.demo.complaints import write_complaints
from svcdesk_tui.demo.field_service import write_field_service
from svcdesk_tui.demo.monitoring import write_monitoring
from svcdesk_tui.demo.names import CENTER_NAME
from svcdesk_tui.demo.people import build_people, write_people
from svcdesk_tui.demo.presence import PresenceBook, write_shifts
from svcdesk_tui.demo.reference import (
    write_agreements,
    write_customers,
    write_products,
    write_queues,
)
from svcdesk_tui.demo.roster import plan_roster
from svcdesk_tui.demo.seeds import CaseSeeds
from svcdesk_tui.demo.service_tickets import write_service_tickets
from svcdesk_tui.demo.skills import write_skills
from svcdesk_tui.demo.store import BulkWriter, bulk_load, compact
from svcdesk_tui.demo.world import TIMEZONE, World
from svcdesk_tui.models import AuditEntry, ContactReason, ExceptionalDay, SchemaInfo

MIN_AGENTS = 4


@dataclass(frozen=True)
class DemoSummary:
    """What was generated, for the CLI to print and for tests to check."""

    where: str  # the file, or the database URL
    calls: int
    customers: int
    staff: int
    days: int
    seconds_taken: float
    end: datetime
    waiting: int = 0
    complaints: int = 0
    escalations: int = 0
    size_bytes: int = 0
    details: dict[str, Any] = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        return (
            f"demo center written to {shown(self.where)}: "
            f"{self.calls:,} calls over {self.days} days "
            f"up to {self.end:%Y-%m-%d %H:%M} UTC, {self.customers:,} customers, "
            f"{self.staff} staff, {self.waiting} waiting now "
            f"({self.size_bytes / 1e6:.1f} MB in {self.seconds_taken:.1f} s)"
        )


def generate_demo(
    target: str | os.PathLike[str],
    *,
    days: int = 90,
    agents: int = 24,
    seed: int = 7,
    end: datetime | None = None,
    waiting: int | None = None,
    timezone: str = TIMEZONE,
    progress: Callable[[str], None] | None = None,
) -> DemoSummary:
    """Create a demo center in ``target`` (a new file, or an empty database's URL).

    ``end`` is the demo's "now" (aware; default: the current minute). The same
    arguments always give the same content. ``waiting`` callers are on hold at
    ``end`` (default: a handful when the center is open). ``timezone`` is the
    center's (its opening hours are local). Raises :class:`InvalidInput` for
    impossible sizes or an unknown zone; the store refuses an existing file.
    """
    _check(days, agents, waiting)
    tz = zone(timezone)
    started = time.perf_counter()
    end = _demo_now(end)
    say = progress or (lambda _message: None)
    db = Database.create(target, demo=True, center_name=CENTER_NAME)
    try:
        with db.write() as session:
            seed_defaults(session)
            save_setting(session, "timezone", timezone)
        with db.read() as session:
            reasons = session.execute(select(col(ContactReason.code), col(ContactReason.id))).all()
        world = World(end=end, days=days, agents=agents, seed=seed, tz=tz)
        world.reason_ids = {code: rid for code, rid in reasons}
        counts = _fill(db, world, waiting, say)
        say("analyzing and compacting the file")
        compact(db)
    except BaseException:
        db.destroy()  # a half-made demo is worse than none: the retry starts clean
        raise
    size_bytes = db.size_bytes()
    db.close()
    return DemoSummary(
        where=db.where,
        calls=counts["call"],
        customers=counts["customer"],
        staff=counts["staff"],
        days=days,
        seconds_taken=round(time.perf_counter() - started, 2),
        end=end,
        waiting=counts["waiting"],
        complaints=counts["complaint"],
        escalations=counts["escalation"],
        size_bytes=size_bytes,
        details=counts,
    )


def _check(days: int, agents: int, waiting: int | None) -> None:
    if days < 1:
        raise InvalidInput(f"--days must be at least 1 (got {days})")
    if agents < MIN_AGENTS:
        raise InvalidInput(
            f"--agents must be at least {MIN_AGENTS} for a center with shifts (got {agents})"
        )
    if waiting is not None and waiting < 0:
        raise InvalidInput(f"--waiting cannot be negative (got {waiting})")


def _demo_now(end: datetime | None) -> datetime:
    """The demo's "now" in UTC, whole seconds; naive means UTC."""
    if end is None:
        return datetime.now(UTC).replace(second=0, microsecond=0)
    if end.tzinfo is None:
        end = end.replace(tzinfo=UTC)
    return end.astimezone(UTC).replace(microsecond=0)


def _fill(
    db: Database, world: World, waiting: int | None, say: Callable[[str], None]
) -> dict[str, Any]:
    """Everything in one bulk transaction: reference data, people, calls, then cases."""
    with bulk_load(db) as writer:
        say("reference data, customers and staff")
        write_queues(writer, world)
        write_products(writer, world)
        write_agreements(writer)
        book = write_customers(writer, world)
        people = build_people(world)
        write_people(writer, people, world)
        skills = write_skills(writer, world, people)
        plan = plan_roster(world, people)
        write_shifts(writer, plan)
        seeds = CaseSeeds()
        presence = PresenceBook(world)
        history = CallHistory(world, book, writer, seeds, presence)
        history.run(plan, say)
        history.ensure_complaints()
        writer.rows(
            ExceptionalDay,
            [{"day": d, "kind": "outage", "note": "a product failed"} for d in history.outage_days],
        )
        on_hold = history.add_waiting(waiting)
        presence.write(writer)
        board = presence.write_board(writer, history.today_recs, history.today_slots)
        say("complaints, escalations, feedback and compensation")
        complaint_states, first_closed = write_complaints(
            writer, world, people, book, seeds.complaints
        )
        escalations = write_escalations(writer, world, people, book, seeds.escalations)
        feedback = write_feedback(writer, world, people, book, seeds.feedback)
        compensations = write_compensations(
            writer, world, people, book, seeds.compensations, first_closed
        )
        say("technicians, service tickets, visits and leads")
        field_service = write_service_tickets(
            writer, world, write_field_service(writer, world, people)
        )
        say("quality monitoring: form, samples, evaluations")
        monitoring = write_monitoring(writer, world)  # its own random stream, written last
        _stamp(writer, world, on_hold)
        say("interval statistics")
        intervals.rebuild(writer.connection)
        counts: dict[str, Any] = dict(writer.counts)
    counts.update(
        waiting=on_hold,
        board=board,
        complaint_states=complaint_states,
        escalation_summary=escalations,
        feedback_summary=feedback,
        compensation_states=compensations,
        **skills,
        **field_service,
        monitoring=monitoring,
    )
    for table in ("call", "customer", "staff", "complaint", "escalation"):
        counts.setdefault(table, 0)
    return counts


def _stamp(writer: BulkWriter, world: World, waiting: int) -> None:
    """The demo was "created" at its own now; one audit row says how it was made."""
    writer.connection.execute(update(SchemaInfo).values(created_at=world.end))
    parameters = {
        "days": world.days,
        "agents": world.agents,
        "seed": world.seed,
        "end": world.end.isoformat(),
        "waiting": waiting,
    }
    writer.rows(
        AuditEntry,
        [
            {
                "at": world.end,
                "actor_id": None,
                "actor_login": "system",
                "action": "demo.generate",
                "entity": "center",
                "entity_id": None,
                "before": None,
                "after": json.dumps(parameters, sort_keys=True),
            }
        ],
    )

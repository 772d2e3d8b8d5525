"""A hand-built center for tests: every figure it yields can be worked out by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlmodel import select

from svcdesk_tui.core.center_setup import seed_defaults
from svcdesk_tui.core.clock import FrozenClock
from svcdesk_tui.core.db import Database
from svcdesk_tui.core.settings import save_setting
from svcdesk_tui.models import (
    Agreement,
    Call,
    CallState,
    ContactReason,
    Customer,
    Queue,
    Shift,
    Staff,
)
from svcdesk_tui.people.identity import Actor


@dataclass
class Center:
    db: Database
    clock: FrozenClock
    actors: dict[str, Actor] = field(default_factory=dict)

    @classmethod
    def create(
        cls, path: str | Path, clock: FrozenClock, *, demo: bool = False, timezone: str = "UTC"
    ) -> Center:
        db = Database.create(path, demo=demo, center_name="Test center")
        with db.write() as session:
            seed_defaults(session)
            save_setting(session, "timezone", timezone)
        return cls(db=db, clock=clock)

    def queue(self, name: str, threshold: int = 20, target: float = 0.8, short: int = 5) -> int:
        with self.db.write() as session:
            queue = Queue(
                name=name,
                sl_threshold_seconds=threshold,
                sl_target=target,
                short_abandon_seconds=short,
            )
            session.add(queue)
            session.flush()
            return queue.id  # type: ignore[return-value]

    def agreement(
        self,
        name: str,
        *,
        answer_seconds: int | None = None,
        fix_hours: float | None = None,
        priority: int = 0,
        response_hours: float | None = None,
        rank: int = 0,
    ) -> int:
        with self.db.write() as session:
            agreement = Agreement(
                name=name,
                answer_seconds=answer_seconds,
                fix_hours=fix_hours,
                queue_priority=priority,
                response_hours=response_hours,
                rank=rank,
            )
            session.add(agreement)
            session.flush()
            return agreement.id  # type: ignore[return-value]

    def customer(
        self,
        name: str,
        *,
        phone: str | None = None,
        agreement: int | None = None,
        special: str | None = None,
        nuisance: bool = False,
        note: str | None = None,
    ) -> int:
        with self.db.write() as session:
            customer = Customer(
                name=name,
                phone=phone,
                agreement_id=agreement,
                special_requests=special,
                nuisance=nuisance,
                nuisance_note=note,
            )
            session.add(customer)
            session.flush()
            return customer.id  # type: ignore[return-value]

    def staff(
        self,
        login: str,
        role: str = "agent",
        *,
        name: str | None = None,
        hired: date = date(2024, 1, 1),
        left: date | None = None,
        limit_cents: int = 0,
    ) -> Actor:
        with self.db.write() as session:
            staff = Staff(
                login=login,
                name=name or login.title(),
                role=role,
                hired_on=hired,
                left_on=left,
                compensation_limit_cents=limit_cents,
            )
            session.add(staff)
            session.flush()
            actor = Actor.of(staff)
        self.actors[login] = actor
        return actor

    def shift(self, actor: Actor, starts: datetime, ends: datetime) -> None:
        with self.db.write() as session:
            session.add(Shift(staff_id=actor.id, starts_at=starts, ends_at=ends))

    def reason_id(self, code: str) -> int:
        with self.db.read() as session:
            return session.exec(select(ContactReason.id).where(ContactReason.code == code)).one()  # type: ignore[return-value]

    def call(
        self,
        queue_id: int,
        *,
        entered: datetime,
        state: str = CallState.COMPLETED,
        wait: int | None = None,
        talk: int | None = None,
        wrap: int | None = None,
        customer: int | None = None,
        agent: Actor | None = None,
        reason: str | None = None,
        priority: int = 0,
    ) -> int:
        """Insert a call as it would look at its end (or while waiting)."""
        answered = state in (CallState.ON_CALL, CallState.WRAP_UP, CallState.COMPLETED)
        answered_at = entered + timedelta(seconds=wait or 0) if answered else None
        talk_end = (
            answered_at + timedelta(seconds=talk or 0) if answered_at and talk is not None else None
        )
        ended = None
        if state == CallState.COMPLETED and talk_end is not None:
            ended = talk_end + timedelta(seconds=wrap or 0)
        elif state == CallState.ABANDONED:
            ended = entered + timedelta(seconds=wait or 0)
        with self.db.write() as session:
            call = Call(
                queue_id=queue_id,
                customer_id=customer,
                state=state,
                priority=priority,
                agent_id=agent.id if agent else None,
                entered_at=entered,
                answered_at=answered_at,
                talk_ended_at=talk_end,
                ended_at=ended,
                wait_seconds=wait if state != CallState.WAITING else None,
                talk_seconds=talk,
                wrap_seconds=wrap,
                reason_id=self.reason_id(reason) if reason else None,
            )
            session.add(call)
            session.flush()
            return call.id  # type: ignore[return-value]

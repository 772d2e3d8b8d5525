"""A hand-built Sunday (4 January 2026, UTC) for the management report tests.

Every figure the report tests expect is worked out by hand from this file.

Support (T 20 s, target 80 %, short 5 s) and Billing (T 30 s, target 90 %).
Agents: Ann (hired 2024-01-01), Bob (2025-01-01), Dan (joins on the day),
Cat (2023-07-01, leaves on the day); Leo is a lead, Mia the manager, Eve the executive.

Calls on the day (customers c1, c2, c3):
  1 Support 09:00 Ann c1 how_to_use  wait 10  talk 300 wrap 60
  2 Support 09:10 Ann c2 how_to_use  wait 25  talk 200 wrap 40
  3 Support 09:20 Bob c1 how_to_use  wait  5  talk 100 wrap 20   (repeats call 1)
  4 Support 09:30 abandoned after 3 s (short)
  5 Support 09:40 abandoned after 50 s
  6 Support 10:15 Bob c3 delivery    wait 15  talk 400 wrap 80
  7 Billing 09:05 Ann c3 billing     wait 40  talk 500 wrap 100
  8 Billing 11:00 Ann (no customer) other wait 20 talk 60 wrap 0
Around it: c3 called about a fault on 3 January; c2 calls again about how_to_use
on 5 January 08:00 (so call 2 was not resolved first time).
Shifts: Ann 08–12, Bob 08–10. Logged in: Ann 08–12, Bob 08:30–10:00.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from svcdesk_tui.models import (
    CallState,
    Complaint,
    ComplaintState,
    Escalation,
    EscalationState,
    Feedback,
    PresenceLog,
    Procedure,
    Skill,
)

from .builders import Center

DAY = date(2026, 1, 4)
NOW = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def _add(center: Center, *rows: object) -> None:
    with center.db.write() as session:
        for row in rows:
            session.add(row)


def build(center: Center) -> Center:
    c = center
    support = c.queue("Support", threshold=20, target=0.8, short=5)
    billing = c.queue("Billing", threshold=30, target=0.9, short=5)
    ann = c.staff("ann", name="Ann Archer", hired=date(2024, 1, 1))
    bob = c.staff("bob", name="Bob Baker", hired=date(2025, 1, 1))
    c.staff("dan", name="Dan Dekker", hired=DAY)
    c.staff("cat", name="Cat Cole", hired=date(2023, 7, 1), left=DAY)
    c.staff("leo", "lead", name="Leo Lead", hired=date(2020, 1, 1))
    mia = c.staff("mia", "manager", name="Mia Manager", hired=date(2019, 1, 1))
    c.staff("eve", "executive", name="Eve Exec", hired=date(2018, 1, 1))
    c1, c2, c3 = (c.customer(n) for n in ("C One", "C Two", "C Three"))
    call = {}
    call[1] = c.call(
        support,
        entered=at(9),
        wait=10,
        talk=300,
        wrap=60,
        customer=c1,
        agent=ann,
        reason="how_to_use",
    )
    call[2] = c.call(
        support,
        entered=at(9, 10),
        wait=25,
        talk=200,
        wrap=40,
        customer=c2,
        agent=ann,
        reason="how_to_use",
    )
    call[3] = c.call(
        support,
        entered=at(9, 20),
        wait=5,
        talk=100,
        wrap=20,
        customer=c1,
        agent=bob,
        reason="how_to_use",
    )
    call[4] = c.call(support, entered=at(9, 30), state=CallState.ABANDONED, wait=3)
    call[5] = c.call(support, entered=at(9, 40), state=CallState.ABANDONED, wait=50)
    call[6] = c.call(
        support,
        entered=at(10, 15),
        wait=15,
        talk=400,
        wrap=80,
        customer=c3,
        agent=bob,
        reason="delivery",
    )
    call[7] = c.call(
        billing,
        entered=at(9, 5),
        wait=40,
        talk=500,
        wrap=100,
        customer=c3,
        agent=ann,
        reason="billing",
    )
    call[8] = c.call(billing, entered=at(11), wait=20, talk=60, wrap=0, agent=ann, reason="other")
    c.call(
        support,
        entered=at(15, day=date(2026, 1, 3)),
        wait=5,
        talk=60,
        wrap=10,
        customer=c3,
        agent=bob,
        reason="fault",
    )
    c.call(
        support,
        entered=at(8, day=date(2026, 1, 5)),
        wait=5,
        talk=60,
        wrap=10,
        customer=c2,
        agent=bob,
        reason="how_to_use",
    )
    c.shift(ann, at(8), at(12))
    c.shift(bob, at(8), at(10))
    _add(
        c,
        PresenceLog(staff_id=ann.id, started_at=at(8), ended_at=at(12)),
        PresenceLog(staff_id=bob.id, started_at=at(8, 30), ended_at=at(10)),
        PresenceLog(staff_id=bob.id, kind="pause", started_at=at(9, 30), ended_at=at(9, 40)),
        # feedback: on calls 1, 2 and 6, one without a call, one the next day
        Feedback(customer_id=c1, call_id=call[1], received_at=at(12), csat=5, nps=10),
        Feedback(customer_id=c2, call_id=call[2], received_at=at(12), csat=3, nps=6),
        Feedback(customer_id=c3, call_id=call[6], received_at=at(13), csat=4, nps=8),
        Feedback(customer_id=c3, received_at=at(14), nps=9),
        Feedback(customer_id=c1, call_id=call[3], received_at=at(9, day=date(2026, 1, 5)), csat=1),
        # two complaints resolved on the day: one confirmed, one closed unconfirmed
        Complaint(
            customer_id=c1,
            category="billing",
            owner_id=ann.id,
            opened_at=at(8),
            state=ComplaintState.CLOSED,
            resolved_at=at(10),
            closed_at=at(11),
        ),
        Complaint(
            customer_id=c2,
            category="billing",
            owner_id=ann.id,
            opened_at=at(8),
            state=ComplaintState.CLOSED_UNCONFIRMED,
            resolved_at=at(10),
            closed_at=at(16),
        ),
        # escalations: one settled by the lead, one that climbed to the executive
        Escalation(
            customer_id=c1,
            raised_by_id=ann.id,
            raised_at=at(9, 30),
            level_rank=2,
            level_entered_at=at(9, 35),
            state=EscalationState.RESOLVED,
            resolved_at=at(10, 30),
            reason="wants a refund",
        ),
        Escalation(
            customer_id=c3,
            raised_by_id=bob.id,
            raised_at=at(10, 20),
            level_rank=4,
            level_entered_at=at(11),
            state=EscalationState.RAISED,
            anger=5,
            reason="threatens the press",
        ),
    )
    # the Caribbean: a critical, documented procedure only Ann can do alone
    with c.db.write() as session:
        proc = Procedure(name="Refund run", criticality="critical", documented=True)
        session.add(proc)
        session.flush()
        session.add(Skill(staff_id=ann.id, procedure_id=proc.id, level="U"))
        session.add(Skill(staff_id=bob.id, procedure_id=proc.id, level="L"))
    c.calls = call
    c.mia = mia
    return c


def later(days: int) -> datetime:
    return NOW + timedelta(days=days)

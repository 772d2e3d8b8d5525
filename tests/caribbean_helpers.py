"""Building a center's procedures, skills, approval rights and absences in tests."""

from __future__ import annotations

import time

from svcdesk_tui.models import Absence, ApprovalAuthority, Procedure, Skill


def procedure(center, name, criticality="critical", documented=True):
    with center.db.write() as session:
        proc = Procedure(name=name, criticality=criticality, documented=documented)
        session.add(proc)
        session.flush()
        return proc.id


def skill(center, actor, proc_id, level):
    with center.db.write() as session:
        session.add(Skill(staff_id=actor.id, procedure_id=proc_id, level=level))


def authority(center, actor, kind):
    with center.db.write() as session:
        session.add(ApprovalAuthority(staff_id=actor.id, kind=kind))


def away(center, actor, starts, ends, kind="vacation"):
    with center.db.write() as session:
        session.add(Absence(staff_id=actor.id, kind=kind, starts_on=starts, ends_on=ends))


async def until(pilot, condition, timeout=5.0):
    """Let the app run until ``condition()`` holds (workers finish, screens change)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause(0.05)
        if condition():
            return
    raise AssertionError("the screen did not get there in time")


def cells(app, table_id):
    """The rows of a table as shown, each a list of cell texts."""
    table = app.screen.query_one(table_id)
    return [[str(cell) for cell in table.get_row(key)] for key in table.keys]

"""Building a center's procedures, skills, approval rights and absences in tests."""

from __future__ import annotations

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

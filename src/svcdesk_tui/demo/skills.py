"""Procedures, who can do them (I/L/U/O) and who may approve what: the Caribbean test.

Skills are spread on purpose, with the weak spots a real center has: a critical
procedure only the manager can do alone, one only a single lead knows, an
approval only the manager may give, undocumented procedures.
"""

from __future__ import annotations

from dataclasses import dataclass

from svcdesk_tui.demo.people import MANAGER_LIMIT_CENTS, People
from svcdesk_tui.demo.store import BulkWriter
from svcdesk_tui.demo.world import World
from svcdesk_tui.models import ApprovalAuthority, Criticality, Procedure, Skill, SkillLevel


@dataclass(frozen=True)
class ProcedureSpec:
    name: str
    criticality: str
    area: str
    queue: str | None
    doc: str | None  # where it is written down; None: undocumented
    frequency: str
    description: str
    spread: float  # share of agents who can do it alone (U or O)


CRIT, IMP, ROUT = Criticality.CRITICAL, Criticality.IMPORTANT, Criticality.ROUTINE

PROCEDURES: tuple[ProcedureSpec, ...] = (
    ProcedureSpec("Password and account reset", ROUT, "accounts", "Support",
                  "handbook/support/password-reset.md", "daily",
                  "Verify identity, reset, confirm by e-mail", 0.9),
    ProcedureSpec("Router remote diagnosis", IMP, "technical", "Technical",
                  "handbook/technical/router-diagnosis.md", "daily",
                  "Line test, reboot, firmware check from the console", 0.6),
    ProcedureSpec("Technician dispatch", IMP, "technical", "Technical",
                  "handbook/technical/dispatch.md", "daily",
                  "Book a visit: estimated fix time, senior or any technician, equipment", 0.5),
    ProcedureSpec("Billing correction and credit note", IMP, "billing", "Billing",
                  "handbook/billing/credit-note.md", "daily",
                  "Correct an invoice line and issue a credit note", 0.5),
    ProcedureSpec("Refund processing", ROUT, "billing", "Billing",
                  "handbook/billing/refunds.md", "weekly",
                  "Refund to the customer's account within the agent's limit", 0.6),
    ProcedureSpec("Contract change", ROUT, "sales", "Sales",
                  "handbook/sales/contract-change.md", "daily",
                  "Upgrade, downgrade or move a contract", 0.6),
    ProcedureSpec("Cancellation and retention offer", IMP, "sales", "Sales", None, "weekly",
                  "Process a cancellation; offer what retention allows", 0.4),
    ProcedureSpec("Complaint follow-up call", IMP, "quality", None,
                  "handbook/quality/close-the-loop.md", "daily",
                  "Call the customer back and confirm the problem is solved", 0.5),
    ProcedureSpec("Nuisance caller handling", IMP, "quality", None,
                  "handbook/quality/difficult-callers.md", "weekly",
                  "Stay factual, follow the customer's note, hand over when needed", 0.4),
    ProcedureSpec("Escalation handover to the manager", IMP, "quality", None, None, "monthly",
                  "Brief the manager on the hardest call before the transfer", 0.0),
    ProcedureSpec("Major outage customer communication", CRIT, "technical", "Technical", None,
                  "rarely", "Announce an outage: IVR message, SMS blast, status page", 0.0),
    ProcedureSpec("Firmware rollback", CRIT, "technical", "Technical", None, "rarely",
                  "Roll a faulty firmware back on a customer's device", 0.0),
    ProcedureSpec("New agent onboarding", ROUT, "people", None,
                  "handbook/people/onboarding.md", "monthly",
                  "First week of a new agent: accounts, buddy, listening in", 0.0),
)  # fmt: skip

SOLE_MANAGER = "Major outage customer communication"  # only the manager can do it alone
SOLE_LEAD = "Firmware rollback"  # only one lead can do it alone


def write_skills(writer: BulkWriter, world: World, people: People) -> dict[str, int]:
    """Procedures, skills and approval authorities; returns counts."""
    rng = world.rng("skills")
    writer.rows(
        Procedure,
        [
            {
                "id": i,
                "name": p.name,
                "description": p.description,
                "criticality": str(p.criticality),
                "area": p.area,
                "queue_id": world.queue_ids.get(p.queue) if p.queue else None,
                "documented": p.doc is not None,
                "doc_location": p.doc,
                "frequency": p.frequency,
            }
            for i, p in enumerate(PROCEDURES, start=1)
        ],
    )
    skills: list[dict[str, object]] = []

    def grant(staff_id: int, procedure_id: int, level: str) -> None:
        skills.append(
            {
                "id": len(skills) + 1,
                "staff_id": staff_id,
                "procedure_id": procedure_id,
                "level": level,
            }
        )

    expert_lead = people.leads[0].id
    for pid, spec in enumerate(PROCEDURES, start=1):
        if spec.name == SOLE_MANAGER:
            grant(people.manager.id, pid, SkillLevel.O)
            for lead in people.leads:
                grant(lead.id, pid, SkillLevel.L)
            continue
        if spec.name == SOLE_LEAD:
            grant(expert_lead, pid, SkillLevel.U)
            grant(people.manager.id, pid, SkillLevel.L)
            continue
        grant(people.manager.id, pid, SkillLevel.O)
        for lead in people.leads:
            grant(lead.id, pid, SkillLevel.O if rng.random() < 0.5 else SkillLevel.U)
        for agent in people.agents:
            if agent.left_on is not None:
                continue
            roll = rng.random()
            new = (world.today - agent.hired_on).days < 90
            if roll < spec.spread:
                level = SkillLevel.L if new else SkillLevel.O if roll < 0.1 else SkillLevel.U
            elif roll < spec.spread + 0.25:
                level = SkillLevel.I if new else SkillLevel.L
            else:
                continue
            grant(agent.id, pid, level)
    writer.rows(Skill, skills)
    authorities = [
        (people.manager.id, "compensation_above_limit", MANAGER_LIMIT_CENTS),
        (people.manager.id, "account_restoration", None),
        (expert_lead, "account_restoration", None),
        (people.manager.id, "contract_cancellation_override", None),
        *((lead.id, "contract_cancellation_override", None) for lead in people.leads[:2]),
        # what services.compensation reads as someone's approval limit
        *((lead.id, "compensation", lead.limit_cents) for lead in people.leads),
        (people.manager.id, "compensation", MANAGER_LIMIT_CENTS),
    ]
    writer.rows(
        ApprovalAuthority,
        [
            {"id": i, "staff_id": staff_id, "kind": kind, "limit_cents": limit}
            for i, (staff_id, kind, limit) in enumerate(authorities, start=1)
        ],
    )
    return {"procedures": len(PROCEDURES), "skills": len(skills)}

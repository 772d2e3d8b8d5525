"""The Caribbean test on a large center: medians over repeated runs.

    python bench/caribbean_bench.py [--people N] [--procedures P] [--runs R]

Builds (deterministically, into /tmp) a center of N people and P procedures,
about a third critical, each person holding a handful of skills, a few approval
kinds and a year of absences; then times ``caribbean.analyse`` (coverage,
approvals, bus and truck factor, what-if) for the default 14-day question and
for a 366-day one. Target: the 14-day analysis well under the screen's refresh.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from svcdesk_tui.caribbean import analysis as caribbean
from svcdesk_tui.core.db import Database
from svcdesk_tui.core.settings import CenterSettings
from svcdesk_tui.models import Absence, ApprovalAuthority, Procedure, Skill, Staff

TODAY = date(2026, 1, 5)


def build(path: Path, people: int, procedures: int) -> Database:
    rng = random.Random(7)
    db = Database.create(path)
    with db.write() as session:
        staff = []
        for i in range(people):
            role = "manager" if i == 0 else "lead" if i % 12 == 1 else "agent"
            left = TODAY + timedelta(days=rng.randint(1, 300)) if rng.random() < 0.05 else None
            person = Staff(
                login=f"p{i}",
                name=f"Person {i:03d}",
                role=role,
                hired_on=date(2024, 1, 1),
                left_on=left,
            )
            session.add(person)
            staff.append(person)
        procs = []
        for j in range(procedures):
            proc = Procedure(
                name=f"Procedure {j:02d}",
                criticality=("critical", "important", "routine")[j % 3],
                documented=rng.random() < 0.8,
            )
            session.add(proc)
            procs.append(proc)
        session.flush()
        for person in staff:
            for proc in rng.sample(procs, k=min(len(procs), rng.randint(2, 8))):
                level = rng.choice("ILUUO")
                session.add(Skill(staff_id=person.id, procedure_id=proc.id, level=level))
            if person.role != "agent" or rng.random() < 0.02:
                for kind in rng.sample(
                    [
                        "compensation_above_limit",
                        "account_restoration",
                        "contract_override",
                        "write_off",
                    ],
                    k=2,
                ):
                    session.add(ApprovalAuthority(staff_id=person.id, kind=kind))
            for _ in range(3):
                start = TODAY + timedelta(days=rng.randint(-30, 330))
                session.add(
                    Absence(
                        staff_id=person.id,
                        kind="vacation",
                        starts_on=start,
                        ends_on=start + timedelta(days=rng.randint(0, 10)),
                    )
                )
    return db


def median_ms(db: Database, runs: int, days: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        with db.read() as session:
            caribbean.analyse(
                session, on=TODAY, settings=CenterSettings(), to=TODAY + timedelta(days=days - 1)
            )
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--procedures", type=int, default=30)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = build(Path(folder) / "caribbean.db", args.people, args.procedures)
        for days in (14, 366):
            ms = median_ms(db, args.runs, days)
            print(
                f"analyse, {args.people} people × {args.procedures} procedures, "
                f"{days}-day what-if: median {ms:.1f} ms"
            )
        db.close()


if __name__ == "__main__":
    main()

"""A small demo center, made once by the real command, copied for every end-to-end test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from svcdesk_tui.core.db import Database
from svcdesk_tui.models import Staff

from ..stores import copy_store, new_store

SVCDESK = str(Path(sys.executable).with_name("svcdesk"))


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = new_store(tmp_path_factory.mktemp("demo"))
    subprocess.run(
        [
            SVCDESK,
            "demo-data",
            "--days",
            "3",
            "--agents",
            "8",
            "--waiting",
            "8",
            "--out",
            path,
        ],
        check=True,
        capture_output=True,
    )
    return path


@pytest.fixture
def demo_db(demo_template: str, tmp_path: Path) -> str:
    return copy_store(demo_template, tmp_path)


def first_agent(db_path: str) -> str:
    """The login of an active agent who is offline now (so the desk logs them in)."""
    from svcdesk_tui.models import AgentStatus

    db = Database.open(db_path)
    try:
        with db.read() as session:
            busy = select(AgentStatus.staff_id).where(AgentStatus.state != "offline")
            return session.exec(
                select(Staff.login)
                .where(Staff.role == "agent", Staff.left_on.is_(None), Staff.id.not_in(busy))  # type: ignore[union-attr]
                .order_by(Staff.login)
            ).first()  # type: ignore[return-value]
    finally:
        db.close()

"""The real `svcdesk` in a real terminal (tmux, 80x24): keys in, screen out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from svcdesk_tui.core.db import Database
from svcdesk_tui.models import AgentStatus, AuditEntry, Call, Staff

from .conftest import SVCDESK, first_agent
from .terminal import Tmux, wait_until


def status(db_path: str | Path, login: str) -> tuple[str, int | None]:
    db = Database.open(db_path)
    try:
        with db.read() as session:
            staff = session.exec(Staff.__table__.select().where(Staff.login == login)).first()
            row = session.get(AgentStatus, staff.id)
            return (row.state, row.call_id) if row else ("offline", None)
    finally:
        db.close()


def audit_actions(db_path: str | Path, login: str) -> list[str]:
    db = Database.open(db_path)
    try:
        with db.read() as session:
            return list(
                session.exec(
                    AuditEntry.__table__.select()
                    .with_only_columns(AuditEntry.action)
                    .where(AuditEntry.actor_login == login)
                    .order_by(AuditEntry.id)
                ).scalars()
            )
    finally:
        db.close()


@pytest.fixture
def tmux(tmp_path: Path):  # type: ignore[no-untyped-def]
    terminal = Tmux(tmp_path / "tmux.sock")
    yield terminal
    terminal.hang_up()


def desk_env(tmp_path: Path) -> dict[str, str]:
    return {"HOME": str(tmp_path), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}


@pytest.mark.parametrize("colours", ["256", "16"])
def test_an_agent_takes_a_call_and_is_refused_the_caribbean_view(tmux, demo_db, tmp_path, colours):
    login = first_agent(demo_db)
    tmux.start(
        [
            SVCDESK,
            "agent",
            "--db",
            str(demo_db),
            "--as",
            login,
            "--refresh",
            "0.5",
            "--no-simulate",
        ],
        desk_env(tmp_path),
        colours=colours,
    )
    screen = tmux.wait_for(f"{login}, agent)")  # the status line: name (login, role)
    assert "Caribbean" not in screen  # not offered in the footer
    wait_until(lambda: status(demo_db, login)[0] == "available", f"{login} to be available")

    tmux.keys("4")
    shown = tmux.wait_for("Not allowed").replace("▌", " ")  # a toast, wrapped, with a border
    toast = " ".join(shown.split())
    assert f"{login} (agent) may not see the Caribbean" in toast
    assert "permission.refused" in audit_actions(demo_db, login)

    tmux.keys("n")
    wait_until(lambda: status(demo_db, login)[0] == "on_call", f"{login} to be on a call")
    _, call_id = status(demo_db, login)
    db = Database.open(demo_db)
    with db.read() as session:
        assert session.get(Call, call_id).agent_id is not None
    db.close()
    tmux.keys("Escape")  # the customer card opens with the call; back to the queue
    assert "c: wrap up" in tmux.wait_for("c: wrap up")


def test_a_hang_up_logs_the_agent_out(tmux, demo_db, tmp_path):
    login = first_agent(demo_db)
    tmux.start(
        [SVCDESK, "--db", str(demo_db), "--as", login, "--no-simulate"],
        {**desk_env(tmp_path), "SSH_CONNECTION": "192.0.2.7 50000 192.0.2.1 22"},
    )
    tmux.wait_for(f"{login}, agent)")
    wait_until(lambda: status(demo_db, login)[0] == "available", f"{login} to be available")

    tmux.hang_up()
    wait_until(lambda: status(demo_db, login)[0] == "offline", f"{login} to be logged out")
    assert audit_actions(demo_db, login)[-1] == "presence.logout"

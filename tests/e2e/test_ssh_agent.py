"""An agent over real SSH: OpenSSH's sshd on a loopback port, a forced command, key auth.

The throw-away sshd gives the login nothing but `svcdesk` (authorized_keys
`command=`), exactly as docs/deployment.md sets it up; ssh runs in tmux so the
test types keys and reads the screen. Needs root (to start sshd and add a user).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import update

from svcdesk_tui.core.db import Database
from svcdesk_tui.models import AgentStatus, Call, SchemaInfo, Staff

from ..stores import copy_store
from .conftest import SVCDESK
from .terminal import Tmux, require_tool, wait_until

TEST_USER = "svcdesk-e2e"


def reachable_by_others(path: str) -> bool:
    """Can an unprivileged user execute ``path`` (every directory on the way searchable)?"""
    real = Path(os.path.realpath(path))
    return all(os.stat(part).st_mode & stat.S_IXOTH for part in (*reversed(real.parents), real))


def login_for_test() -> str:
    """A throw-away user when the interpreter is reachable by one; else root.

    A venv built on an interpreter inside a private home (pyenv under /root) cannot be
    run by another user; the SSH path under test is the same for root.
    """
    if not reachable_by_others(sys.executable):
        return "root"
    try:
        pwd.getpwnam(TEST_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--create-home", "--shell", "/bin/sh", TEST_USER],
            check=True,
            capture_output=True,
        )
    return TEST_USER


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class SshServer:
    port: int
    user: str
    client_key: Path
    db: str


def make_center(demo_template: str, where: Path, user: str) -> str:
    """The demo center as a real one (identity by OS login) with ``user`` as an agent."""
    db_path = copy_store(demo_template, where)
    db = Database.open(db_path)
    with db.write() as session:
        session.execute(update(SchemaInfo).values(demo=False))
        session.add(Staff(login=user, name="Sam Shell", role="agent", hired_on=date(2024, 1, 1)))
    db.close()
    owner = pwd.getpwnam(user)
    for path in (where, *where.iterdir()):
        os.chown(path, owner.pw_uid, owner.pw_gid)
    return db_path


@pytest.fixture
def sshd(demo_template: str) -> Iterator[SshServer]:
    if os.geteuid() != 0:
        pytest.skip("starting sshd and adding a test user needs root (CI runs as root)")
    daemon = require_tool("sshd", "OpenSSH server: apt-get install openssh-server")
    require_tool("ssh", "OpenSSH client")
    keygen = require_tool("ssh-keygen", "OpenSSH client")
    user = login_for_test()
    home = Path(tempfile.mkdtemp(prefix="svcdesk-sshd-"))
    center_dir = home / "center"
    keys_dir = home / "keys"
    center_dir.mkdir()
    keys_dir.mkdir()
    home.chmod(0o755)
    keys_dir.chmod(0o755)
    for name in ("host", "client"):
        subprocess.run(
            [keygen, "-q", "-t", "ed25519", "-N", "", "-f", str(home / name)],
            check=True,
            capture_output=True,
        )
    db_path = make_center(demo_template, center_dir, user)
    forced = (
        f'command="{SVCDESK} --db {db_path} --no-simulate",no-port-forwarding,no-agent-forwarding'
    )
    forced += ",no-X11-forwarding"
    authorized = keys_dir / user
    authorized.write_text(f"{forced} {(home / 'client.pub').read_text()}")
    authorized.chmod(0o644)
    port = free_port()
    config = home / "sshd_config"
    config.write_text(
        "\n".join(
            [
                f"Port {port}",
                "ListenAddress 127.0.0.1",
                f"HostKey {home / 'host'}",
                f"PidFile {home / 'sshd.pid'}",
                f"AuthorizedKeysFile {keys_dir}/%u",
                f"AllowUsers {user}",
                "PermitRootLogin prohibit-password",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "",
            ]
        )
    )
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    server = subprocess.Popen(
        [daemon, "-D", "-e", "-f", str(config)], stderr=subprocess.PIPE, text=True
    )
    try:
        wait_until(lambda: _listening(port) or server.poll() is not None, "sshd to listen")
        if server.poll() is not None:
            raise AssertionError(f"sshd did not start: {server.stderr.read()}")  # type: ignore[union-attr]
        yield SshServer(port=port, user=user, client_key=home / "client", db=db_path)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(home, ignore_errors=True)


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def agent_state(db_path: Path, login: str) -> tuple[str, int | None]:
    db = Database.open(db_path)
    try:
        with db.read() as session:
            staff = session.exec(Staff.__table__.select().where(Staff.login == login)).first()
            row = session.get(AgentStatus, staff.id)
            return (row.state, row.call_id) if row else ("offline", None)
    finally:
        db.close()


def test_an_agent_over_ssh_gets_the_agent_view_and_a_dropped_line_frees_them(
    sshd: SshServer, tmp_path: Path
):
    ssh = require_tool("ssh", "OpenSSH client")
    tmux = Tmux(tmp_path / "tmux.sock")
    connect = [
        ssh, "-tt", "-p", str(sshd.port), "-i", str(sshd.client_key),
        "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
        "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
        f"{sshd.user}@127.0.0.1",
    ]  # fmt: skip
    tmux.start(connect, {"HOME": str(tmp_path)})
    try:
        screen = tmux.wait_for(f"({sshd.user}, agent)")
        assert "Caribbean" not in screen
        assert "Assign" not in screen  # a lead's key, not offered to an agent
        wait_until(lambda: agent_state(sshd.db, sshd.user)[0] == "available", "the log-in")

        tmux.keys("n")
        wait_until(lambda: agent_state(sshd.db, sshd.user)[0] == "on_call", "a call taken")
        _, call_id = agent_state(sshd.db, sshd.user)
    finally:
        tmux.hang_up()  # the line drops mid-call

    # The call stays the agent's for the stale limit; a cron tick then frees them.
    def ticked_free() -> bool:
        subprocess.run(
            [SVCDESK, "presence", "tick", "--db", str(sshd.db), "--stale-after", "1"],
            check=True,
            capture_output=True,
        )
        return agent_state(sshd.db, sshd.user)[0] == "offline"

    wait_until(ticked_free, "the stale presence to be cleared")
    db = Database.open(sshd.db)
    with db.read() as session:
        call = session.get_one(Call, call_id)
    db.close()
    assert (call.state, call.end_reason) == ("completed", "disconnected")

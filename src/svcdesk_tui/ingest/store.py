"""The importer's few bulk statements: every write is one executemany per batch.

Calls are keyed by ``(source, external_id)`` and only ever move forward
(waiting → on call → ended): a row that is already further along is left as it
is, so importing a line twice, or an older overlapping file, changes nothing.
Presence intervals are inserted unless one with the same agent, kind and start
exists. Agent states are upserted unless the stored one is newer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Connection, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import SQLModel, col

from svcdesk_tui.core import intervals
from svcdesk_tui.core.interval_staffing import count_staffing
from svcdesk_tui.models import AgentStatus, Call, Customer
from svcdesk_tui.models.center import Agreement

SOURCE = "pbx"
CALL_COLUMNS = (
    "queue_id",
    "customer_id",
    "caller_number",
    "priority",
    "state",
    "agent_id",
    "entered_at",
    "answered_at",
    "talk_ended_at",
    "ended_at",
    "wait_seconds",
    "talk_seconds",
    "end_reason",
    "source",
    "external_id",
    "recording_path",
)
_FIRST_SIGHT = ("queue_id", "customer_id", "caller_number", "priority", "entered_at")
_ORIGIN = ("source", "external_id")
_MOVING = tuple(name for name in CALL_COLUMNS if name not in (*_FIRST_SIGHT, *_ORIGIN))
"""What a later sight of a call moves forward; the rest stays as the first sight set it."""

_status = SQLModel.metadata.tables[str(AgentStatus.__tablename__)]


def _insert(connection: Connection, table):  # type: ignore[no-untyped-def]
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def _placeholders(connection: Connection, names: tuple[str, ...]) -> tuple[list[str], bool]:
    """The driver's own placeholders for ``names``, and whether it takes tuples."""
    style = connection.dialect.paramstyle
    if style == "qmark":
        return ["?"] * len(names), True
    if style == "format":
        return ["%s"] * len(names), True
    if style == "numeric":
        return [f":{n}" for n in range(1, len(names) + 1)], True
    if style == "named":
        return [f":{name}" for name in names], False
    return [f"%({name})s" for name in names], False


_PROGRESS = "CASE {0}.state WHEN 'waiting' THEN 0 WHEN 'on_call' THEN 1 ELSE 2 END"


def _write_calls(connection: Connection, rows: list[tuple], on_conflict: str) -> int:
    """executemany ``rows`` (in :data:`CALL_COLUMNS` order) into ``call``; rows changed.

    The statement goes straight to the driver's executemany: for hundreds of
    thousands of rows the per-row parameter handling of SQLAlchemy would cost
    more than SQLite's own work (timestamps are already epoch integers).
    """
    if not rows:
        return 0
    marks, positional = _placeholders(connection, CALL_COLUMNS)
    sql = (
        f"INSERT INTO call ({', '.join(CALL_COLUMNS)}) VALUES ({', '.join(marks)}) "
        f"ON CONFLICT (source, external_id) {on_conflict}"
    )
    params = rows if positional else [dict(zip(CALL_COLUMNS, row, strict=True)) for row in rows]
    result = connection.exec_driver_sql(sql, params)
    return max(result.rowcount, 0)


def insert_calls(connection: Connection, rows: list[tuple]) -> int:
    """Insert calls the store does not hold as open; rows inserted.

    A call the store already holds here has ended (the open ones are read back
    when an import starts and go through :func:`upsert_calls`), and an ended call
    never changes: importing it again leaves it as it is. This plain insert costs
    SQLite half of what the conditional update does.
    """
    return _write_calls(connection, rows, "DO NOTHING")


def upsert_calls(connection: Connection, rows: list[tuple]) -> int:
    """Move calls the store holds as open forward (waiting → on call → ended); rows changed."""
    update = (
        "DO UPDATE SET "
        + ", ".join(f"{name} = excluded.{name}" for name in _MOVING)
        + f" WHERE {_PROGRESS.format('call')} < {_PROGRESS.format('excluded')}"
    )
    return _write_calls(connection, rows, update)


def count_batch(connection: Connection, rows: list[tuple]) -> None:
    """Recount the interval statistics and FCR facts of a batch's calls (rows in
    :data:`CALL_COLUMNS` order), in the batch's transaction."""
    if not rows:
        return
    entered = [row[_ENTERED] for row in rows]
    customers = {row[_CUSTOMER] for row in rows if row[_CUSTOMER] is not None}
    intervals.count_range(connection, min(entered), max(entered) + 1, customers)


_ENTERED, _CUSTOMER = CALL_COLUMNS.index("entered_at"), CALL_COLUMNS.index("customer_id")

_INSERT_INTERVAL = text(  # typed parameters: PostgreSQL deduces none from a bare SELECT
    "INSERT INTO presence_log (staff_id, kind, reason, started_at, ended_at) "
    "SELECT CAST(:staff_id AS INTEGER), CAST(:kind AS VARCHAR(16)), "
    "CAST(:reason AS VARCHAR(60)), CAST(:started_at AS BIGINT), CAST(:ended_at AS BIGINT) "
    "WHERE NOT EXISTS (SELECT 1 FROM presence_log WHERE staff_id = CAST(:staff_id AS INTEGER) "
    "AND kind = CAST(:kind AS VARCHAR(16)) AND started_at = CAST(:started_at AS BIGINT))"
)
_CLOSE_INTERVAL = text(
    "UPDATE presence_log SET ended_at = :ended_at WHERE staff_id = :staff_id "
    "AND kind = :kind AND started_at = :started_at AND ended_at IS NULL"
)


def write_intervals(connection: Connection, opened: list[dict], closed: list[dict]) -> None:
    """Insert new sessions/pauses (unless present) and close the ones that ended."""
    if opened:
        connection.execute(_INSERT_INTERVAL, opened)
    if closed:
        connection.execute(_CLOSE_INTERVAL, closed)
    ended = [row for row in (*opened, *closed) if row["ended_at"] is not None]
    if ended:  # the agents logged in per interval (an open session counts when it ends)
        first = min(row["started_at"] for row in ended)
        count_staffing(connection, first, max(row["ended_at"] for row in ended))


def upsert_agent_states(connection: Connection, rows: list[dict]) -> None:
    """Each agent's state now, unless the stored state is more recent."""
    if not rows:
        return
    stmt = _insert(connection, _status)
    stmt = stmt.on_conflict_do_update(
        index_elements=["staff_id"],
        set_={
            name: stmt.excluded[name]
            for name in ("state", "reason", "since", "call_id", "client", "heartbeat_at")
        },
        where=_status.c.since <= stmt.excluded.since,
    )
    connection.execute(stmt, rows)


def call_ids(connection: Connection, external_ids: list[str]) -> dict[str, int]:
    """Store ids of PBX calls by external id."""
    found: dict[str, int] = {}
    for start in range(0, len(external_ids), 500):
        chunk = external_ids[start : start + 500]
        rows = connection.execute(
            select(col(Call.external_id), col(Call.id)).where(
                col(Call.source) == SOURCE,
                col(Call.external_id).in_(chunk),
            )
        )
        found.update(cast("Iterable[tuple[str, int]]", rows.all()))  # matched ids are never NULL
    return found


@dataclass(frozen=True)
class OpenCall:
    """A PBX call the store still has waiting or on a call: the import's open state."""

    call_id: int
    external_id: str
    queue_id: int
    state: str
    entered: int
    answered: int | None
    agent_id: int | None
    wait: int | None
    caller: str | None
    customer_id: int | None
    priority: int


def open_calls(connection: Connection) -> list[OpenCall]:
    rows = connection.exec_driver_sql(
        "SELECT id, external_id, queue_id, state, entered_at, answered_at, agent_id, "
        "wait_seconds, caller_number, customer_id, priority FROM call "
        "WHERE source = 'pbx' AND state IN ('waiting', 'on_call')"
    )
    return [OpenCall(*row) for row in rows]


@dataclass(frozen=True)
class OpenPresence:
    staff_id: int
    kind: str
    started: int
    reason: str | None


def open_presence(connection: Connection) -> list[OpenPresence]:
    rows = connection.exec_driver_sql(
        "SELECT staff_id, kind, started_at, reason FROM presence_log "
        "WHERE ended_at IS NULL ORDER BY started_at"
    )
    return [OpenPresence(*row) for row in rows]


def agent_states(connection: Connection) -> dict[int, tuple[str, int, int | None, str | None]]:
    """staff id → (state, since epoch, call id, client) of every agent with a stored state."""
    rows = connection.exec_driver_sql(
        "SELECT staff_id, state, since, call_id, client FROM agent_status"
    )
    return {row[0]: (row[1], row[2], row[3], row[4]) for row in rows}


MEMBER_PREFIX = "pbx:"


def client_text(members: set[str] | None) -> str:
    """``pbx:queue,queue``: the PBX queues an agent is a member of, kept with their state.

    There is no table of queue membership; the agent's ``client`` column says what
    the agent works through, and for a PBX agent that is these queues. Too long to
    keep (80 characters) means "unknown", as for an agent logged in before the import.
    """
    if members is None:
        return "pbx"
    kept = MEMBER_PREFIX + ",".join(sorted(members))
    return kept if len(kept) <= 80 else "pbx"


def members_from(client: str | None) -> set[str] | None:
    if client is None or not client.startswith(MEMBER_PREFIX):
        return None
    names = client.removeprefix(MEMBER_PREFIX)
    return set(names.split(",")) if names else set()


def phone_book(connection: Connection) -> dict[str, tuple[int, int]]:
    """Normalised phone → (customer id, queue priority of their agreement)."""
    rows = connection.execute(
        select(col(Customer.id), col(Customer.phone), col(Agreement.queue_priority))
        .outerjoin(Agreement, col(Agreement.id) == col(Customer.agreement_id))
        .where(col(Customer.phone).is_not(None))
    )
    book: dict[str, tuple[int, int]] = {}
    for customer_id, phone, priority in cast("Iterable[tuple[int, str, int | None]]", rows):
        key = normalise_phone(phone)
        if key:
            book.setdefault(key, (customer_id, priority or 0))
    return book


_NOT_DIGIT = re.compile(r"\D")


def normalise_phone(number: str) -> str:
    """Digits only, with a leading + kept: ``+31 20-111`` → ``+3120111``."""
    if number.isascii() and number.isdigit():  # the usual caller id: nothing to strip
        return number
    digits = _NOT_DIGIT.sub("", number)
    return ("+" + digits) if number.lstrip().startswith("+") and digits else digits


def count_calls(connection: Connection) -> int:
    return connection.exec_driver_sql("SELECT count(*) FROM call WHERE source = 'pbx'").scalar_one()

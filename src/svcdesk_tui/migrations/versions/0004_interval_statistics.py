"""Interval statistics and the calls' FCR facts, so long reports add up rows, not calls.

Adds ``call.next_same_reason_at`` and ``call.prev_handled_at`` (when the same customer next
called about the same reason; their last handled call before), the tables
``interval_stat`` (per queue and 15 minutes), ``interval_staffing`` (agent-seconds on
shift and logged in per 15 minutes) and ``handled_day_stat`` (handled calls per UTC day
and agent or reason); 0006 counts an existing store's calls into them.

Revision ID: 0004
Revises: 0002
Created: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COUNTS = (
    "offered",
    "answered",
    "abandoned",
    "short_abandons",
    "answered_within_threshold",
    "wait_seconds_answered",
    "handled",
    "handle_seconds",
    "longest_wait_seconds",
    "sl_threshold_seconds",
    "short_abandon_seconds",
)
_SUMS = ("wait_seconds_answered", "handle_seconds", "longest_wait_seconds")
"""Seconds added up over many calls: past what a 32-bit integer holds on PostgreSQL."""
_HANDLED = (
    "handled",
    "handle_seconds",
    "fcr_base",
    "fcr_resolved",
    "repeat_base",
    "repeats",
    "window_days",
    "first_agent_key",
)


def _kind(name: str) -> sa.types.TypeEngine[int]:
    return sa.BigInteger() if name in _SUMS else sa.Integer()


def upgrade() -> None:
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_same_reason_at", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("prev_handled_at", sa.BigInteger(), nullable=True))
    op.create_table(
        "interval_stat",
        sa.Column("queue_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.BigInteger(), nullable=False),
        *(sa.Column(name, _kind(name), nullable=False) for name in _COUNTS),
        sa.ForeignKeyConstraint(["queue_id"], ["queue.id"]),
        sa.PrimaryKeyConstraint("queue_id", "starts_at"),
    )
    op.create_table(
        "handled_day_stat",
        sa.Column("day", sa.BigInteger(), nullable=False),
        sa.Column("cut", sa.String(length=1), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=False),
        *(sa.Column(name, _kind(name), nullable=False) for name in _HANDLED),
        sa.PrimaryKeyConstraint("day", "cut", "key_id"),
    )
    op.create_table(
        "interval_staffing",
        sa.Column("starts_at", sa.BigInteger(), nullable=False),
        sa.Column("on_shift_seconds", sa.Integer(), nullable=False),
        sa.Column("logged_in_seconds", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("starts_at"),
    )
    # The calls are counted into these tables by 0006, the newest migration that changes
    # what a row holds: the counting is today's code, which writes every column of today.


def downgrade() -> None:
    op.drop_table("interval_staffing")
    op.drop_table("handled_day_stat")
    op.drop_table("interval_stat")
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.drop_column("prev_handled_at")
        batch_op.drop_column("next_same_reason_at")

"""The abandons' waits per interval, so the forecast reads the callers' patience from the
interval statistics instead of the calls.

Adds ``interval_stat.wait_seconds_abandoned`` (seconds waited by the abandons that count,
short ones apart) and counts an existing store's calls into the statistics again (as
`svcdesk db rebuild-intervals` does): the interval rows, the calls' FCR facts, the handled
calls' days and the staffing.

Revision ID: 0006
Revises: 0005
Created: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("interval_stat", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("wait_seconds_abandoned", sa.BigInteger(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("interval_stat", schema=None) as batch_op:
        batch_op.alter_column("wait_seconds_abandoned", server_default=None)
    from svcdesk_tui.core.intervals import rebuild

    rebuild(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("interval_stat", schema=None) as batch_op:
        batch_op.drop_column("wait_seconds_abandoned")

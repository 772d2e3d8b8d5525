"""Index the escalations waiting on each rung, for the ladder's clock.

Every open desk asks "is anything overdue?" on a timer; with this index the
question is one seek per rung instead of a scan of every escalation.

Revision ID: 0002
Revises: 0001
Created: 2026-12-04
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("escalation", schema=None) as batch_op:
        batch_op.create_index(
            "ix_escalation_waiting", ["state", "level_rank", "level_entered_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("escalation", schema=None) as batch_op:
        batch_op.drop_index("ix_escalation_waiting")

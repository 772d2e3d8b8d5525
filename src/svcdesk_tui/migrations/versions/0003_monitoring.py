"""Listening to the calls: a recording path on each call, evaluation forms (versioned),
the weekly sample of calls to evaluate, evaluations and their answers.

The recording itself never enters the store, only where its file lies. On
SQLite the new call column is a plain ALTER TABLE: no copy of the call table.

Revision ID: 0003
Revises: 0002
Created: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "monitoring_form",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["staff.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name", "version", name="uq_monitoring_form_version"),
    )
    op.create_table(
        "monitoring_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=80), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("scale_max", sa.Integer(), nullable=True),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("critical", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["form_id"],
            ["monitoring_form.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("form_id", "code", name="uq_monitoring_item_code"),
    )
    with op.batch_alter_table("monitoring_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoring_item_form_id"), ["form_id"], unique=False)

    op.create_table(
        "evaluation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("evaluator_id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("calibration", sa.Boolean(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("raw_score", sa.Float(), nullable=False),
        sa.Column("critical_failed", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("coaching", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("evaluated_at", sa.BigInteger(), nullable=False),
        sa.Column("answered_at", sa.BigInteger(), nullable=True),
        sa.Column("dispute_reason", sa.Text(), nullable=True),
        sa.Column("dispute_owner_id", sa.Integer(), nullable=True),
        sa.Column("dispute_note", sa.Text(), nullable=True),
        sa.Column("dispute_closed_at", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["staff.id"],
        ),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["call.id"],
        ),
        sa.ForeignKeyConstraint(
            ["dispute_owner_id"],
            ["staff.id"],
        ),
        sa.ForeignKeyConstraint(
            ["evaluator_id"],
            ["staff.id"],
        ),
        sa.ForeignKeyConstraint(
            ["form_id"],
            ["monitoring_form.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("call_id", "evaluator_id", name="uq_evaluation_call_evaluator"),
    )
    with op.batch_alter_table("evaluation", schema=None) as batch_op:
        batch_op.create_index("ix_evaluation_agent", ["agent_id", "evaluated_at"], unique=False)
        batch_op.create_index("ix_evaluation_at", ["evaluated_at"], unique=False)

    op.create_table(
        "monitoring_sample",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("drawn_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["staff.id"],
        ),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["call.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("call_id", name="uq_monitoring_sample_call"),
    )
    with op.batch_alter_table("monitoring_sample", schema=None) as batch_op:
        batch_op.create_index("ix_monitoring_sample_week", ["week", "agent_id"], unique=False)

    op.create_table(
        "evaluation_answer",
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("answer", sa.String(length=8), nullable=False),
        sa.Column("earned", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["evaluation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["monitoring_item.id"],
        ),
        sa.PrimaryKeyConstraint("evaluation_id", "item_id"),
    )
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recording_path", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.drop_column("recording_path")

    op.drop_table("evaluation_answer")
    with op.batch_alter_table("monitoring_sample", schema=None) as batch_op:
        batch_op.drop_index("ix_monitoring_sample_week")

    op.drop_table("monitoring_sample")
    with op.batch_alter_table("evaluation", schema=None) as batch_op:
        batch_op.drop_index("ix_evaluation_at")
        batch_op.drop_index("ix_evaluation_agent")

    op.drop_table("evaluation")
    with op.batch_alter_table("monitoring_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_item_form_id"))

    op.drop_table("monitoring_item")
    op.drop_table("monitoring_form")

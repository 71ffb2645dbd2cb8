"""Mirrored v2 chat stream chunks for stream resume (FastGPT 4.14.11 `x-fastgpt-stream-resume`).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chat_stream_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("team_id", sa.String(length=24), nullable=False),
        sa.Column("app_id", sa.String(length=24), nullable=False),
        sa.Column("chat_id", sa.String(length=1024), nullable=False),
        sa.Column("run_id", sa.String(length=24), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_stream_events")),
    )
    with op.batch_alter_table("chat_stream_events") as batch:
        batch.create_index("ix_chat_stream_events_run_seq", ["run_id", "seq"], unique=True)
        batch.create_index("ix_chat_stream_events_chat", ["app_id", "chat_id", "id"])
        batch.create_index("ix_chat_stream_events_create_time", ["create_time"])


def downgrade() -> None:
    op.drop_table("chat_stream_events")

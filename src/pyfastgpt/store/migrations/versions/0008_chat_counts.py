"""Live chats per app × member × end user × source (`store/models/chat_counts.py`), backfilled from `chats`.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from pyfastgpt.store.models.chat_counts import rebuild_chat_counts

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chat_counts",
        sa.Column("app_id", sa.String(24), nullable=False),
        sa.Column("team_id", sa.String(24), nullable=False),
        sa.Column("tmb_id", sa.String(24), nullable=False),
        sa.Column("out_link_uid", sa.String(255), nullable=False),
        sa.Column("source", sa.String(30), nullable=False),
        sa.Column("chats", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("app_id", "team_id", "tmb_id", "out_link_uid", "source", name="pk_chat_counts"),
    )
    rebuild_chat_counts(op.get_bind())


def downgrade() -> None:
    op.drop_table("chat_counts")

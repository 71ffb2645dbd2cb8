"""Indexes for history listing (top, updateTime order), log export keyset paging and analytics.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_chats_app_tmb_top_update", "chats", ["app_id", "tmb_id", "top", "update_time", "id"]),
    ("ix_chats_app_update_id", "chats", ["app_id", "update_time", "id"]),
    ("ix_app_chat_logs_user_update", "app_chat_logs", ["app_id", "user_id", "update_time"]),
    ("ix_app_chat_logs_first", "app_chat_logs", ["app_id", "is_first_chat", "create_time"]),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)

"""Analytics rollups (`store/models/analytics.py`), backfilled from `app_chat_logs`.

Local days are counted in the deployment's ``TIMEZONE`` (UTC when unset).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from alembic import op

from pyfastgpt.store.models.analytics import DAY_ROLLUP_TABLES, rebuild_day_rollups

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _key(*names: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint(*names)


def upgrade() -> None:
    op.create_table(
        "app_chat_stats",
        sa.Column("app_id", sa.String(24), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(30), nullable=False),
        sa.Column("team_id", sa.String(24), nullable=False),
        sa.Column("chat_count", sa.Integer(), nullable=False),
        sa.Column("chat_item_count", sa.Integer(), nullable=False),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("total_points", sa.Float(), nullable=False),
        sa.Column("good_feedback_count", sa.Integer(), nullable=False),
        sa.Column("bad_feedback_count", sa.Integer(), nullable=False),
        sa.Column("total_response_time", sa.Float(), nullable=False),
        sa.Column("first_chat_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("app_id", "slot", "source", name="pk_app_chat_stats"),
    )
    op.create_table(
        "app_chat_rollup_zones",
        sa.Column("app_id", sa.String(24), nullable=False),
        sa.Column("zone", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("app_id", name="pk_app_chat_rollup_zones"),
    )
    op.create_table(
        "app_chat_users",
        sa.Column("app_id", sa.String(24), nullable=False),
        sa.Column("user_id", sa.String(255), nullable=False),
        sa.Column("first_day", sa.Integer(), nullable=False),
        sa.Column("first_source", sa.String(30), nullable=False),
        sa.PrimaryKeyConstraint("app_id", "user_id", name="pk_app_chat_users"),
    )
    op.create_table(
        "app_chat_presence",
        sa.Column("app_id", sa.String(24), nullable=False),
        sa.Column("user_id", sa.String(255), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(30), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("app_id", "user_id", "day", "source", name="pk_app_chat_presence"),
    )
    op.create_table(
        "app_chat_day_users",
        sa.Column("app_id", sa.String(24), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(30), nullable=False),
        sa.Column("users", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("app_id", "day", "source", name="pk_app_chat_day_users"),
    )
    op.create_table(
        "app_chat_retention",
        sa.Column("app_id", sa.String(24), nullable=False),
        sa.Column("source", sa.String(30), nullable=False),
        sa.Column("lag", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Integer(), nullable=False),
        sa.Column("users", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("app_id", "source", "lag", "first_day", name="pk_app_chat_retention"),
    )
    rebuild_day_rollups(op.get_bind(), os.environ.get("TIMEZONE") or "UTC")


def downgrade() -> None:
    for table in reversed(DAY_ROLLUP_TABLES):
        op.drop_table(table)

"""MCP server keys (`mcp_keys`, FastGPT 4.9.6+): the apps and datasets a key serves as MCP tools.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "mcp_keys",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("team_id", sa.String(length=24), nullable=False),
        sa.Column("tmb_id", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("apps", JSON, nullable=False),
        sa.Column("datasets", JSON, nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_mcp_keys_team_id_teams"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mcp_keys")),
        sa.UniqueConstraint("key", name=op.f("uq_mcp_keys_key")),
    )
    with op.batch_alter_table("mcp_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mcp_keys_team_id"), ["team_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mcp_keys_tmb_id"), ["tmb_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("mcp_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mcp_keys_tmb_id"))
        batch_op.drop_index(batch_op.f("ix_mcp_keys_team_id"))
    op.drop_table("mcp_keys")

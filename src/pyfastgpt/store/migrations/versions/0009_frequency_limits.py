"""Request counters per event and window (`store/models/frequency_limit.py`): the share-link QPM
limit, counted in the database so that it holds across replicas.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "frequency_limits",
        sa.Column("event_id", sa.String(255), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name="pk_frequency_limits"),
    )
    op.create_index("ix_frequency_limits_expires_at", "frequency_limits", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_frequency_limits_expires_at", table_name="frequency_limits")
    op.drop_table("frequency_limits")

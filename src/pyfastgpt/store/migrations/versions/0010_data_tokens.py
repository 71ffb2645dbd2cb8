"""`dataset_datas.tokens`: the token count of a chunk's q + a, written with them, read by the search's
token budget (FastGPT counts every recalled chunk at search time). Existing rows stay null and are
counted at search time.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dataset_datas") as batch_op:
        batch_op.add_column(sa.Column("tokens", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dataset_datas") as batch_op:
        batch_op.drop_column("tokens")

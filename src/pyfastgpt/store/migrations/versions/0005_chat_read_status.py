"""Chat read status (FastGPT 4.15 `hasBeenRead`), the per-end-user history index, API-dataset fields.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

UID_INDEX = ("ix_chats_app_tmb_uid_top_update", ["app_id", "tmb_id", "out_link_uid", "top", "update_time", "id"])


def upgrade() -> None:
    with op.batch_alter_table("chats") as batch:
        batch.add_column(sa.Column("has_been_read", sa.Boolean(), nullable=True))
        batch.create_index(UID_INDEX[0], UID_INDEX[1])
    with op.batch_alter_table("datasets") as batch:
        batch.add_column(
            sa.Column(
                "api_dataset_server",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )
    with op.batch_alter_table("dataset_collections") as batch:
        batch.add_column(sa.Column("api_file_id", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dataset_collections") as batch:
        batch.drop_column("api_file_id")
    with op.batch_alter_table("datasets") as batch:
        batch.drop_column("api_dataset_server")
    with op.batch_alter_table("chats") as batch:
        batch.drop_index(UID_INDEX[0])
        batch.drop_column("has_been_read")

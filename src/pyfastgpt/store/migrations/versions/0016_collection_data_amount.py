"""`dataset_collections.data_amount`: the collection's chunks, counted where they are inserted and deleted, so
the collection list (`dataAmount`) and the data list (`total`) stop counting every chunk of a large collection
on each page. Existing collections are counted once here.

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from pyfastgpt.store.models.dataset import rebuild_data_amounts

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dataset_collections") as batch_op:
        batch_op.add_column(sa.Column("data_amount", sa.Integer(), nullable=False, server_default="0"))
    rebuild_data_amounts(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("dataset_collections") as batch_op:
        batch_op.drop_column("data_amount")

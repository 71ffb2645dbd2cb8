"""Vectors written now, linked into the HNSW graph later: `dataset_vectors.indexed`.

Linking a vector into its dimension's HNSW graph was most of PostgreSQL's CPU while training (~1 ms a
384-d vector on 2 cores, against ~0.05 ms to write the row), so ingestion ran at half the embedder's
speed. Training now writes vectors with `indexed = false`: the graphs (`kbx_vectors_hnsw_<dim>`, now
partial on `dim = n AND indexed`) skip them, a search reads them exactly through
`kbx_vectors_unindexed` (a small partial btree), and the training workers link them into the graphs
when their queue is idle (`PgVectorStore.index_pending`). Existing rows are indexed (the default).

The graphs' predicate changes, so they are dropped and built again: the upgrade of an existing
deployment builds its graphs once, in bulk (time grows with the stored vectors), as 0011 did. SQLite:
the column only (the embedded store keeps its own index in memory).

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

HNSW_DIMENSIONS = (384, 512, 1024, 1536)


def _graphs(predicate: str) -> None:
    for dim in HNSW_DIMENSIONS:
        op.execute(f"DROP INDEX IF EXISTS kbx_vectors_hnsw_{dim}")
        op.execute(
            f"CREATE INDEX kbx_vectors_hnsw_{dim} ON dataset_vectors USING hnsw "
            f"((embedding::vector({dim})) vector_ip_ops) WITH (m = 12, ef_construction = 64) "
            f"WHERE dim = {dim}{predicate}"
        )


def upgrade() -> None:
    with op.batch_alter_table("dataset_vectors") as batch_op:
        batch_op.add_column(sa.Column("indexed", sa.Boolean(), server_default=sa.true(), nullable=False))
    if op.get_bind().dialect.name == "sqlite":
        return
    _graphs(" AND indexed")
    op.execute("CREATE INDEX kbx_vectors_unindexed ON dataset_vectors (dataset_id) WHERE NOT indexed")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP INDEX IF EXISTS kbx_vectors_unindexed")
        _graphs("")
    with op.batch_alter_table("dataset_vectors") as batch_op:
        batch_op.drop_column("indexed")

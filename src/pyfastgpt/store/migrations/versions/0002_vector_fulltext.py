"""knowledge-base vector and full-text indexes

Revision ID: 0002
Revises: 0001

- `dataset_vectors`: one row per vector; float32 blob on SQLite, untyped pgvector `vector` on
  PostgreSQL with one partial HNSW expression index per common dimension.
- `dataset_texts`: pre-segmented token strings; SQLite indexes them (and the dataset id, so a search
  of a small dataset intersects posting lists instead of ranking every match) with an external-content
  FTS5 table kept in sync by triggers, PostgreSQL with a generated tsvector('simple') column + GIN.
Raw-SQL objects are named `kbx_*` (hidden from autogenerate by `pyfastgpt.store.vector.include_name`).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.types import UserDefinedType

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

HNSW_DIMENSIONS = (384, 512, 1024, 1536)


class _Vector(UserDefinedType[Any]):
    cache_ok = True

    def get_col_spec(self, **_kw: Any) -> str:
        return "vector"


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    sqlite = _sqlite()
    if not sqlite:
        op.execute("CREATE EXTENSION IF NOT EXISTS vector")
    op.create_table(
        "dataset_vectors",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("team_id", sa.String(length=24), nullable=False),
        sa.Column("dataset_id", sa.String(length=24), nullable=False),
        sa.Column("collection_id", sa.String(length=24), nullable=False),
        sa.Column("dim", sa.Integer(), nullable=False),
        sa.Column("embedding", sa.LargeBinary() if sqlite else _Vector(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dataset_vectors")),
    )
    op.create_index("ix_dataset_vectors_dataset_id_collection_id", "dataset_vectors", ["dataset_id", "collection_id"])
    op.create_index("ix_dataset_vectors_collection_id", "dataset_vectors", ["collection_id"])
    op.create_table(
        "dataset_texts",
        sa.Column("id", sa.Integer() if sqlite else sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("data_id", sa.String(length=24), nullable=False),
        sa.Column("team_id", sa.String(length=24), nullable=False),
        sa.Column("dataset_id", sa.String(length=24), nullable=False),
        sa.Column("collection_id", sa.String(length=24), nullable=False),
        sa.Column("tokens", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dataset_texts")),
    )
    op.create_index("ix_dataset_texts_data_id", "dataset_texts", ["data_id"], unique=True)
    op.create_index("ix_dataset_texts_dataset_id_collection_id", "dataset_texts", ["dataset_id", "collection_id"])
    op.create_index("ix_dataset_texts_collection_id", "dataset_texts", ["collection_id"])
    if sqlite:
        op.execute(
            "CREATE VIRTUAL TABLE kbx_texts_fts USING fts5("
            "tokens, dataset_id, content='dataset_texts', content_rowid='id', tokenize='unicode61')"
        )
        insert_new = "INSERT INTO kbx_texts_fts(rowid, tokens, dataset_id) VALUES (new.id, new.tokens, new.dataset_id);"
        delete_old = (
            "INSERT INTO kbx_texts_fts(kbx_texts_fts, rowid, tokens, dataset_id) "
            "VALUES ('delete', old.id, old.tokens, old.dataset_id);"
        )
        op.execute(f"CREATE TRIGGER kbx_texts_ai AFTER INSERT ON dataset_texts BEGIN {insert_new} END")
        op.execute(f"CREATE TRIGGER kbx_texts_ad AFTER DELETE ON dataset_texts BEGIN {delete_old} END")
        op.execute(f"CREATE TRIGGER kbx_texts_au AFTER UPDATE ON dataset_texts BEGIN {delete_old} {insert_new} END")
    else:
        for dim in HNSW_DIMENSIONS:
            op.execute(
                f"CREATE INDEX kbx_vectors_hnsw_{dim} ON dataset_vectors USING hnsw "
                f"((embedding::vector({dim})) vector_ip_ops) WITH (m = 16, ef_construction = 64) "
                f"WHERE dim = {dim}"
            )
        op.execute(
            "ALTER TABLE dataset_texts ADD COLUMN kbx_tsv tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, tokens)) STORED"
        )
        op.execute("CREATE INDEX kbx_texts_tsv_gin ON dataset_texts USING gin (kbx_tsv)")


def downgrade() -> None:
    if _sqlite():
        for trigger in ("kbx_texts_ai", "kbx_texts_ad", "kbx_texts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS kbx_texts_fts")
    op.drop_table("dataset_texts")
    op.drop_table("dataset_vectors")
    # The `vector` extension stays: other databases objects (or the operator) may rely on it.

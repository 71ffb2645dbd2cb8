"""The `dataset_texts` table (one row per data item: its pre-segmented token string).

SQLite indexes it with an external-content FTS5 table `kbx_texts_fts` kept in sync by triggers;
PostgreSQL with a generated `kbx_tsv tsvector('simple')` column and a GIN index. Both are created by
migration 0002 with raw SQL and hidden from autogenerate by
`pyfastgpt.store.vector.tables.include_name` (the `kbx_` prefix).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, String, Table, Text

from pyfastgpt.store.models.base import Base

dataset_texts = Table(
    "dataset_texts",
    Base.metadata,
    # INTEGER PRIMARY KEY on SQLite: a stable rowid for the external-content FTS5 table.
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True),
    Column("data_id", String(24), nullable=False),
    Column("team_id", String(24), nullable=False),
    Column("dataset_id", String(24), nullable=False),
    Column("collection_id", String(24), nullable=False),
    Column("tokens", Text, nullable=False),
    Index("ix_dataset_texts_data_id", "data_id", unique=True),
    Index("ix_dataset_texts_dataset_id_collection_id", "dataset_id", "collection_id"),
    Index("ix_dataset_texts_collection_id", "collection_id"),
)

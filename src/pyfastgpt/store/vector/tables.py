"""The `dataset_vectors` table and the objects that only raw SQL can describe.

One row per vector (the FastGPT `indexes[].dataId` row id), with its team, dataset, collection and
dimension. SQLite stores the vector as a float32 blob; PostgreSQL as an untyped pgvector `vector`
column so every dataset keeps its embedding model's own dimension, with one partial HNSW expression
index per common dimension (`kbx_vectors_hnsw_<dim>`, created by migration 0002) over the rows already
`indexed` (migration 0014), and a partial btree (`kbx_vectors_unindexed`) over the others.

Objects whose names start with `kbx_` (FTS5 tables, the tsvector column, HNSW indexes) are created by
raw SQL and are kept out of `Base.metadata`; `include_name` hides them from autogenerate.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Boolean, Column, Index, Integer, LargeBinary, String, Table, true
from sqlalchemy.dialects.postgresql.base import ischema_names
from sqlalchemy.types import UserDefinedType

from pyfastgpt.store.models.base import Base

RAW_SQL_PREFIX = "kbx_"
HNSW_DIMENSIONS = (384, 512, 1024, 1536)


class PgVector(UserDefinedType[Any]):
    """pgvector's `vector` type (untyped: any dimension). Values travel as text `[x,y,...]`."""

    cache_ok = True

    def __init__(self, dim: int | None = None) -> None:
        self.dim = dim

    def get_col_spec(self, **_kw: Any) -> str:
        return "vector" if self.dim is None else f"vector({self.dim})"


# Reflection of `vector` columns (alembic compare, inspect) knows the type instead of warning.
ischema_names.setdefault("vector", PgVector)

dataset_vectors = Table(
    "dataset_vectors",
    Base.metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("team_id", String(24), nullable=False),
    Column("dataset_id", String(24), nullable=False),
    Column("collection_id", String(24), nullable=False),
    Column("dim", Integer, nullable=False),
    Column("embedding", LargeBinary().with_variant(PgVector(), "postgresql"), nullable=False),
    # PostgreSQL: false until the vector is linked into its HNSW graph (`PgVectorStore.index_pending`);
    # SQLite keeps the default (the embedded store indexes in memory)
    Column("indexed", Boolean, nullable=False, server_default=true()),
    Index("ix_dataset_vectors_dataset_id_collection_id", "dataset_id", "collection_id"),
    Index("ix_dataset_vectors_collection_id", "collection_id"),
)


def hnsw_index_name(dim: int) -> str:
    return f"{RAW_SQL_PREFIX}vectors_hnsw_{dim}"


def include_name(name: str | None, type_: str, _parent_names: Any) -> bool:
    """Alembic `include_name` hook: skip the raw-SQL knowledge-base objects (`kbx_*`)."""
    return not (name or "").startswith(RAW_SQL_PREFIX)

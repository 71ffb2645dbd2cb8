"""Vector index: embedded (SQLite blobs + in-process numpy/HNSW) or pgvector, behind one protocol."""

from __future__ import annotations

from pyfastgpt.core.config import Settings
from pyfastgpt.store.db import Database
from pyfastgpt.store.vector.embedded import HNSW_MIN_VECTORS, EmbeddedVectorStore
from pyfastgpt.store.vector.pgvector import PgVectorStore
from pyfastgpt.store.vector.tables import dataset_vectors, include_name
from pyfastgpt.store.vector.types import VectorDimensionError, VectorHit, VectorRow, VectorStore


def build_vector_store(db: Database, settings: Settings) -> VectorStore:
    """The embedded store on SQLite, pgvector on PostgreSQL."""
    if db.is_sqlite:  # its thresholds are constants measured in bench/search_index.py
        return EmbeddedVectorStore(db)
    return PgVectorStore(db, waiting_max=settings.vectors_waiting_max)


__all__ = [
    "HNSW_MIN_VECTORS",
    "EmbeddedVectorStore",
    "PgVectorStore",
    "VectorDimensionError",
    "VectorHit",
    "VectorRow",
    "VectorStore",
    "build_vector_store",
    "dataset_vectors",
    "include_name",
]

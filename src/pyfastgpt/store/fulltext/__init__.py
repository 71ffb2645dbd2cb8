"""Full-text index over pre-segmented tokens: SQLite FTS5 (embedded) or PostgreSQL tsvector + GIN."""

from __future__ import annotations

from pyfastgpt.store.db import Database
from pyfastgpt.store.fulltext.postgres import PostgresFullTextIndex
from pyfastgpt.store.fulltext.sqlite import SqliteFullTextIndex
from pyfastgpt.store.fulltext.tables import dataset_texts
from pyfastgpt.store.fulltext.types import FullTextIndex, TextHit, TextRow


def build_fulltext_index(db: Database) -> FullTextIndex:
    """FTS5 on SQLite, tsvector('simple') + GIN on PostgreSQL."""
    return SqliteFullTextIndex(db) if db.is_sqlite else PostgresFullTextIndex(db)


__all__ = [
    "FullTextIndex",
    "PostgresFullTextIndex",
    "SqliteFullTextIndex",
    "TextHit",
    "TextRow",
    "build_fulltext_index",
    "dataset_texts",
]

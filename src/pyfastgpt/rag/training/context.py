"""What a training job needs to know about its collection and dataset (loaded per claimed batch)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, Table, select

from pyfastgpt.store.models.dataset import Dataset, DatasetCollection

DATASETS = cast(Table, Dataset.__table__)
COLLECTIONS = cast(Table, DatasetCollection.__table__)
DEFAULT_INDEX_SIZE = 512


@dataclass(frozen=True, slots=True)
class CollectionContext:
    collection_id: str
    name: str
    dataset_id: str
    vector_model: str
    agent_model: str
    chunk_settings: dict[str, Any]

    @property
    def prefix_title(self) -> str | None:
        return self.name if self.chunk_settings.get("indexPrefixTitle") else None

    @property
    def qa_prompt(self) -> str | None:
        value = self.chunk_settings.get("qaPrompt")
        return str(value) if value else None

    def index_size(self, asked: int | None) -> int:
        return int(asked or self.chunk_settings.get("indexSize") or DEFAULT_INDEX_SIZE)


def load_contexts(conn: Connection, collection_ids: Sequence[str]) -> dict[str, CollectionContext]:
    """Live collections (collection and dataset not deleted) among ``collection_ids``."""
    query = (
        select(
            COLLECTIONS.c.id,
            COLLECTIONS.c.name,
            COLLECTIONS.c.chunk_settings,
            DATASETS.c.id.label("dataset_id"),
            DATASETS.c.vector_model,
            DATASETS.c.agent_model,
        )
        .join(DATASETS, DATASETS.c.id == COLLECTIONS.c.dataset_id)
        .where(
            COLLECTIONS.c.id.in_(list(set(collection_ids))),
            COLLECTIONS.c.delete_time.is_(None),
            DATASETS.c.delete_time.is_(None),
        )
    )
    return {
        row.id: CollectionContext(
            collection_id=row.id,
            name=row.name,
            dataset_id=row.dataset_id,
            vector_model=row.vector_model or "",
            agent_model=row.agent_model or "",
            chunk_settings=dict(row.chunk_settings or {}),
        )
        for row in conn.execute(query)
    }

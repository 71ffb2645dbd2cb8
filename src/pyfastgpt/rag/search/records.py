"""Database reads of the search: the datasets and collections in scope, and hit hydration
(vector row ids or data ids → FastGPT quote items), each as one unit of work."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, or_, select

from pyfastgpt.core.clock import iso
from pyfastgpt.rag.search.filters import CollectionRow
from pyfastgpt.store.db import Database
from pyfastgpt.store.models import Dataset, DatasetCollection, DatasetData, DatasetDataIndex

_CHUNK = 500


@dataclass(slots=True)
class DatasetRow:
    id: str
    team_id: str
    vector_model: str
    deleted: bool


@dataclass(slots=True)
class Scope:
    datasets: list[DatasetRow]
    collections: list[CollectionRow]


_DATA_COLUMNS = (
    DatasetData.id,
    DatasetData.team_id,
    DatasetData.dataset_id,
    DatasetData.collection_id,
    DatasetData.q,
    DatasetData.a,
    DatasetData.chunk_index,
    DatasetData.update_time,
    DatasetData.tokens,
    DatasetData.meta.label("data_metadata"),
    DatasetCollection.name,
    DatasetCollection.file_id,
    DatasetCollection.raw_link,
)


def _chunks(values: Sequence[Any]) -> list[list[Any]]:
    return [list(values[i : i + _CHUNK]) for i in range(0, len(values), _CHUNK)]


def quote_of(row: Any) -> dict[str, Any]:
    """FastGPT's `SearchDataResponseItemType` (without `score`), plus `metadata` when set."""
    item: dict[str, Any] = {
        "id": row.id,
        "datasetId": row.dataset_id,
        "collectionId": row.collection_id,
        "sourceName": row.name or "",
        "sourceId": row.file_id or row.raw_link or None,
        "q": row.q,
        "a": row.a or "",
        "chunkIndex": row.chunk_index,
        "updateTime": iso(row.update_time),
    }
    if row.data_metadata is not None:
        item["metadata"] = row.data_metadata
    if row.tokens is not None:
        item["tokens"] = row.tokens  # counted when q and a were written (the token budget reads it)
    return item


class SearchRecords:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def scope(self, dataset_ids: Sequence[str], *, all_collections: bool = True) -> Scope:
        """The requested datasets (whatever their team) and the collections of the existing ones: all
        of them, or (`all_collections=False`) only the forbidden and deleted ones."""
        ids = list(dict.fromkeys(dataset_ids))

        def run(conn: Connection) -> Scope:
            datasets = [
                DatasetRow(r.id, r.team_id, r.vector_model or "", r.delete_time is not None)
                for r in conn.execute(
                    select(Dataset.id, Dataset.team_id, Dataset.vector_model, Dataset.delete_time).where(
                        Dataset.id.in_(ids)
                    )
                )
            ]
            live = [d.id for d in datasets if not d.deleted]
            where: list[ColumnElement[bool]] = [DatasetCollection.dataset_id.in_(live)]
            if not all_collections:
                where.append(or_(DatasetCollection.forbid.is_(True), DatasetCollection.delete_time.is_not(None)))
            collections = [
                CollectionRow(r.id, list(r.tags or []), r.create_time, bool(r.forbid), r.delete_time is not None)
                for r in conn.execute(
                    select(
                        DatasetCollection.id,
                        DatasetCollection.tags,
                        DatasetCollection.create_time,
                        DatasetCollection.forbid,
                        DatasetCollection.delete_time,
                    ).where(*where)
                )
                if live
            ]
            return Scope(datasets, collections)

        return await self.db.run_read(run)

    async def by_index_ids(
        self, team_id: str, dataset_ids: Sequence[str], index_ids: Sequence[int]
    ) -> dict[int, dict[str, Any]]:
        """Vector row id → quote item of its data (only data of `team_id` in `dataset_ids`)."""
        if not index_ids:
            return {}
        datasets = set(dataset_ids)
        # look rows up by primary key only and check team / dataset here: with a `dataset_id IN (…)`
        # condition SQLite's planner scans the dataset index instead (hundreds of ms at 100k rows)
        stmt = (
            select(DatasetDataIndex.id.label("index_id"), *_DATA_COLUMNS)
            .select_from(DatasetDataIndex)
            .join(DatasetData, DatasetData.id == DatasetDataIndex.data_id)
            .join(DatasetCollection, DatasetCollection.id == DatasetData.collection_id)
        )

        def run(conn: Connection) -> dict[int, dict[str, Any]]:
            found: dict[int, dict[str, Any]] = {}
            for part in _chunks(list(dict.fromkeys(index_ids))):
                for row in conn.execute(stmt.where(DatasetDataIndex.id.in_(part))):
                    if row.team_id == team_id and row.dataset_id in datasets:
                        found[int(row.index_id)] = quote_of(row)
            return found

        return await self.db.run_read(run)

    async def by_data_ids(
        self, team_id: str, dataset_ids: Sequence[str], data_ids: Sequence[str]
    ) -> dict[str, dict[str, Any]]:
        """Data id → quote item (only data of `team_id` in `dataset_ids`)."""
        if not data_ids:
            return {}
        datasets = set(dataset_ids)
        stmt = (
            select(*_DATA_COLUMNS)
            .select_from(DatasetData)
            .join(DatasetCollection, DatasetCollection.id == DatasetData.collection_id)
        )

        def run(conn: Connection) -> dict[str, dict[str, Any]]:
            found: dict[str, dict[str, Any]] = {}
            for part in _chunks(list(dict.fromkeys(data_ids))):
                for row in conn.execute(stmt.where(DatasetData.id.in_(part))):
                    if row.team_id == team_id and row.dataset_id in datasets:
                        found[row.id] = quote_of(row)
            return found

        return await self.db.run_read(run)

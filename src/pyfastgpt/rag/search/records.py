"""Database reads of the search: the datasets and collections in scope, and hit hydration
(vector row ids or data ids → FastGPT quote items), each as one unit of work."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, bindparam, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from pyfastgpt.core.clock import iso
from pyfastgpt.rag.search.filters import CollectionRow
from pyfastgpt.store.db import Database
from pyfastgpt.store.models import Dataset, DatasetCollection, DatasetData, DatasetDataIndex
from pyfastgpt.store.prepared import Prepared

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


def quote_of(values: Sequence[Any]) -> dict[str, Any]:
    """FastGPT's `SearchDataResponseItemType` (without `score`), plus `metadata` when set, from the
    values of `_DATA_COLUMNS` in their order."""
    data_id, _team, dataset_id, collection_id, q, a, chunk_index, update_time, tokens, metadata, name, file_id, link = (
        values
    )
    item: dict[str, Any] = {
        "id": data_id,
        "datasetId": dataset_id,
        "collectionId": collection_id,
        "sourceName": name or "",
        "sourceId": file_id or link or None,
        "q": q,
        "a": a or "",
        "chunkIndex": chunk_index,
        "updateTime": iso(update_time),
    }
    if metadata is not None:
        item["metadata"] = metadata
    if tokens is not None:
        item["tokens"] = tokens  # counted when q and a were written (the token budget reads it)
    return item


_TEAM, _DATASET = 1, 2  # positions in `_DATA_COLUMNS`
_SIZES = (8, 32, 128, _CHUNK)  # IN-list lengths compiled: a part is padded up to the next one with its last key


class KeyedRead:
    """`statement` for the rows whose `key` is in a list, `Prepared` once per IN-list length of `_SIZES`
    (SQLAlchemy's per-call statement building and row handling cost more than SQLite's lookups of a hit list)."""

    def __init__(self, statement: Select[*tuple[Any, ...]], key: InstrumentedAttribute[Any]) -> None:
        self._select = statement
        self._key = key
        self._statements: dict[int, tuple[Prepared, tuple[str, ...]]] = {}

    def _statement(self, size: int) -> tuple[Prepared, tuple[str, ...]]:
        found = self._statements.get(size)
        if found is None:
            names = tuple(f"key_{i}" for i in range(size))
            binds = [bindparam(name, type_=self._key.type) for name in names]
            found = self._statements[size] = (Prepared(self._select.where(self._key.in_(binds))), names)
        return found

    def rows(self, conn: Connection, keys: Sequence[Any]) -> list[tuple[Any, ...]]:
        """The rows of the distinct `keys`, in no particular order."""
        rows: list[tuple[Any, ...]] = []
        for part in _chunks(list(dict.fromkeys(keys))):
            size = next(size for size in _SIZES if size >= len(part))
            statement, names = self._statement(size)
            padded = part + [part[-1]] * (size - len(part))
            rows += statement.all(conn, dict(zip(names, padded, strict=True)))
        return rows


# Rows are looked up by primary key only, team and dataset are checked here: with a `dataset_id IN (…)`
# condition SQLite's planner scans the dataset index instead (hundreds of ms at 100k rows).
BY_INDEX_IDS = KeyedRead(
    select(DatasetDataIndex.id, *_DATA_COLUMNS)
    .select_from(DatasetDataIndex)
    .join(DatasetData, DatasetData.id == DatasetDataIndex.data_id)
    .join(DatasetCollection, DatasetCollection.id == DatasetData.collection_id),
    DatasetDataIndex.id,
)
BY_DATA_IDS = KeyedRead(
    select(*_DATA_COLUMNS)
    .select_from(DatasetData)
    .join(DatasetCollection, DatasetCollection.id == DatasetData.collection_id),
    DatasetData.id,
)
DATASETS = KeyedRead(select(Dataset.id, Dataset.team_id, Dataset.vector_model, Dataset.delete_time), Dataset.id)
_COLLECTIONS = select(
    DatasetCollection.id,
    DatasetCollection.tags,
    DatasetCollection.create_time,
    DatasetCollection.forbid,
    DatasetCollection.delete_time,
)
COLLECTIONS_OF = KeyedRead(_COLLECTIONS, DatasetCollection.dataset_id)
HIDDEN_COLLECTIONS_OF = KeyedRead(  # only the forbidden and the deleted ones
    _COLLECTIONS.where(or_(DatasetCollection.forbid.is_(True), DatasetCollection.delete_time.is_not(None))),
    DatasetCollection.dataset_id,
)


class SearchRecords:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def scope(self, dataset_ids: Sequence[str], *, all_collections: bool = True) -> Scope:
        """The requested datasets (whatever their team) and the collections of the existing ones: all
        of them, or (`all_collections=False`) only the forbidden and deleted ones."""
        ids = list(dict.fromkeys(dataset_ids))

        def run(conn: Connection) -> Scope:
            datasets = [
                DatasetRow(i, team, model or "", deleted is not None)
                for i, team, model, deleted in DATASETS.rows(conn, ids)
            ]
            live = [d.id for d in datasets if not d.deleted]
            read = COLLECTIONS_OF if all_collections else HIDDEN_COLLECTIONS_OF
            collections = [
                CollectionRow(i, list(tags or []), created, bool(forbid), deleted is not None)
                for i, tags, created, forbid, deleted in (read.rows(conn, live) if live else ())
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

        def run(conn: Connection) -> dict[int, dict[str, Any]]:
            return {
                int(row[0]): quote_of(row[1:])
                for row in BY_INDEX_IDS.rows(conn, index_ids)
                if row[1 + _TEAM] == team_id and row[1 + _DATASET] in datasets
            }

        return await self.db.run_read(run)

    async def by_data_ids(
        self, team_id: str, dataset_ids: Sequence[str], data_ids: Sequence[str]
    ) -> dict[str, dict[str, Any]]:
        """Data id → quote item (only data of `team_id` in `dataset_ids`)."""
        if not data_ids:
            return {}
        datasets = set(dataset_ids)

        def run(conn: Connection) -> dict[str, dict[str, Any]]:
            return {
                row[0]: quote_of(row)
                for row in BY_DATA_IDS.rows(conn, data_ids)
                if row[_TEAM] == team_id and row[_DATASET] in datasets
            }

        return await self.db.run_read(run)

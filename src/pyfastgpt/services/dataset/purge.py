"""Removing datasets, collections and data together with their vectors, texts and jobs (one txn)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from sqlalchemy import Connection, Table, delete, select

from pyfastgpt.rag.training.chunk import ADD_DATA_AMOUNT
from pyfastgpt.rag.training.queue import delete_jobs
from pyfastgpt.services.dataset.kb import KnowledgeBase
from pyfastgpt.store.models.dataset import Dataset, DatasetCollection, DatasetData, DatasetDataIndex

DATASETS = cast(Table, Dataset.__table__)
COLLECTIONS = cast(Table, DatasetCollection.__table__)
DATA = cast(Table, DatasetData.__table__)
INDEXES = cast(Table, DatasetDataIndex.__table__)


def descendants(conn: Connection, table: object, ids: Sequence[str], **scope: str) -> list[str]:
    """``ids`` and everything below them through ``parent_id``."""
    tbl = DATASETS if table == "datasets" else COLLECTIONS
    found = list(dict.fromkeys(ids))
    frontier = list(found)
    while frontier:
        query = select(tbl.c.id).where(tbl.c.parent_id.in_(frontier))
        for column, value in scope.items():
            query = query.where(tbl.c[column] == value)
        frontier = [row for row in conn.execute(query).scalars() if row not in found]
        found += frontier
    return found


def purge_datasets(kb: KnowledgeBase, conn: Connection, dataset_ids: Sequence[str]) -> None:
    ids = list(dataset_ids)
    delete_jobs(conn, dataset_ids=ids)
    kb.vectors.remove(conn, dataset_ids=ids)
    kb.texts.remove(conn, dataset_ids=ids)
    conn.execute(delete(INDEXES).where(INDEXES.c.dataset_id.in_(ids)))
    conn.execute(delete(DATA).where(DATA.c.dataset_id.in_(ids)))
    conn.execute(delete(COLLECTIONS).where(COLLECTIONS.c.dataset_id.in_(ids)))
    conn.execute(delete(DATASETS).where(DATASETS.c.id.in_(ids)))


def purge_collections(kb: KnowledgeBase, conn: Connection, collection_ids: Sequence[str]) -> None:
    ids = list(collection_ids)
    delete_jobs(conn, collection_ids=ids)
    kb.vectors.remove(conn, collection_ids=ids)
    kb.texts.remove(conn, collection_ids=ids)
    conn.execute(delete(INDEXES).where(INDEXES.c.collection_id.in_(ids)))
    conn.execute(delete(DATA).where(DATA.c.collection_id.in_(ids)))
    conn.execute(delete(COLLECTIONS).where(COLLECTIONS.c.id.in_(ids)))


def purge_data(kb: KnowledgeBase, conn: Connection, data_id: str) -> list[int]:
    index_ids = [int(i) for i in conn.execute(select(INDEXES.c.id).where(INDEXES.c.data_id == data_id)).scalars()]
    if index_ids:
        kb.vectors.remove(conn, ids=index_ids)
    kb.texts.remove(conn, data_ids=[data_id])
    conn.execute(delete(INDEXES).where(INDEXES.c.data_id == data_id))
    gone = conn.execute(delete(DATA).where(DATA.c.id == data_id).returning(DATA.c.collection_id)).scalars().all()
    for collection_id in gone:
        ADD_DATA_AMOUNT.execute(conn, {"id": collection_id, "added": -1})
    return index_ids

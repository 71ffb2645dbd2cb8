"""Embedded vector store: float32 blobs in SQLite, searched in memory (numpy exact / HNSW when large).

Each dataset's vectors are loaded from SQLite on its first search (so a fresh process finds
everything) and kept in sync by `committed(...)`, which the caller invokes only after its transaction
committed: a rolled-back write never reaches memory. Searches run in worker threads (numpy releases
the GIL), so a 100k-vector matmul does not block the event loop. Datasets above `hnsw_threshold`
vectors get an HNSW graph built in the background; until it is ready they are searched exactly.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import numpy as np
from sqlalchemy import Connection, bindparam, delete, func, insert, or_, select

from pyfastgpt.store.db import Database
from pyfastgpt.store.prepared import Prepared
from pyfastgpt.store.vector.memory import DatasetIndex
from pyfastgpt.store.vector.tables import dataset_vectors
from pyfastgpt.store.vector.types import (
    VectorDimensionError,
    VectorHit,
    VectorRow,
    as_unit_vector,
    check_dimensions,
)

HNSW_MIN_VECTORS = 20_000  # a dataset this large gets an HNSW graph; filtered sets this small stay exact
Op = Callable[[DatasetIndex], None]


# Statements of every training batch's write, run on the DB-API cursor (see `Prepared`).
STORED_DIM = Prepared(
    select(dataset_vectors.c.dim).where(dataset_vectors.c.dataset_id == bindparam("dataset_id")).limit(1)
)
UPSERT_VECTORS = Prepared(insert(dataset_vectors).prefix_with("OR REPLACE"))


def _stored_dims(conn: Connection, dataset_ids: Sequence[str]) -> dict[str, int]:
    dims: dict[str, int] = {}
    for dataset_id in dataset_ids:
        row = STORED_DIM.first(conn, {"dataset_id": dataset_id})
        if row is not None:
            dims[dataset_id] = int(row[0])
    return dims


def remove_vectors(
    conn: Connection,
    ids: Sequence[int] | None,
    collection_ids: Sequence[str] | None,
    dataset_ids: Sequence[str] | None,
) -> None:
    conditions = []
    if ids:
        conditions.append(dataset_vectors.c.id.in_([int(i) for i in ids]))
    if collection_ids:
        conditions.append(dataset_vectors.c.collection_id.in_(list(collection_ids)))
    if dataset_ids:
        conditions.append(dataset_vectors.c.dataset_id.in_(list(dataset_ids)))
    if conditions:
        conn.execute(delete(dataset_vectors).where(or_(*conditions)))


class EmbeddedVectorStore:
    def __init__(self, db: Database, *, hnsw_threshold: int = HNSW_MIN_VECTORS) -> None:
        self._db = db
        self.hnsw_threshold = hnsw_threshold
        self._lock = threading.Lock()  # guards the three dicts below
        self._indexes: dict[str, DatasetIndex] = {}
        self._pending: dict[str, list[Op]] = {}  # datasets being loaded -> changes committed meanwhile
        self._loads: dict[str, asyncio.Future[DatasetIndex]] = {}
        self._builds: dict[str, Future[None]] = {}
        self._search_threads = ThreadPoolExecutor(max_workers=2, thread_name_prefix="vector-search")
        self._build_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vector-hnsw")

    # -- writes in the caller's transaction ---------------------------------------------------------------
    def add(self, conn: Connection, rows: Sequence[VectorRow]) -> None:
        if not rows:
            return
        datasets = sorted({row.dataset_id for row in rows})
        with self._lock:
            known = {d: idx.dim for d in datasets if (idx := self._indexes.get(d)) is not None and idx.dim and idx.size}
        missing = [d for d in datasets if d not in known]
        known.update(_stored_dims(conn, missing))
        check_dimensions(rows, {d: dim for d, dim in known.items() if dim is not None})
        values = [
            {
                "id": int(row.id),
                "team_id": row.team_id,
                "dataset_id": row.dataset_id,
                "collection_id": row.collection_id,
                "dim": int(np.asarray(row.vector).shape[0]),
                "embedding": as_unit_vector(row.vector).tobytes(),
            }
            for row in rows
        ]
        UPSERT_VECTORS.execute_many(conn, values)

    def remove(
        self,
        conn: Connection,
        *,
        ids: Sequence[int] | None = None,
        collection_ids: Sequence[str] | None = None,
        dataset_ids: Sequence[str] | None = None,
    ) -> None:
        remove_vectors(conn, ids, collection_ids, dataset_ids)

    # -- memory after commit --------------------------------------------------------------------------
    def committed(
        self,
        added: Sequence[VectorRow],
        removed_ids: Sequence[int] = (),
        removed_collections: Sequence[str] = (),
        removed_datasets: Sequence[str] = (),
    ) -> None:
        ops: dict[str | None, list[Op]] = {}  # None: applies to every dataset
        if removed_datasets:
            with self._lock:
                for dataset_id in removed_datasets:
                    self._indexes.pop(dataset_id, None)
                    if dataset_id in self._pending:
                        self._pending[dataset_id].append(_clear)
        if removed_ids:
            ids = [int(i) for i in removed_ids]
            ops.setdefault(None, []).append(lambda index: index.remove_ids(ids))
        if removed_collections:
            collections = list(removed_collections)
            ops.setdefault(None, []).append(lambda index: index.remove_collections(collections))
        by_dataset: dict[str, list[VectorRow]] = {}
        for row in added:
            by_dataset.setdefault(row.dataset_id, []).append(row)
        for dataset_id, rows in by_dataset.items():
            ops.setdefault(dataset_id, []).append(_upsert_op(rows))
        grown: list[DatasetIndex] = []
        with self._lock:
            for dataset_id, pending in self._pending.items():
                pending.extend(ops.get(None, []) + ops.get(dataset_id, []))
            for dataset_id, index in self._indexes.items():
                todo = ops.get(None, []) + ops.get(dataset_id, [])
                if todo:
                    with index.lock.write():
                        for op in todo:
                            op(index)
                    grown.append(index)
        for index in grown:
            self._maybe_build(index)

    # -- search -------------------------------------------------------------------------------------------
    async def search(
        self,
        *,
        team_id: str,
        dataset_ids: Sequence[str],
        query: np.ndarray[Any, Any],
        limit: int,
        collection_ids: Sequence[str] | None = None,
        forbid_collection_ids: Sequence[str] = (),
    ) -> list[VectorHit]:
        if not dataset_ids or limit <= 0:
            return []
        q = as_unit_vector(query, what="query vector")
        indexes = [await self._index(dataset_id) for dataset_id in dict.fromkeys(dataset_ids)]
        for index in indexes:
            if index.dim is not None and index.size and index.dim != q.shape[0]:
                raise VectorDimensionError(
                    f"query has dimension {q.shape[0]}, dataset {index.dataset_id} stores dimension {index.dim}"
                )

        def run() -> list[VectorHit]:
            hits: list[tuple[int, float]] = []
            for index in indexes:
                with index.lock.read():
                    mask = index.allowed_mask(team_id, collection_ids, forbid_collection_ids)
                    if mask is not False:
                        row_mask = None if mask is None or mask is True else mask
                        hits.extend(index.search(q, limit, row_mask, self.hnsw_threshold))
            hits.sort(key=lambda hit: -hit[1])
            return [VectorHit(id=vector_id, score=score) for vector_id, score in hits[:limit]]

        return await asyncio.get_running_loop().run_in_executor(self._search_threads, run)

    async def count(self, dataset_id: str) -> int:
        with self._lock:
            index = self._indexes.get(dataset_id)
        if index is not None:
            return index.size
        stmt = select(func.count()).select_from(dataset_vectors).where(dataset_vectors.c.dataset_id == dataset_id)
        return int(await self._db.run_read(lambda conn: conn.execute(stmt).scalar_one()))

    async def index_pending(self, batch: int = 0) -> int:
        """Nothing waits here: a dataset's graph is built in memory once it is large enough."""
        del batch
        return 0

    # -- loading and HNSW builds ---------------------------------------------------------------------
    async def _index(self, dataset_id: str) -> DatasetIndex:
        with self._lock:
            index = self._indexes.get(dataset_id)
            if index is not None:
                return index
            load = self._loads.get(dataset_id)
            if load is None:
                self._pending[dataset_id] = []
                load = self._loads[dataset_id] = asyncio.ensure_future(self._load(dataset_id))
        return await asyncio.shield(load)

    async def _load(self, dataset_id: str) -> DatasetIndex:
        stmt = select(
            dataset_vectors.c.id,
            dataset_vectors.c.team_id,
            dataset_vectors.c.collection_id,
            dataset_vectors.c.dim,
            dataset_vectors.c.embedding,
        ).where(dataset_vectors.c.dataset_id == dataset_id)

        def read(conn: Connection) -> DatasetIndex:
            rows = conn.execute(stmt).all()
            dim = int(rows[0][3]) if rows else None
            index = DatasetIndex(dataset_id, dim, capacity=max(64, len(rows)))
            if rows:
                matrix = np.frombuffer(b"".join(row[4] for row in rows), dtype=np.float32).reshape(len(rows), -1)
                index.upsert([int(r[0]) for r in rows], [r[1] for r in rows], [r[2] for r in rows], matrix)
            return index

        try:
            index = await self._db.run_read(read)
            with self._lock:
                for op in self._pending.pop(dataset_id, []):
                    with index.lock.write():
                        op(index)
                self._indexes[dataset_id] = index
        finally:
            with self._lock:
                self._pending.pop(dataset_id, None)
                self._loads.pop(dataset_id, None)
        self._maybe_build(index)
        return index

    def _maybe_build(self, index: DatasetIndex) -> None:
        if index.hnsw is not None or index.size < self.hnsw_threshold or index.dim is None:
            return
        with self._lock:
            if index.dataset_id in self._builds or self._indexes.get(index.dataset_id) is not index:
                return
            self._builds[index.dataset_id] = self._build_thread.submit(self._build, index)

    def _build(self, index: DatasetIndex) -> None:
        try:
            with index.lock.write():
                vectors, ids = index.snapshot()
                index.dirty = set()
                dim = index.dim
            assert dim is not None
            graph = DatasetIndex.build_graph(dim, vectors, ids)
            with index.lock.write():
                index.attach_graph(graph, ids)
        finally:
            with self._lock:
                self._builds.pop(index.dataset_id, None)

    def has_graph(self, dataset_id: str) -> bool:
        """Whether the dataset is loaded with a ready HNSW graph (tests and benchmarks)."""
        with self._lock:
            index = self._indexes.get(dataset_id)
        return index is not None and index.hnsw is not None

    async def wait_for_builds(self) -> None:
        """Wait until every HNSW build under way has finished (tests and benchmarks)."""
        while True:
            with self._lock:
                builds = list(self._builds.values())
            if not builds:
                return
            await asyncio.gather(*(asyncio.wrap_future(build) for build in builds))

    async def close(self) -> None:
        await self.wait_for_builds()
        self._search_threads.shutdown(wait=True)
        self._build_thread.shutdown(wait=True)
        with self._lock:
            self._indexes.clear()


def _clear(index: DatasetIndex) -> None:
    index.remove_ids(list(index.pos))


def _upsert_op(rows: Sequence[VectorRow]) -> Op:
    ids = [int(row.id) for row in rows]
    teams = [row.team_id for row in rows]
    collections = [row.collection_id for row in rows]
    matrix = np.stack([as_unit_vector(row.vector) for row in rows])

    def apply(index: DatasetIndex) -> None:
        if index.dim is not None and index.size and matrix.shape[1] != index.dim:
            return  # refused by add(); never committed
        index.upsert(ids, teams, collections, matrix)

    return apply

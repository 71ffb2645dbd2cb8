"""The vector store contract, run against the embedded store (SQLite) and pgvector (PostgreSQL)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import numpy as np
import pytest
from sqlalchemy import Connection, func, select

from pyfastgpt.core.config import Settings
from pyfastgpt.store.db import Database
from pyfastgpt.store.vector import (
    EmbeddedVectorStore,
    VectorDimensionError,
    VectorRow,
    VectorStore,
    build_vector_store,
    dataset_vectors,
)
from tests.store.vector.support import BACKENDS, database_url, exact_top, migrated, unit_rows

DIM = 384


class Harness:
    def __init__(self, db: Database, store: VectorStore) -> None:
        self.db = db
        self.store = store

    def reopen(self) -> VectorStore:
        """A new store object on the same database (a process restart)."""
        if isinstance(self.store, EmbeddedVectorStore):
            return EmbeddedVectorStore(self.db, hnsw_threshold=self.store.hnsw_threshold)
        return build_vector_store(self.db, Settings())

    async def add(self, rows: list[VectorRow]) -> None:
        await self.db.run_write(lambda conn: self.store.add(conn, rows))
        self.store.committed(rows)

    async def remove(self, **kwargs: list[int] | list[str]) -> None:
        await self.db.run_write(lambda conn: self.store.remove(conn, **kwargs))  # type: ignore[arg-type]
        self.store.committed(
            [],
            removed_ids=kwargs.get("ids", ()),  # type: ignore[arg-type]
            removed_collections=kwargs.get("collection_ids", ()),  # type: ignore[arg-type]
            removed_datasets=kwargs.get("dataset_ids", ()),  # type: ignore[arg-type]
        )

    async def ids(self, team: str, datasets: list[str], query: np.ndarray, limit: int = 100, **kw: object) -> list[int]:
        hits = await self.store.search(team_id=team, dataset_ids=datasets, query=query, limit=limit, **kw)  # type: ignore[arg-type]
        return [hit.id for hit in hits]


@pytest.fixture(params=BACKENDS)
async def harness(request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
    db = await migrated(database_url(request.param, request))
    # A low HNSW threshold so the embedded graph path (and its filters) runs at test sizes.
    store = EmbeddedVectorStore(db, hnsw_threshold=1000) if db.is_sqlite else build_vector_store(db, Settings())
    yield Harness(db, store)
    await store.close()
    await db.dispose()


def rows_for(ids: range, vectors: np.ndarray, *, team: str = "t1", dataset: str = "d1", collection: str = "c1"):
    return [
        VectorRow(id=i, team_id=team, dataset_id=dataset, collection_id=collection, vector=v)
        for i, v in zip(ids, vectors, strict=True)
    ]


async def test_add_search_and_remove_by_ids_collections_and_datasets(harness: Harness) -> None:
    rng = np.random.default_rng(1)
    vectors = unit_rows(rng, 30, DIM)
    await harness.add(rows_for(range(1, 11), vectors[:10], collection="c1"))
    await harness.add(rows_for(range(11, 21), vectors[10:20], collection="c2"))
    await harness.add(rows_for(range(21, 31), vectors[20:30], dataset="d2", collection="c3"))

    hits = await harness.store.search(team_id="t1", dataset_ids=["d1"], query=vectors[4], limit=3)
    assert hits[0].id == 5 and hits[0].score == pytest.approx(1.0, abs=1e-4)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert set(await harness.ids("t1", ["d1"], vectors[0])) == set(range(1, 21))
    assert set(await harness.ids("t1", ["d1", "d2"], vectors[0])) == set(range(1, 31))
    assert await harness.store.count("d1") == 20

    await harness.remove(ids=[1, 2])
    assert set(await harness.ids("t1", ["d1"], vectors[0])) == set(range(3, 21))
    await harness.remove(collection_ids=["c2"])
    assert set(await harness.ids("t1", ["d1"], vectors[0])) == set(range(3, 11))
    await harness.remove(dataset_ids=["d2"])
    assert await harness.ids("t1", ["d2"], vectors[25]) == []
    assert await harness.store.count("d2") == 0
    assert set(await harness.ids("t1", ["d1"], vectors[0])) == set(range(3, 11))
    # re-adding an id replaces its vector
    await harness.add(rows_for(range(3, 4), vectors[25:26]))
    assert (await harness.ids("t1", ["d1"], vectors[25], limit=1)) == [3]
    assert await harness.store.count("d1") == 8


async def test_team_and_dataset_isolation(harness: Harness) -> None:
    rng = np.random.default_rng(2)
    vectors = unit_rows(rng, 20, DIM)
    await harness.add(rows_for(range(100, 110), vectors[:10], team="ta", dataset="da"))
    await harness.add(rows_for(range(110, 120), vectors[10:], team="tb", dataset="db"))
    assert set(await harness.ids("ta", ["da"], vectors[12])) == set(range(100, 110))
    assert await harness.ids("ta", ["db"], vectors[12]) == []  # another team's dataset
    assert set(await harness.ids("ta", ["da", "db"], vectors[12])) == set(range(100, 110))
    assert await harness.ids("ta", ["nope"], vectors[0]) == []


async def test_collection_and_forbid_filters(harness: Harness) -> None:
    rng = np.random.default_rng(3)
    vectors = unit_rows(rng, 30, DIM)
    for n, collection in enumerate(("c1", "c2", "c3")):
        await harness.add(rows_for(range(n * 10, n * 10 + 10), vectors[n * 10 : n * 10 + 10], collection=collection))
    assert set(await harness.ids("t1", ["d1"], vectors[0], collection_ids=["c2"])) == set(range(10, 20))
    assert await harness.ids("t1", ["d1"], vectors[0], collection_ids=[]) == []
    assert set(await harness.ids("t1", ["d1"], vectors[0], forbid_collection_ids=["c1", "c3"])) == set(range(10, 20))
    got = await harness.ids("t1", ["d1"], vectors[0], collection_ids=["c1", "c2"], forbid_collection_ids=["c1"])
    assert set(got) == set(range(10, 20))


async def test_restart_finds_everything(harness: Harness) -> None:
    rng = np.random.default_rng(4)
    vectors = unit_rows(rng, 40, DIM)
    await harness.add(rows_for(range(1, 41), vectors))
    await harness.remove(ids=[7])
    fresh = harness.reopen()
    try:
        assert await fresh.count("d1") == 39
        got = await fresh.search(team_id="t1", dataset_ids=["d1"], query=vectors[9], limit=5)
        assert got[0].id == 10
        assert 7 not in {h.id for h in await fresh.search(team_id="t1", dataset_ids=["d1"], query=vectors[6], limit=40)}
    finally:
        await fresh.close()


async def test_rolled_back_writes_leave_no_trace(harness: Harness) -> None:
    rng = np.random.default_rng(5)
    vectors = unit_rows(rng, 10, DIM)
    await harness.add(rows_for(range(1, 6), vectors[:5]))
    assert len(await harness.ids("t1", ["d1"], vectors[0])) == 5  # loaded in memory now

    def failing(conn: Connection) -> None:
        harness.store.add(conn, rows_for(range(6, 11), vectors[5:]))
        harness.store.remove(conn, ids=[1])
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await harness.db.run_write(failing)
    # the caller calls committed() only after a commit: nothing reaches memory or disk
    assert set(await harness.ids("t1", ["d1"], vectors[7])) == set(range(1, 6))
    stored = await harness.db.run_read(lambda c: c.execute(select(func.count()).select_from(dataset_vectors)).scalar())
    assert stored == 5
    fresh = harness.reopen()
    try:
        assert {h.id for h in await fresh.search(team_id="t1", dataset_ids=["d1"], query=vectors[7], limit=10)} == set(
            range(1, 6)
        )
    finally:
        await fresh.close()


async def test_wrong_dimension_is_refused(harness: Harness) -> None:
    rng = np.random.default_rng(6)
    await harness.add(rows_for(range(1, 4), unit_rows(rng, 3, DIM)))
    with pytest.raises(VectorDimensionError, match="dimension 512"):
        await harness.db.run_write(lambda conn: harness.store.add(conn, rows_for(range(4, 5), unit_rows(rng, 1, 512))))
    with pytest.raises(VectorDimensionError, match="query has dimension 128"):
        await harness.store.search(team_id="t1", dataset_ids=["d1"], query=unit_rows(rng, 1, 128)[0], limit=3)
    # another dataset may use another model's dimension
    await harness.add(rows_for(range(10, 13), unit_rows(rng, 3, 512), dataset="d512"))
    assert len(await harness.ids("t1", ["d512"], unit_rows(rng, 1, 512)[0])) == 3


async def test_small_and_large_datasets_inside_a_bigger_store_keep_recall(harness: Harness) -> None:
    """100 datasets: one of 1,200 vectors (~30 %) and 99 of 30 (< 1 %); recall@10 vs exact >= 0.95.

    Small enough to keep the suite fast (pgvector inserts into HNSW cost ms per row here), large enough
    that the HNSW paths run: the embedded store builds its graph above 1,000 vectors in this test and
    pgvector's 384-d rows are read while they wait for their HNSW graph, half linked, and all linked."""
    rng = np.random.default_rng(7)
    centers = unit_rows(rng, 200, DIM)
    sizes = [1200] + [30] * 99
    matrix = unit_rows(rng, sum(sizes), DIM, centers)
    ids = np.arange(1, len(matrix) + 1)
    datasets = np.repeat([f"ds{i:03d}" for i in range(len(sizes))], sizes)
    collections = np.array([f"col{i % 20:02d}" for i in range(len(matrix))])
    rows = [
        VectorRow(id=int(i), team_id="t1", dataset_id=str(d), collection_id=str(c), vector=v)
        for i, d, c, v in zip(ids, datasets, collections, matrix, strict=True)
    ]
    for start in range(0, len(rows), 2000):
        await harness.add(rows[start : start + 2000])
    queries = unit_rows(rng, 20, DIM, centers)
    if isinstance(harness.store, EmbeddedVectorStore):
        await harness.ids("t1", ["ds000"], queries[0])  # load, then let the HNSW graph finish
        await harness.store.wait_for_builds()
        assert harness.store.has_graph("ds000") and not harness.store.has_graph("ds042")

    async def recall(dataset: str, forbid: tuple[str, ...] = ()) -> float:
        keep = (datasets == dataset) & ~np.isin(collections, forbid)
        found = 0
        for q in queries:
            truth = exact_top(matrix[keep], ids[keep], q, 10)
            got = await harness.ids("t1", [dataset], q, limit=10, forbid_collection_ids=forbid)
            assert len(got) == 10
            found += len(set(truth) & set(got))
        return found / (10 * len(queries))

    # pgvector: every row waiting for its graph, about half linked (8 × 256 of 4,170), then all linked
    for batches in (0, 8, len(rows)):
        for _ in range(batches):
            if not await harness.store.index_pending(batch=256):
                break
        assert await recall("ds042") >= 0.95
        assert await recall("ds000") >= 0.95
        assert await recall("ds000", forbid=("col01", "col02")) >= 0.95
        assert await recall("ds000", forbid=tuple(f"col{i:02d}" for i in range(2, 20))) >= 0.95  # small filtered set

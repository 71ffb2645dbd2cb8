"""pgvector specifics: vectors travel in pgvector's binary format and are stored bit for bit; vectors wait
for their HNSW graph (within a bound) and are found meanwhile."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import Connection, text

from pyfastgpt.core.config import Settings
from pyfastgpt.store.vector import PgVectorStore, VectorRow, build_vector_store
from pyfastgpt.store.vector.pgvector import SEARCH_SETTINGS, decode_vector, encode_vector, search_sql, vector_literal
from pyfastgpt.store.vector.types import as_unit_vector
from tests.store.vector.support import database_url, exact_top, migrated, unit_rows


def stored(conn: Connection) -> dict[int, bytes]:
    """The stored vectors' float32 bits, read back through their text form (no codec involved)."""
    rows = conn.execute(text("SELECT id, embedding::text FROM dataset_vectors ORDER BY id"))
    return {int(i): np.array(value.strip("[]").split(","), dtype=np.float32).tobytes() for i, value in rows}


def test_binary_form_round_trips() -> None:
    vector = unit_rows(np.random.default_rng(1), 1, 384)[0]
    data = encode_vector(vector)
    assert len(data) == 4 + 4 * 384 and data[:4] == b"\x01\x80\x00\x00"  # dim 384, unused 0
    assert np.array_equal(decode_vector(data), vector)


async def test_vectors_are_stored_exactly_on_every_connection(request: pytest.FixtureRequest) -> None:
    db = await migrated(database_url("pg", request))
    store = PgVectorStore(db)
    vectors = unit_rows(np.random.default_rng(2), 4, 384) * 3  # stored scaled to unit length

    def add(i: int) -> Awaitable[None]:
        row = VectorRow(i, "t", "d", "c", vectors[i])
        return db.run_write(lambda conn: store.add(conn, [row]))

    try:
        await asyncio.gather(add(0), add(1), add(2))  # on pooled connections at once
        vectors[0] = -vectors[3]
        await add(0)  # replaced
        assert await db.run_read(stored) == {i: as_unit_vector(vectors[i]).tobytes() for i in range(3)}
        hits = await store.search(team_id="t", dataset_ids=["d"], query=vectors[2], limit=1)
        assert hits[0].id == 2 and hits[0].score == pytest.approx(1.0, abs=1e-6)
    finally:
        await store.close()
        await db.dispose()


def linked(conn: Connection) -> dict[int, bool]:
    return {int(i): bool(flag) for i, flag in conn.execute(text("SELECT id, indexed FROM dataset_vectors"))}


async def test_vectors_wait_for_their_graph_within_the_bound_and_are_found_meanwhile(
    request: pytest.FixtureRequest,
) -> None:
    db = await migrated(database_url("pg", request))
    store = PgVectorStore(db, waiting_max=40)
    rng = np.random.default_rng(3)
    vectors = unit_rows(rng, 60, 384)

    async def add(ids: range, dim_vectors: np.ndarray, dataset: str = "d") -> None:
        rows = [VectorRow(i, "t", dataset, "c", v) for i, v in zip(ids, dim_vectors, strict=True)]
        await db.run_write(lambda conn: store.add(conn, rows))

    async def top(query: np.ndarray, dataset: str = "d") -> list[int]:
        return [hit.id for hit in await store.search(team_id="t", dataset_ids=[dataset], query=query, limit=10)]

    try:
        await add(range(30), vectors[:30])
        await add(range(100, 105), unit_rows(rng, 5, 768), dataset="d768")  # no graph for 768-d: linked at once
        await add(range(30, 45), vectors[30:45])  # 30 + 15 would pass the bound of 40: linked as written
        state = await db.run_read(linked)
        assert [i for i in range(45) if not state[i]] == list(range(30))
        assert all(state[i] for i in range(30, 45)) and all(state[i] for i in range(100, 105))
        truth = [exact_top(vectors[:45], np.arange(45), q, 10) for q in vectors[:5]]
        assert [await top(q) for q in vectors[:5]] == truth  # waiting and linked rows merged by score

        assert await store.index_pending(batch=8) == 8
        assert sum(not flag for flag in (await db.run_read(linked)).values()) == 22
        done = await asyncio.gather(*(store.index_pending(batch=8) for _ in range(4)))  # disjoint batches
        assert sum(done) == 22 and await store.index_pending() == 0
        assert all((await db.run_read(linked)).values())
        assert [await top(q) for q in vectors[:5]] == truth

        await add(range(45, 60), vectors[45:])  # room again: these wait
        await add(range(5), vectors[:5])  # rewritten vectors wait for the graph again
        state = await db.run_read(linked)
        assert sorted(i for i, flag in state.items() if not flag) == [*range(5), *range(45, 60)]
        assert [await top(q) for q in vectors[40:45]] == [
            exact_top(vectors, np.arange(60), q, 10) for q in vectors[40:45]
        ]
        assert len(await top(unit_rows(rng, 1, 768)[0], "d768")) == 5
    finally:
        await store.close()
        await db.dispose()


async def test_search_reads_the_graph_for_linked_rows_and_the_partial_btree_for_waiting_ones(
    request: pytest.FixtureRequest,
) -> None:
    db = await migrated(database_url("pg", request))
    store = PgVectorStore(db)
    vectors = unit_rows(np.random.default_rng(4), 3000, 384)
    try:
        rows = [VectorRow(i, "t", "big", "c", v) for i, v in enumerate(vectors)]
        await db.run_write(lambda conn: store.add(conn, rows))
        while await store.index_pending(batch=1000):
            pass
        await db.run_write(lambda conn: store.add(conn, [VectorRow(5000, "t", "big", "c", vectors[0])]))
        await db.run_write(lambda conn: conn.execute(text("ANALYZE dataset_vectors")))
        sql = text("EXPLAIN " + search_sql(384, None, 0))
        params = {"dim": 384, "team_id": "t", "dataset_ids": ["big"], "query": vector_literal(vectors[1]), "limit": 10}

        def plan(conn: Connection) -> str:
            conn.execute(SEARCH_SETTINGS, {"ef": "100"})
            return "\n".join(str(row[0]) for row in conn.execute(sql, params))

        explained = await db.run_read(plan)
        assert "kbx_vectors_hnsw_384" in explained and "kbx_vectors_unindexed" in explained, explained
        hits = await store.search(team_id="t", dataset_ids=["big"], query=vectors[0], limit=2)
        assert {hit.id for hit in hits} == {0, 5000}  # the same vector, linked and waiting
    finally:
        await store.close()
        await db.dispose()


async def test_a_zero_bound_links_every_vector_as_it_is_written(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    db = await migrated(database_url("pg", request))
    store = build_vector_store(db, Settings(data_dir=tmp_path, vectors_waiting_max=0))  # type: ignore[call-arg]
    try:
        rows = [VectorRow(i, "t", "d", "c", v) for i, v in enumerate(unit_rows(np.random.default_rng(5), 3, 384))]
        await db.run_write(lambda conn: store.add(conn, rows))
        assert await db.run_read(linked) == {0: True, 1: True, 2: True}
        assert await store.index_pending() == 0
    finally:
        await store.close()
        await db.dispose()

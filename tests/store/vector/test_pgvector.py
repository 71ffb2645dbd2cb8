"""pgvector specifics: vectors travel in pgvector's binary format and are stored bit for bit."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

import numpy as np
import pytest
from sqlalchemy import Connection, text

from pyfastgpt.store.vector import PgVectorStore, VectorRow
from pyfastgpt.store.vector.pgvector import decode_vector, encode_vector
from pyfastgpt.store.vector.types import as_unit_vector
from tests.store.vector.support import database_url, migrated, unit_rows


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

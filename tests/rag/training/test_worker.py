"""The training loop as a pipeline: the next batch is claimed while one embeds, batches keep embedding
while the database writes, a batch's requests are in flight together, a failed batch does not stop
the others, a stopping loop gives back what it claimed ahead, and an idle loop links the vectors
written ahead of their graph. Every scenario ends with each chunk stored exactly once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest
from sqlalchemy import text

from pyfastgpt.ai.errors import ModelError
from pyfastgpt.rag.training.chunk import PreparedData, WriteOutcome
from pyfastgpt.rag.training.queue import MAX_RETRIES
from pyfastgpt.rag.training.worker import TrainingWorker
from tests.fake_llm import FakeLLM
from tests.rag.training.kb_setup import (
    GatedEmbedding,
    Setup,
    add_collection,
    counts,
    drained,
    gate_embeddings,
    jobs,
    knowledge_base,
    until,
)


@pytest.fixture(params=["sqlite", "pg"])
async def setup(request: pytest.FixtureRequest, tmp_path: Path, fake: FakeLLM) -> AsyncIterator[Setup]:
    url = request.getfixturevalue("pg").new_database() if request.param == "pg" else ""
    async with knowledge_base(tmp_path, fake, url, batch_size=2) as ready:
        yield ready


def worker(setup: Setup, batch_size: int) -> TrainingWorker:
    return TrainingWorker(setup.kb.queue, setup.kb.writer, setup.kb.registry, owner="w", batch_size=batch_size)


async def leased(setup: Setup, count: int) -> bool:
    return sum(1 for job in await jobs(setup) if job["lease_owner"] == "w") == count


async def stored_once(setup: Setup, chunks: int) -> None:
    assert await counts(setup) == {"data": chunks, "indexes": chunks, "vectors": chunks, "texts": chunks, "jobs": 0}


async def test_the_next_batch_is_claimed_while_one_embeds(setup: Setup) -> None:
    await add_collection(setup, 6)
    embedder = gate_embeddings(setup)
    stop = asyncio.Event()
    loop = asyncio.create_task(worker(setup, 2).run(stop))
    try:
        await embedder.until_waiting(1)  # the first batch is at the embedder, held there
        await until(lambda: leased(setup, 4), "the second batch was claimed meanwhile")
        assert (await counts(setup))["data"] == 0
        embedder.gate.set()
        await until(lambda: drained(setup), "the queue drained")
    finally:
        stop.set()
        embedder.gate.set()
        await loop
    await stored_once(setup, 6)


async def test_batches_keep_embedding_while_the_database_writes(setup: Setup) -> None:
    await add_collection(setup, 6)
    embedder = gate_embeddings(setup)
    embedder.gate.set()
    database = asyncio.Event()  # holds every write until set
    store = setup.kb.writer.store

    async def slow_store(items: Sequence[PreparedData], *, owner: str | None = None) -> WriteOutcome:
        await database.wait()
        return await store(items, owner=owner)

    setup.kb.writer.store = slow_store  # type: ignore[method-assign]
    stop = asyncio.Event()
    loop = asyncio.create_task(worker(setup, 2).run(stop))
    try:  # two writes held, the third batch embedded meanwhile
        await until(lambda: _requests(embedder, 3), "three batches embedded before any write committed")
        assert (await counts(setup))["data"] == 0
        database.set()
        await until(lambda: drained(setup), "the queue drained")
    finally:
        stop.set()
        database.set()
        await loop
    await stored_once(setup, 6)


async def _requests(embedder: GatedEmbedding, count: int) -> bool:
    return embedder.requests >= count


async def test_the_requests_of_one_batch_are_in_flight_together(setup: Setup) -> None:
    await add_collection(setup, 6)  # one batch of 6 index texts, in requests of the model's 2
    embedder = gate_embeddings(setup)
    run = asyncio.create_task(worker(setup, 10).run_once())
    await embedder.until_waiting(3)
    embedder.gate.set()
    assert await run == 6
    assert embedder.requests == 3
    await stored_once(setup, 6)


async def test_a_failed_batch_is_marked_and_the_next_ones_go_on(setup: Setup) -> None:
    await add_collection(setup, 6)
    embedder = gate_embeddings(setup)
    embedder.failures.append(ModelError("the embedder answered 500", provider="f"))
    embedder.gate.set()
    loop_worker = worker(setup, 2)
    stop = asyncio.Event()
    loop = asyncio.create_task(loop_worker.run(stop))
    try:  # the failed batch waits out its back-off, then is claimed again
        await until(lambda: drained(setup), "every batch was trained, the failed one again")
    finally:
        stop.set()
        await loop
    await stored_once(setup, 6)
    assert embedder.failures == []


async def test_a_stopping_loop_gives_back_the_batch_it_claimed_ahead(setup: Setup) -> None:
    await add_collection(setup, 6)
    embedder = gate_embeddings(setup)
    stop = asyncio.Event()
    loop = asyncio.create_task(worker(setup, 2).run(stop))
    await embedder.until_waiting(1)
    await until(lambda: leased(setup, 4), "the second batch was claimed ahead")
    stop.set()  # the loop finishes the batch at the embedder and releases the one claimed ahead
    embedder.gate.set()
    await loop
    assert (await counts(setup))["data"] == 2
    left = await jobs(setup)
    assert len(left) == 4
    assert {(job["lease_owner"], job["retry_count"], job["error_msg"]) for job in left} == {(None, MAX_RETRIES, None)}


async def unlinked(setup: Setup) -> int:
    """Vectors of the dataset still waiting for their HNSW graph (PostgreSQL writes them so)."""
    sql = text("SELECT count(*) FROM dataset_vectors WHERE dataset_id = :d AND NOT indexed")
    return int(await setup.kb.db.run_read(lambda conn: conn.execute(sql, {"d": setup.dataset_id}).scalar_one()))


async def test_an_idle_loop_links_the_vectors_written_ahead_of_their_graph(setup: Setup) -> None:
    await add_collection(setup, 6)
    gate_embeddings(setup).gate.set()
    assert await worker(setup, 10).run_once() == 6  # one batch, no idle upkeep
    assert await unlinked(setup) == (0 if setup.kb.db.is_sqlite else 6)
    stop = asyncio.Event()
    loop = asyncio.create_task(worker(setup, 2).run(stop))
    try:
        await until(lambda: _none_unlinked(setup), "the idle loop linked every vector")
    finally:
        stop.set()
        await loop
    await stored_once(setup, 6)


async def _none_unlinked(setup: Setup) -> bool:
    return await unlinked(setup) == 0


async def test_one_loop_of_a_worker_links_at_a_time(setup: Setup) -> None:
    calls: list[int] = []
    running = 0
    most = 0

    async def index_pending(batch: int = 256) -> int:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.05)
        running -= 1
        calls.append(batch)
        return 1 if len(calls) < 6 else 0  # six batches linked, then none waits

    setup.kb.writer.vectors.index_pending = index_pending  # type: ignore[method-assign]
    stop = asyncio.Event()
    loop = asyncio.create_task(worker(setup, 2).run(stop, concurrency=2))
    try:
        await until(lambda: _called(calls, 6), "six batches linked")
    finally:
        stop.set()
        await loop
    assert most == 1


async def _called(calls: list[int], times: int) -> bool:
    return len(calls) >= times

"""The write step's guarantees: a worker that lost its lease writes nothing; a deleted collection's
jobs are dropped; data, index rows, vectors and full-text rows commit together, so a batch whose
write fails half-way leaves nothing behind and its jobs claimable."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import Connection, delete, insert, select, text, update

from pyfastgpt.ai.tokens import count_tokens
from pyfastgpt.rag.indexes import IndexSpec
from pyfastgpt.rag.training.chunk import DATA, INDEXES, DataDraft
from pyfastgpt.rag.training.worker import TrainingWorker
from pyfastgpt.services.dataset import CollectionService
from pyfastgpt.store.fulltext import FullTextIndex, TextRow
from pyfastgpt.store.models import DatasetData
from tests.fake_llm import FakeLLM
from tests.rag.training.kb_setup import Setup, add_collection, counts, drained, jobs, knowledge_base, until


@pytest.fixture(params=["sqlite", "pg"])
async def setup(request: pytest.FixtureRequest, tmp_path: Path, fake: FakeLLM) -> AsyncIterator[Setup]:
    url = request.getfixturevalue("pg").new_database() if request.param == "pg" else ""
    async with knowledge_base(tmp_path, fake, url) as ready:
        yield ready


async def test_a_worker_that_lost_its_lease_writes_nothing(setup: Setup) -> None:
    await add_collection(setup, 3)
    slow = TrainingWorker(setup.kb.queue, setup.kb.writer, setup.kb.registry, owner="slow")
    fast = TrainingWorker(setup.kb.queue, setup.kb.writer, setup.kb.registry, owner="fast")
    jobs = await setup.kb.queue.claim(owner="slow", modes=["chunk"], limit=10)
    assert len(jobs) == 3
    await asyncio.sleep(0.4)  # "slow" stalls past its lease; "fast" takes the jobs over and finishes them
    assert await fast.run_once() == 3
    await slow._chunk_batch(jobs)  # the stalled worker wakes up and tries to write its batch
    assert await counts(setup) == {"data": 3, "indexes": 3, "vectors": 3, "texts": 3, "jobs": 0}


async def test_jobs_of_a_deleted_collection_are_dropped(setup: Setup) -> None:
    keep = await add_collection(setup, 2)
    doomed = await add_collection(setup, 4)
    jobs = await setup.kb.queue.claim(owner="w", modes=["chunk"], limit=10)
    assert len(jobs) == 6
    await CollectionService(setup.kb).delete(setup.ctx, [doomed])
    worker = TrainingWorker(setup.kb.queue, setup.kb.writer, setup.kb.registry, owner="w")
    await worker._chunk_batch(jobs)
    assert await counts(setup) == {"data": 2, "indexes": 2, "vectors": 2, "texts": 2, "jobs": 0}
    assert keep != doomed


class FailingTexts:
    """The full-text index, raising on its first ``add``: the last statement of a batch's write,
    after its data, index and vector rows went in."""

    def __init__(self, inner: FullTextIndex) -> None:
        self.inner = inner
        self.failures = 1

    def add(self, conn: Connection, rows: Sequence[TextRow]) -> None:
        if self.failures:
            self.failures -= 1
            raise RuntimeError("disk full while indexing the full text")
        self.inner.add(conn, rows)


async def test_a_batch_whose_write_fails_half_way_leaves_nothing_and_is_trained_again(setup: Setup) -> None:
    await add_collection(setup, 7)
    texts = FailingTexts(setup.kb.texts)
    setup.kb.writer.texts = texts  # type: ignore[assignment]
    worker = TrainingWorker(setup.kb.queue, setup.kb.writer, setup.kb.registry, owner="w", batch_size=10)

    assert await worker.run_once() == 7  # one batch; its write raises after inserting the data rows
    assert texts.failures == 0
    assert await counts(setup) == {"data": 0, "indexes": 0, "vectors": 0, "texts": 0, "jobs": 7}
    failed = await jobs(setup)
    assert {(job["lease_owner"], job["error_msg"]) for job in failed} == {
        (None, "disk full while indexing the full text")
    }

    stop = asyncio.Event()
    loop = asyncio.create_task(worker.run(stop))  # claimable again after the back-off: trained once
    try:
        await until(lambda: drained(setup), "the failed batch was trained again")
    finally:
        stop.set()
        await loop
    assert await counts(setup) == {"data": 7, "indexes": 7, "vectors": 7, "texts": 7, "jobs": 0}
    query = np.ones(384, dtype=np.float32)  # the vector index learned only what committed
    hits = await setup.kb.vectors.search(team_id=setup.ctx.team_id, dataset_ids=[setup.dataset_id], query=query,
                                         limit=50)  # fmt: skip
    assert len(hits) == len({hit.id for hit in hits}) == 7


async def test_data_rows_carry_the_token_count_of_q_and_a(setup: Setup) -> None:
    """The search's token budget reads `dataset_datas.tokens`: written with q and a."""
    await add_collection(setup, 3)
    worker = TrainingWorker(setup.kb.queue, setup.kb.writer, setup.kb.registry, owner="w")
    assert await worker.run_once() == 3
    rows = await setup.kb.db.run_read(
        lambda conn: conn.execute(select(DatasetData.q, DatasetData.a, DatasetData.tokens)).all()
    )
    assert len(rows) == 3
    assert all(row.tokens == count_tokens(f"{row.q}{row.a}") > 0 for row in rows)


def draft(setup: Setup, collection_id: str, q: str, **fields: Any) -> DataDraft:
    return DataDraft(team_id=setup.ctx.team_id, tmb_id=setup.ctx.tmb_id, dataset_id=setup.dataset_id,
                     collection_id=collection_id, q=q, **fields)  # fmt: skip


async def test_new_data_rows_are_stored_as_sqlalchemy_inserts_them(setup: Setup) -> None:
    """The writer's inserts bypass SQLAlchemy's execution: JSON (and its null), booleans, UTC
    datetimes and NULLs are stored exactly as SQLAlchemy's insert of the same values stores them."""
    collection = await add_collection(setup, 1)
    first = draft(setup, collection, "问题 question", a="answer", chunk_index=3, meta={"source": ["两", 1]})
    items = await setup.kb.writer.prepare([first, replace(first, a="", meta=None)])
    written = (await setup.kb.writer.store(items)).written
    raw = text("SELECT * FROM dataset_datas WHERE id = :id")

    def stored_and_reinserted(conn: Connection) -> list[tuple[dict[str, object], dict[str, object]]]:
        pairs = []
        for data_id in written:
            values = dict(conn.execute(select(DATA).where(DATA.c.id == data_id)).one()._mapping)
            conn.execute(insert(DATA), {**values, "id": "copy"})
            copy = conn.execute(raw, {"id": "copy"}).one()._asdict()
            conn.execute(delete(DATA).where(DATA.c.id == "copy"))
            pairs.append((conn.execute(raw, {"id": data_id}).one()._asdict(), {**copy, "id": data_id}))
        return pairs

    pairs = await setup.kb.db.run_write(stored_and_reinserted)
    assert len(pairs) == 2
    for stored, by_sqlalchemy in pairs:
        assert stored == by_sqlalchemy


async def test_each_vector_gets_the_id_of_its_own_index_row(setup: Setup) -> None:
    collection = await add_collection(setup, 1)
    for batch in range(2):  # the second batch's index rows are numbered on from the first's
        customs = [[IndexSpec("custom", f"extra {batch} {n}")] if n % 2 else [] for n in range(5)]
        drafts = [draft(setup, collection, f"chunk {batch} {n}", custom_indexes=c) for n, c in enumerate(customs)]
        items = await setup.kb.writer.prepare(drafts)
        outcome = await setup.kb.writer.store(items)
        index_rows = await setup.kb.db.run_read(
            lambda conn: {row.id: (row.data_id, row.text) for row in conn.execute(select(INDEXES))}
        )
        expected = [(data_id, spec.text) for data_id, item in zip(outcome.written, items, strict=True)
                    for spec in item.indexes]  # fmt: skip
        assert len(expected) == 7
        assert [index_rows[row.id] for row in outcome.added] == expected


async def test_sqlite_index_ids_past_the_largest_rowid_are_refused(tmp_path: Path, fake: FakeLLM) -> None:
    """At the largest possible rowid SQLite numbers new rows at random: their ids cannot be inferred."""
    async with knowledge_base(tmp_path, fake) as setup:
        collection = await add_collection(setup, 1)
        await setup.kb.writer.store(await setup.kb.writer.prepare([draft(setup, collection, "first")]))
        await setup.kb.db.run_write(lambda conn: conn.execute(update(INDEXES).values(id=2**63 - 1)))
        items = await setup.kb.writer.prepare([draft(setup, collection, "second")])
        with pytest.raises(RuntimeError, match="inserted 1 index rows, ids grew by 0"):
            await setup.kb.writer.store(items)
        assert (await counts(setup))["data"] == 1

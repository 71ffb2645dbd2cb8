"""The training queue on SQLite and PostgreSQL: claims never overlap, leases expire, retries run out."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from pyfastgpt.core.ids import new_id
from pyfastgpt.rag.training.queue import JOBS, MAX_RETRIES, JobDraft, TrainingQueue
from tests.support.databases import migrated_database


@pytest.fixture(params=["sqlite", "pg"])
async def queue(request: pytest.FixtureRequest) -> AsyncIterator[TrainingQueue]:
    async with migrated_database(request) as db:
        yield TrainingQueue(db, lease_s=0.5)


def drafts(count: int, collection_id: str | None = None) -> list[JobDraft]:
    collection = collection_id or new_id()
    return [JobDraft("t" * 24, "m" * 24, "d" * 24, collection, q=f"chunk {n}", chunk_index=n) for n in range(count)]


async def test_concurrent_claims_never_overlap(queue: TrainingQueue) -> None:
    queue.lease_s = 600  # no lease may run out during this test
    assert await queue.push(drafts(120)) == 120
    batches = await asyncio.gather(*(queue.claim(owner=f"w{n}", modes=["chunk"], limit=7) for n in range(30)))
    claimed = [job.id for batch in batches for job in batch]
    assert len(claimed) == len(set(claimed)) == 120
    assert all(job.retry_count == MAX_RETRIES - 1 for batch in batches for job in batch)
    assert await queue.claim(owner="late", modes=["chunk"], limit=10) == []
    assert await queue.claim(owner="qa", modes=["qa"], limit=10) == []


async def test_expired_leases_are_reclaimed_until_retries_run_out(queue: TrainingQueue) -> None:
    await queue.push(drafts(1))
    seen = []
    for attempt in range(MAX_RETRIES):
        jobs = await queue.claim(owner=f"w{attempt}", modes=["chunk"], limit=5)
        assert len(jobs) == 1 and await queue.claim(owner="other", modes=["chunk"], limit=5) == []
        seen.append(jobs[0].retry_count)
        await asyncio.sleep(0.6)  # the lease runs out: the worker is presumed dead
    assert seen == [4, 3, 2, 1, 0]
    assert await queue.claim(owner="last", modes=["chunk"], limit=5) == []
    assert await queue.pending() == 0


async def test_fail_records_the_error_and_release_gives_the_retry_back(queue: TrainingQueue) -> None:
    queue.lease_s = 600  # a failed job waits min(lease, 5 s) before it can be claimed again
    await queue.push(drafts(2))
    first, second = await queue.claim(owner="w", modes=["chunk"], limit=2)
    await queue.fail([first.id], owner="someone else", message="not mine")
    await queue.fail([first.id], owner="w", message="embedding failed: 500")
    await queue.release([second.id], owner="w")

    def read(conn: object) -> dict[str, tuple[str | None, str | None, int]]:
        rows = conn.execute(select(JOBS.c.id, JOBS.c.error_msg, JOBS.c.lease_owner, JOBS.c.retry_count))  # type: ignore[attr-defined]
        return {row.id: (row.error_msg, row.lease_owner, row.retry_count) for row in rows}

    state = await queue.db.run_read(read)  # type: ignore[arg-type]
    assert state[first.id] == ("embedding failed: 500", None, MAX_RETRIES - 1)
    assert state[second.id] == (None, None, MAX_RETRIES)
    again = await queue.claim(owner="w2", modes=["chunk"], limit=5)
    assert [job.id for job in again] == [second.id]  # the failed one waits for its back-off


async def test_jobs_are_claimed_in_the_order_they_were_queued(queue: TrainingQueue) -> None:
    queue.lease_s = 600
    first, second = new_id(), new_id()
    await queue.push(drafts(3, first))
    await queue.push(drafts(3, second))
    claimed = [await queue.claim(owner="w", modes=["chunk"], limit=2) for _ in range(3)]
    assert [[(job.collection_id, job.chunk_index) for job in batch] for batch in claimed] == [
        [(first, 0), (first, 1)],
        [(first, 2), (second, 0)],
        [(second, 1), (second, 2)],
    ]

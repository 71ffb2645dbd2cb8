"""The training loop: claim a batch, turn it into data, repeat.

``chunk`` jobs are claimed in batches (their index texts embedded together, in the model's batch
size) and written in one transaction per batch; ``qa`` jobs one by one (an LLM call each), their
Q/A pairs pushed back as ``chunk`` jobs in the same transaction that deletes the ``qa`` job.
Jobs whose collection or dataset is gone are deleted without writing anything. A failure records
``error_msg`` on the batch's jobs; they are retried later while retries remain.

Each loop is a pipeline: while one batch is embedding, the next is claimed and planned (indexes
built, segmentation started) and the previous ones are being written (up to two, each in its own
transaction), so the embedder always has the next requests ready. A stopping loop finishes the
batches it embeds or writes and gives the one claimed ahead back to the queue unspent. A loop idle for
a nap links the vectors written ahead of their ANN index (`VectorStore.index_pending`), a batch at a
time, looking for new jobs between batches, and naps again when none is left; one loop of a worker
links at a time, so a 2-core machine keeps a core for requests meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, delete, select

from pyfastgpt.ai.protocols import ChatMessage, ChatRequest, ModelRegistry
from pyfastgpt.core.ids import nanoid
from pyfastgpt.rag.indexes import IndexSpec
from pyfastgpt.rag.splitter import split_text
from pyfastgpt.rag.training.chunk import DATA, ChunkWriter, DataDraft, PlannedBatch, PreparedData, existing_indexes
from pyfastgpt.rag.training.context import CollectionContext, load_contexts
from pyfastgpt.rag.training.qa import build_qa_prompt, parse_qa_pairs
from pyfastgpt.rag.training.queue import JOBS, ClaimedJob, JobDraft, TrainingQueue, insert_jobs

log = logging.getLogger(__name__)
QA_FALLBACK_CHUNK = 1000
WRITES_IN_FLIGHT = 2  # per loop: the next batch embeds while the database still writes the last two


def worker_owner() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{nanoid(8)}"


@dataclass(slots=True)
class ClaimedBatch:
    """Chunk jobs claimed together; ``planned`` is None when none of them is left to embed."""

    jobs: list[ClaimedJob]
    planned: PlannedBatch | None


class TrainingWorker:
    def __init__(
        self,
        queue: TrainingQueue,
        writer: ChunkWriter,
        registry: ModelRegistry,
        *,
        batch_size: int = 32,
        poll_s: float = 0.5,
        owner: str | None = None,
    ) -> None:
        self.queue = queue
        self.writer = writer
        self.registry = registry
        self.batch_size = batch_size
        self.poll_s = poll_s
        self.owner = owner or worker_owner()
        self._wake = asyncio.Event()
        self._linking = asyncio.Lock()  # one loop of a process links at a time: the other core stays free

    def notify(self) -> None:
        """New jobs were pushed in this process: stop sleeping."""
        self._wake.set()

    async def run(self, stop: asyncio.Event, *, concurrency: int = 1) -> None:
        await asyncio.gather(*(self._loop(stop) for _ in range(max(1, concurrency))))

    async def _loop(self, stop: asyncio.Event) -> None:
        ahead: asyncio.Task[ClaimedBatch | None] | None = None  # claimed and planned while the current embeds
        writing: set[asyncio.Task[None]] = set()
        rested = False  # napped since the last job: the queue is idle, not between two uploads
        try:
            while not stop.is_set():
                batch = await ahead if ahead is not None else await self._claim_and_plan()
                ahead = None
                if batch is None:  # no chunk job waiting: finish writing, then a qa job, index upkeep or a nap
                    await _settled(writing, 0)
                    if await self._qa_once():
                        rested = False
                    elif not (rested and await self._index_pending()):
                        await self._nap()
                        rested = True
                    continue
                rested = False
                if batch.planned is None:
                    continue
                if not stop.is_set():
                    ahead = asyncio.create_task(self._claim_and_plan())
                ready = await self._embedded(batch.jobs, batch.planned)
                if ready is not None:
                    await _settled(writing, WRITES_IN_FLIGHT - 1)  # a slow database holds the loop here
                    writing.add(asyncio.create_task(self._written(batch.jobs, ready)))
        finally:
            await _settled(writing, 0)
            if ahead is not None:
                await self._give_back(ahead)

    async def _nap(self) -> None:
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), self.poll_s)

    async def _claim_and_plan(self) -> ClaimedBatch | None:
        """Claim a batch of chunk jobs and plan it; None when no chunk job is waiting (or the
        database could not be reached: the loop naps and tries again)."""
        try:
            started = time.perf_counter()
            jobs = await self.queue.claim(owner=self.owner, modes=["chunk"], limit=self.batch_size)
            self.writer.timings["claim"] += time.perf_counter() - started
        except Exception:  # the database went away for a moment: keep the worker alive
            log.exception("training loop error")
            return None
        if not jobs:
            return None
        try:
            return ClaimedBatch(jobs, await self._plan(jobs))
        except Exception as error:
            await self._failed(jobs, error)
            return ClaimedBatch(jobs, None)

    async def _embedded(self, jobs: Sequence[ClaimedJob], planned: PlannedBatch) -> list[PreparedData] | None:
        try:
            return await self.writer.embed_batch(planned)
        except Exception as error:
            await self._failed(jobs, error)
            return None

    async def _written(self, jobs: Sequence[ClaimedJob], ready: Sequence[PreparedData]) -> None:
        try:
            await self.writer.store(ready, owner=self.owner)
        except Exception as error:
            await self._failed(jobs, error)

    async def _give_back(self, ahead: asyncio.Task[ClaimedBatch | None]) -> None:
        """Release a batch claimed ahead that this stopping loop will not embed."""
        if ahead.cancelled():  # cancelled mid-claim: its lease runs out and another worker takes it
            return
        try:
            batch = await ahead
            if batch is None:
                return
            if batch.planned is not None:
                await batch.planned.discard()
            await self.queue.release([job.id for job in batch.jobs], owner=self.owner)
        except Exception:  # its lease runs out and another worker takes it
            log.exception("could not give training jobs back")

    async def _failed(self, jobs: Sequence[ClaimedJob], error: Exception) -> None:
        log.warning("training jobs failed: %s", error)
        try:
            await self.queue.fail([job.id for job in jobs], owner=self.owner, message=str(error) or repr(error))
        except Exception:  # the lease runs out and the jobs are claimed again
            log.exception("could not record the failure of training jobs")

    async def run_once(self) -> int:
        """Claim and process one batch; the number of jobs handled (0: queue idle)."""
        jobs = await self.queue.claim(owner=self.owner, modes=["chunk"], limit=self.batch_size)
        if jobs:
            await self._guarded(jobs, self._chunk_batch(jobs))
            return len(jobs)
        return await self._qa_once()

    async def _qa_once(self) -> int:
        try:
            jobs = await self.queue.claim(owner=self.owner, modes=["qa"], limit=1)
        except Exception:  # the database went away for a moment: keep the worker alive
            log.exception("training loop error")
            return 0
        if jobs:
            await self._guarded(jobs, self._qa_job(jobs[0]))
        return len(jobs)

    async def _index_pending(self) -> int:
        """Link a batch of vectors written ahead of their ANN index (the queue is idle); 0 when none
        waits or another loop of this worker is linking (this one naps)."""
        if self._linking.locked():
            return 0
        async with self._linking:
            try:
                return await self.writer.vectors.index_pending()
            except Exception:  # the database went away for a moment: keep the worker alive
                log.exception("vector index upkeep error")
                return 0

    async def _guarded(self, jobs: Sequence[ClaimedJob], work: object) -> None:
        try:
            await work  # type: ignore[misc]
        except asyncio.CancelledError:
            raise
        except Exception as error:
            log.warning("training jobs failed: %s", error)
            await self.queue.fail([job.id for job in jobs], owner=self.owner, message=str(error) or repr(error))

    # -------------------------------------------------------------------- chunk
    async def _chunk_batch(self, jobs: Sequence[ClaimedJob]) -> None:
        """One claimed batch start to end (no pipelining)."""
        planned = await self._plan(jobs)
        if planned is not None:
            await self.writer.store(await self.writer.embed_batch(planned), owner=self.owner)

    async def _plan(self, jobs: Sequence[ClaimedJob]) -> PlannedBatch | None:
        """Drop the jobs with nothing left to train; plan the others (None: none left)."""
        contexts, stored, rows = await self.queue.db.run_read(lambda conn: self._load(conn, jobs))
        orphans = [job.id for job in jobs if job.collection_id not in contexts]
        if orphans:
            await self._drop(orphans)
        drafts = [
            self._draft(job, contexts[job.collection_id], rows.get(job.data_id or ""))
            for job in jobs
            if job.collection_id in contexts and (job.data_id is None or job.data_id in rows)
        ]
        missing = [job.id for job in jobs if job.data_id and job.data_id not in rows]
        if missing:
            await self._drop(missing)
        return await self.writer.plan_batch(drafts, stored) if drafts else None

    def _load(
        self, conn: Connection, jobs: Sequence[ClaimedJob]
    ) -> tuple[dict[str, CollectionContext], dict[str, list[IndexSpec]], dict[str, tuple[str, str, int]]]:
        contexts = load_contexts(conn, [job.collection_id for job in jobs])
        rebuild_ids = [job.data_id for job in jobs if job.data_id]
        if not rebuild_ids:  # new chunks (the usual batch): nothing stored to read
            return contexts, {}, {}
        stored = {data_id: existing_indexes(conn, data_id) for data_id in rebuild_ids}
        rows = {
            row.id: (row.q, row.a, row.chunk_index)
            for row in conn.execute(
                select(DATA.c.id, DATA.c.q, DATA.c.a, DATA.c.chunk_index).where(DATA.c.id.in_(rebuild_ids))
            )
        }
        return contexts, stored, rows

    @staticmethod
    def _draft(job: ClaimedJob, ctx: CollectionContext, row: tuple[str, str, int] | None) -> DataDraft:
        q, a, chunk_index = row if row is not None else (job.q, job.a, job.chunk_index)
        custom = [IndexSpec(str(i.get("type") or "custom"), str(i.get("text") or "")) for i in job.indexes]
        return DataDraft(
            team_id=job.team_id,
            tmb_id=job.tmb_id,
            dataset_id=job.dataset_id,
            collection_id=job.collection_id,
            q=q,
            a=a,
            chunk_index=chunk_index,
            vector_model=ctx.vector_model,
            index_size=ctx.index_size(job.index_size),
            prefix_title=ctx.prefix_title,
            custom_indexes=[c for c in custom if c.text.strip()],
            data_id=job.data_id,
            job_id=job.id,
            meta=job.meta,
            reembed_all=job.data_id is not None,
        )

    async def _drop(self, job_ids: Sequence[str]) -> None:
        def run(conn: Connection) -> None:
            conn.execute(delete(JOBS).where(JOBS.c.id.in_(list(job_ids)), JOBS.c.lease_owner == self.owner))

        await self.queue.db.run_write(run)

    # ----------------------------------------------------------------------- qa
    async def _qa_job(self, job: ClaimedJob) -> None:
        contexts = await self.queue.db.run_read(lambda conn: load_contexts(conn, [job.collection_id]))
        ctx = contexts.get(job.collection_id)
        if ctx is None:
            await self._drop([job.id])
            return
        text = f"{job.q}\n{job.a}".strip()
        request = ChatRequest(
            messages=[ChatMessage(role="user", content=build_qa_prompt(text, ctx.qa_prompt))],
            model=ctx.agent_model or None,
            temperature=0.3,
        )
        result = await self.registry.llm(ctx.agent_model or None).complete(request)
        pairs = parse_qa_pairs(result.content)
        if not pairs:  # FastGPT falls back to plain chunks of the source text
            pairs = [(chunk, "") for chunk in split_text(text, chunk_size=QA_FALLBACK_CHUNK) if chunk.strip()]
        drafts = [
            JobDraft(
                team_id=job.team_id,
                tmb_id=job.tmb_id,
                dataset_id=job.dataset_id,
                collection_id=job.collection_id,
                mode="chunk",
                q=q,
                a=a,
                chunk_index=job.chunk_index,
                index_size=job.index_size,
                bill_id=job.bill_id,
                meta=job.meta,
            )
            for q, a in pairs
        ]

        def run(conn: Connection) -> None:
            gone = conn.execute(
                delete(JOBS).where(JOBS.c.id == job.id, JOBS.c.lease_owner == self.owner).returning(JOBS.c.id)
            ).first()
            if gone is not None:
                insert_jobs(conn, drafts)

        await self.queue.db.run_write(run)
        self.notify()


async def _settled(writing: set[asyncio.Task[None]], at_most: int) -> None:
    """Wait until at most ``at_most`` writes are in flight (each handles its own errors). A write
    goes on when the loop is cancelled meanwhile, so the vector store learns what it committed."""
    while len(writing) > at_most:
        done, _ = await asyncio.wait(writing, return_when=asyncio.FIRST_COMPLETED)
        writing -= done

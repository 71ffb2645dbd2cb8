"""Data items → indexes → vectors → one transaction (data + index rows + vectors + full text).

:meth:`ChunkWriter.prepare` does the slow, side-effect-free part in two steps a worker pipelines:
:meth:`~ChunkWriter.plan_batch` (index building with :func:`build_indexes`, then full-text segmentation,
each in a text worker process: `rag/text_jobs.py`, `core/cpu_work.run_cpu`) and :meth:`~ChunkWriter.embed_batch` (requests of the model's batch size, in
flight together);
:meth:`ChunkWriter.write` runs inside ``Database.run_write`` and, for each item, first deletes the
item's training job *if this worker still holds its lease* — so the job's removal and the data it
produced commit together or not at all. A collection deleted meanwhile makes the item a no-op.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
from sqlalchemy import Connection, Table, bindparam, delete, func, insert, select, update

from pyfastgpt.ai.protocols import EmbeddingModel, ModelRegistry
from pyfastgpt.core.clock import utcnow
from pyfastgpt.core.cpu_work import run_cpu
from pyfastgpt.core.ids import new_id
from pyfastgpt.rag.indexes import IndexSpec
from pyfastgpt.rag.text_jobs import IndexRequest, plan_indexes, segment_items
from pyfastgpt.store.db import Database
from pyfastgpt.store.fulltext import FullTextIndex, TextRow
from pyfastgpt.store.models.dataset import DatasetCollection, DatasetData, DatasetDataIndex, TrainingJob
from pyfastgpt.store.prepared import Prepared
from pyfastgpt.store.vector import VectorRow, VectorStore

DATA = cast(Table, DatasetData.__table__)
INDEXES = cast(Table, DatasetDataIndex.__table__)
JOBS = cast(Table, TrainingJob.__table__)
COLLECTIONS = cast(Table, DatasetCollection.__table__)
# A batch's statements run on the DB-API cursor (see `Prepared`): SQLAlchemy's per-row parameter
# handling cost more than the inserts themselves.
INSERT_DATA = Prepared(insert(DATA))
INSERT_INDEXES = Prepared(insert(INDEXES))
LARGEST_INDEX_ID = Prepared(select(func.max(INDEXES.c.id)))
# A collection's chunk count moves with its chunks: training adds a batch's new ones, `purge_data` takes one off.
ADD_DATA_AMOUNT = Prepared(
    update(COLLECTIONS)
    .where(COLLECTIONS.c.id == bindparam("id"))
    .values(data_amount=COLLECTIONS.c.data_amount + bindparam("added"))
)


@dataclass(slots=True)
class DataDraft:
    """One data item to write: new (``data_id`` None) or an existing one to re-index."""

    team_id: str
    tmb_id: str
    dataset_id: str
    collection_id: str
    q: str
    a: str = ""
    chunk_index: int = 0
    vector_model: str = ""
    index_size: int = 512
    prefix_title: str | None = None
    custom_indexes: list[IndexSpec] = field(default_factory=list)
    data_id: str | None = None
    job_id: str | None = None
    meta: dict[str, Any] | None = None
    reembed_all: bool = False  # rebuild: new vectors for every index


@dataclass(slots=True)
class PreparedData:
    draft: DataDraft
    indexes: list[IndexSpec]
    vectors: list[np.ndarray | None]  # None: keep the stored vector of that index id
    tokens: str
    embed_tokens: int = 0
    budget_tokens: int | None = None  # count_tokens(q + a): stored for the search's token budget


@dataclass(slots=True)
class PlannedBatch:
    """Data items with their indexes, vectors still to embed; ``tokens``: their segmentation."""

    items: list[PreparedData]
    tokens: asyncio.Task[list[tuple[str, int]]]

    async def discard(self) -> None:
        """Drop the batch unembedded (a stopping worker): wait out its segmentation."""
        with contextlib.suppress(Exception):
            await self.tokens


@dataclass(slots=True)
class WriteOutcome:
    written: list[str] = field(default_factory=list)  # data ids
    skipped_jobs: list[str] = field(default_factory=list)  # lease lost or collection gone
    added: list[VectorRow] = field(default_factory=list)
    removed_ids: list[int] = field(default_factory=list)


def existing_indexes(conn: Connection, data_id: str) -> list[IndexSpec]:
    rows = conn.execute(select(INDEXES.c.id, INDEXES.c.type, INDEXES.c.text).where(INDEXES.c.data_id == data_id))
    return [IndexSpec(row.type, row.text, str(row.id)) for row in rows]


class ChunkWriter:
    def __init__(
        self,
        db: Database,
        registry: ModelRegistry,
        vectors: VectorStore,
        texts: FullTextIndex,
        *,
        text_processes: int = 0,
    ) -> None:
        self.db = db
        self.registry = registry
        self.vectors = vectors
        self.texts = texts
        self.text_processes = text_processes  # see `run_cpu`: 0 = threads of this process
        self.timings: dict[str, float] = defaultdict(float)
        self._embed_slots: dict[str, asyncio.Semaphore] = {}
        self._in_flight = 0  # embedding requests in flight, for the "embedder busy" timing
        self._busy_since = 0.0

    def _slots(self, model_id: str) -> asyncio.Semaphore:
        """In-process models (CPU-bound, multi-threaded already) embed one batch at a time; remote
        ones take a few concurrent requests so network latency overlaps."""
        slots = self._embed_slots.get(model_id)
        if slots is None:
            try:
                local = self.registry.info(model_id).provider == "local"
            except Exception:
                local = False
            slots = self._embed_slots[model_id] = asyncio.Semaphore(1 if local else 4)
        return slots

    # ------------------------------------------------------------------ prepare
    def index_request(self, draft: DataDraft, stored: Sequence[IndexSpec] = ()) -> IndexRequest:
        return IndexRequest(
            draft.q,
            draft.a,
            index_size=draft.index_size,
            max_tokens=self.registry.embedding(draft.vector_model or None).max_tokens,
            custom_indexes=draft.custom_indexes,
            existing_indexes=stored,
            prefix_title=draft.prefix_title,
        )

    async def prepare(
        self, drafts: Sequence[DataDraft], stored: dict[str, list[IndexSpec]] | None = None
    ) -> list[PreparedData]:
        """Indexes, tokens and vectors of ``drafts`` (``stored``: current indexes per data id)."""
        return await self.embed_batch(await self.plan_batch(drafts, stored))

    async def plan_batch(
        self, drafts: Sequence[DataDraft], stored: dict[str, list[IndexSpec]] | None = None
    ) -> PlannedBatch:
        """The indexes of ``drafts`` (in a text worker, see `run_cpu`); their full-text segmentation
        starts in another and runs while the batch waits for, and goes through, the embedder."""
        known_indexes = stored or {}
        started = time.perf_counter()
        requests = [self.index_request(d, known_indexes.get(d.data_id or "", [])) for d in drafts]
        plans = await run_cpu(self.text_processes, plan_indexes, requests)
        self.timings["indexes"] += time.perf_counter() - started
        items = []
        for draft, plan in zip(drafts, plans, strict=True):
            known = {s.data_id: s.text for s in known_indexes.get(draft.data_id or "", []) if s.data_id}
            vectors: list[np.ndarray | None] = [
                None if (s.data_id in known and known[s.data_id] == s.text and not draft.reembed_all) else np.empty(0)
                for s in plan
            ]
            items.append(PreparedData(draft, plan, vectors, ""))
        return PlannedBatch(items, asyncio.create_task(self._segment(drafts)))

    async def embed_batch(self, planned: PlannedBatch) -> list[PreparedData]:
        """Embed a planned batch (its requests in flight together) and collect its tokens."""
        try:
            started = time.perf_counter()
            await self._embed(planned.items)
            self.timings["embed"] += time.perf_counter() - started
        finally:
            tokens = await planned.tokens
        for item, (token_text, budget) in zip(planned.items, tokens, strict=True):
            item.tokens = token_text
            item.budget_tokens = budget
        return planned.items

    async def _segment(self, drafts: Sequence[DataDraft]) -> list[tuple[str, int]]:
        """Full-text segmentation and the token count of q + a of each draft, in a text worker."""
        started = time.perf_counter()
        tokens = await run_cpu(self.text_processes, segment_items, [(d.q, d.a) for d in drafts])
        self.timings["segment"] += time.perf_counter() - started
        return tokens

    async def _embed(self, prepared: Sequence[PreparedData]) -> None:
        """All missing vectors, in requests of the model's batch size sent concurrently (the
        model's slots bound how many are in flight); one failing cancels the others."""
        wanted: dict[str, list[tuple[PreparedData, int]]] = defaultdict(list)
        for item in prepared:
            for position, vector in enumerate(item.vectors):
                if vector is not None:
                    wanted[item.draft.vector_model].append((item, position))
        requests = []
        for model_id, slots in wanted.items():
            model: EmbeddingModel = self.registry.embedding(model_id or None)
            size = max(1, model.batch_size)
            requests += [self._embed_slice(model, slots[start : start + size]) for start in range(0, len(slots), size)]
        tasks = [asyncio.ensure_future(request) for request in requests]
        try:
            await asyncio.gather(*tasks)
        except BaseException:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise

    async def _embed_slice(self, model: EmbeddingModel, batch: Sequence[tuple[PreparedData, int]]) -> None:
        async with self._slots(model.model_id):
            self._in_flight += 1
            if self._in_flight == 1:
                self._busy_since = time.perf_counter()
            try:
                result = await model.embed_passages([item.indexes[pos].text for item, pos in batch])
            finally:
                self._in_flight -= 1
                if not self._in_flight:
                    self.timings["embedder busy"] += time.perf_counter() - self._busy_since
        share = result.tokens // max(1, len(batch))
        for (item, position), vector in zip(batch, result.vectors, strict=True):
            item.vectors[position] = np.asarray(vector, dtype=np.float32)
            item.embed_tokens += share

    # -------------------------------------------------------------------- write
    def write(self, conn: Connection, items: Sequence[PreparedData], *, owner: str | None = None) -> WriteOutcome:
        """Inside one transaction: for each item delete its job (if still ours), write its data."""
        outcome = WriteOutcome()
        collections = {d.draft.collection_id for d in items}
        live = set(
            conn.execute(
                select(COLLECTIONS.c.id).where(
                    COLLECTIONS.c.id.in_(list(collections)), COLLECTIONS.c.delete_time.is_(None)
                )
            ).scalars()
        )
        job_ids = [item.draft.job_id for item in items if item.draft.job_id is not None]
        owned: set[str] = set()
        if job_ids:
            owned = set(
                conn.execute(
                    delete(JOBS).where(JOBS.c.id.in_(job_ids), JOBS.c.lease_owner == owner).returning(JOBS.c.id)
                ).scalars()
            )
        outcome.skipped_jobs = [
            job_id
            for item in items
            if (job_id := item.draft.job_id) is not None
            and (job_id not in owned or item.draft.collection_id not in live)
        ]
        eligible = [
            item
            for item in items
            if item.draft.collection_id in live and (item.draft.job_id is None or item.draft.job_id in owned)
        ]
        now = utcnow()
        new_items = [i for i in eligible if i.draft.data_id is None]
        text_rows = self._insert_new(conn, new_items, now, outcome)
        for item in eligible:
            draft = item.draft
            if draft.data_id is None:
                continue
            data_id = self._write_data(conn, item, now)
            if data_id is None:
                continue
            self._write_indexes(conn, item, data_id, outcome)
            outcome.written.append(data_id)
            text_rows.append(TextRow(data_id, draft.team_id, draft.dataset_id, draft.collection_id, item.tokens))
        if outcome.removed_ids:
            self.vectors.remove(conn, ids=outcome.removed_ids)
        if outcome.added:
            self.vectors.add(conn, outcome.added)
        if text_rows:
            self.texts.add(conn, text_rows)
        count_new_data(conn, [item.draft.collection_id for item in new_items])
        return outcome

    def _insert_new(
        self, conn: Connection, items: Sequence[PreparedData], now: Any, outcome: WriteOutcome
    ) -> list[TextRow]:
        """New data items: one multi-row insert for the data, one for all their index rows."""
        if not items:
            return []
        data_ids = [new_id() for _ in items]
        INSERT_DATA.execute_many(
            conn,
            [
                {
                    "id": data_id,
                    "team_id": i.draft.team_id,
                    "tmb_id": i.draft.tmb_id,
                    "dataset_id": i.draft.dataset_id,
                    "collection_id": i.draft.collection_id,
                    "q": i.draft.q,
                    "a": i.draft.a,
                    "metadata": i.draft.meta,
                    "chunk_index": i.draft.chunk_index,
                    "tokens": i.budget_tokens,
                    "history": None,
                    "rebuilding": False,
                    "update_time": now,
                }
                for data_id, i in zip(data_ids, items, strict=True)
            ],
        )
        params: list[dict[str, Any]] = []
        owners: list[tuple[PreparedData, np.ndarray]] = []
        for data_id, item in zip(data_ids, items, strict=True):
            for spec, vector in zip(item.indexes, item.vectors, strict=True):
                assert vector is not None and vector.size, "a new index needs a vector"
                params.append({"data_id": data_id, "team_id": item.draft.team_id, "dataset_id": item.draft.dataset_id,
                               "collection_id": item.draft.collection_id, "type": spec.type, "text": spec.text})  # fmt: skip
                owners.append((item, vector))
        if params:
            for index_id, (item, vector) in zip(_insert_index_rows(conn, params), owners, strict=True):
                outcome.added.append(self._row(item.draft, index_id, vector))
        outcome.written += data_ids
        return [
            TextRow(data_id, i.draft.team_id, i.draft.dataset_id, i.draft.collection_id, i.tokens)
            for data_id, i in zip(data_ids, items, strict=True)
        ]

    def _write_data(self, conn: Connection, item: PreparedData, now: Any) -> str | None:
        """Update an existing data item (re-index / rebuild); None when it is gone."""
        draft = item.draft
        values = {"q": draft.q, "a": draft.a, "chunk_index": draft.chunk_index, "tokens": item.budget_tokens}
        changed = conn.execute(
            update(DATA)
            .where(DATA.c.id == draft.data_id, DATA.c.collection_id == draft.collection_id)
            .values(rebuilding=False, update_time=now, **values)
        )
        return draft.data_id if changed.rowcount else None

    def _write_indexes(self, conn: Connection, item: PreparedData, data_id: str, outcome: WriteOutcome) -> None:
        draft = item.draft
        current = {int(s.data_id or 0): s for s in existing_indexes(conn, data_id)} if draft.data_id else {}
        keep: set[int] = set()
        new_rows: list[tuple[IndexSpec, np.ndarray]] = []
        for spec, vector in zip(item.indexes, item.vectors, strict=True):
            index_id = int(spec.data_id) if spec.data_id and spec.data_id.isdigit() else None
            if index_id is not None and index_id in current and index_id not in keep and vector is None:
                keep.add(index_id)  # unchanged text: same row, same vector
                continue
            assert vector is not None and vector.size, "a new or changed index needs a vector"
            new_rows.append((spec, vector))  # changed text gets a new row id (and a new vector)
        dropped = [index_id for index_id in current if index_id not in keep]
        if dropped:
            conn.execute(delete(INDEXES).where(INDEXES.c.id.in_(dropped)))
            outcome.removed_ids.extend(dropped)
        if not new_rows:
            return
        params = [
            {
                "data_id": data_id,
                "team_id": draft.team_id,
                "dataset_id": draft.dataset_id,
                "collection_id": draft.collection_id,
                "type": spec.type,
                "text": spec.text,
            }
            for spec, _ in new_rows
        ]
        ids = conn.execute(insert(INDEXES).returning(INDEXES.c.id, sort_by_parameter_order=True), params).scalars()
        for index_id, (_, vector) in zip(ids, new_rows, strict=True):
            outcome.added.append(self._row(draft, int(index_id), vector))

    @staticmethod
    def _row(draft: DataDraft, index_id: int, vector: np.ndarray) -> VectorRow:
        return VectorRow(
            id=index_id,
            team_id=draft.team_id,
            dataset_id=draft.dataset_id,
            collection_id=draft.collection_id,
            vector=vector,
        )

    async def store(self, items: Sequence[PreparedData], *, owner: str | None = None) -> WriteOutcome:
        """Write ``items`` in one transaction, then tell the vector store it committed."""
        started = time.perf_counter()
        outcome = await self.db.run_write(lambda conn: self.write(conn, items, owner=owner))
        self.vectors.committed(outcome.added, removed_ids=outcome.removed_ids)
        self.timings["write"] += time.perf_counter() - started
        return outcome


def count_new_data(conn: Connection, collection_ids: Sequence[str]) -> None:
    """Add the new data items to their collections' `data_amount`, last in the transaction (the collection row
    stays locked until the commit) and in id order (two batches never wait on each other's rows crosswise)."""
    for collection_id, added in sorted(Counter(collection_ids).items()):
        ADD_DATA_AMOUNT.execute(conn, {"id": collection_id, "added": added})


def _insert_index_rows(conn: Connection, params: list[dict[str, Any]]) -> list[int]:
    """Insert the index rows of new data items; their ids, in ``params`` order.

    PostgreSQL numbers them in its ``RETURNING`` batches. SQLite would answer ``RETURNING`` in
    parameter order one statement per row, so the rows go in with one ``executemany``: SQLite gives
    each inserted row the table's largest rowid + 1 (the writer transaction holds the database's
    write lock), so the new rows are numbered on from the largest id before the insert. Only at the
    largest possible rowid does SQLite pick free ids at random: the largest id then does not grow by
    the number of rows.
    """
    if conn.dialect.name != "sqlite":
        stmt = insert(INDEXES).returning(INDEXES.c.id, sort_by_parameter_order=True)
        return [int(index_id) for index_id in conn.execute(stmt, params).scalars()]
    before = _largest_index_id(conn)
    INSERT_INDEXES.execute_many(conn, params)
    after = _largest_index_id(conn)
    if after - before != len(params):
        raise RuntimeError(f"inserted {len(params)} index rows, ids grew by {after - before}")
    return list(range(before + 1, after + 1))


def _largest_index_id(conn: Connection) -> int:
    row = LARGEST_INDEX_ID.first(conn)
    return int(row[0]) if row is not None and row[0] is not None else 0

"""A knowledge base on SQLite or PostgreSQL for the training tests, and an embedder the test holds back.

``GatedEmbedding`` wraps the fake server's embedding model: every request waits until the test opens
the gate, so a test can look at the queue while a batch is "embedding"; it can also fail requests.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text

from pyfastgpt.ai.protocols import EmbeddingModel, EmbeddingResult, ModelRegistry
from pyfastgpt.ai.registry import build_registry
from pyfastgpt.core.config import Settings
from pyfastgpt.services.auth import AuthContext
from pyfastgpt.services.dataset import (
    CollectionService,
    DatasetCreate,
    DatasetService,
    KnowledgeBase,
    build_knowledge_base,
)
from pyfastgpt.services.dataset.ingest import CollectionDraft
from pyfastgpt.store.db import Database
from pyfastgpt.store.migrate import upgrade
from tests.fake_llm import FakeLLM
from tests.support.tenants import add_team

WAIT_S = 60.0  # a safety net for waits on background work, never a measured duration
TABLES = {"data": "dataset_datas", "indexes": "dataset_data_indexes", "vectors": "dataset_vectors",
          "texts": "dataset_texts", "jobs": "training_jobs"}  # fmt: skip


@dataclass
class Setup:
    kb: KnowledgeBase
    ctx: AuthContext
    dataset_id: str


@asynccontextmanager
async def knowledge_base(
    tmp_path: Path, fake: FakeLLM, database_url: str = "", *, batch_size: int = 32, lease_s: float = 0.3
) -> AsyncIterator[Setup]:
    config = tmp_path / "models.yaml"
    config.write_text(
        f'providers:\n  f: {{base_url: "{fake.base_url}", api_key: k}}\n'
        f"models:\n  - {{id: fake-embedding, type: embedding, provider: f, dimension: 384, batchSize: {batch_size}}}\n"
    )
    settings = Settings(data_dir=tmp_path, database_url=database_url, models_config=config,  # type: ignore[call-arg]
                        training_lease_s=lease_s, local_llm_enabled=False)  # fmt: skip
    await upgrade(settings.resolved_database_url)
    db = Database(settings.resolved_database_url)
    registry = build_registry(settings)
    kb = build_knowledge_base(db, settings, registry)
    ctx = await db.run_write_session(lambda session: add_team(session, "training team"))
    dataset_id = await DatasetService(kb).create(ctx, DatasetCreate(name="training kb"))
    try:
        yield Setup(kb, ctx, dataset_id)
    finally:
        await kb.vectors.close()
        await registry.aclose()
        await db.dispose()


async def add_collection(setup: Setup, chunks: int) -> str:
    body = "-----CUSTOM_SPLIT_SIGN-----".join(f"chunk {n} of the training test" for n in range(chunks))
    draft = CollectionDraft(
        dataset_id=setup.dataset_id, name="c", type="virtual", params={"chunkTriggerType": "forceChunk"}
    )
    result = await CollectionService(setup.kb).create_from_text(setup.ctx, draft, body)
    return str(result["collectionId"])


async def counts(setup: Setup) -> dict[str, int]:
    return await setup.kb.db.run_read(
        lambda conn: {
            name: int(
                conn.execute(
                    text(f"SELECT count(*) FROM {table} WHERE dataset_id = :d"), {"d": setup.dataset_id}
                ).scalar_one()
            )
            for name, table in TABLES.items()
        }
    )


async def jobs(setup: Setup) -> list[dict[str, Any]]:
    """Every queued job: lease owner, retries left, error."""
    sql = text("SELECT id, lease_owner, retry_count, error_msg FROM training_jobs WHERE dataset_id = :d")
    return await setup.kb.db.run_read(
        lambda conn: [dict(row._mapping) for row in conn.execute(sql, {"d": setup.dataset_id})]
    )


async def drained(setup: Setup) -> bool:
    return not await jobs(setup)


async def until(check: Callable[[], Awaitable[bool]], what: str) -> None:
    """Wait for background work to reach a state (polled)."""
    async with asyncio.timeout(WAIT_S):
        while not await check():
            await asyncio.sleep(0.02)
    assert await check(), what


class GatedEmbedding:
    """The real model behind a gate: requests wait until ``gate`` is set; ``failures`` are raised
    (one per request, in order) instead of embedding."""

    def __init__(self, inner: EmbeddingModel) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dimension = inner.dimension
        self.max_tokens = inner.max_tokens
        self.batch_size = inner.batch_size
        self.gate = asyncio.Event()
        self.failures: list[Exception] = []
        self.waiting = 0
        self.requests = 0
        self._changed = asyncio.Condition()

    async def embed_queries(self, texts: Sequence[str]) -> EmbeddingResult:
        return await self.inner.embed_queries(texts)

    async def embed_passages(self, texts: Sequence[str]) -> EmbeddingResult:
        async with self._changed:
            self.waiting += 1
            self.requests += 1
            self._changed.notify_all()
        try:
            await self.gate.wait()
        finally:
            async with self._changed:
                self.waiting -= 1
        if self.failures:
            raise self.failures.pop(0)
        return await self.inner.embed_passages(texts)

    async def until_waiting(self, count: int) -> None:
        async with asyncio.timeout(WAIT_S), self._changed:
            await self._changed.wait_for(lambda: self.waiting >= count)


class GatedRegistry:
    """The knowledge base's registry, answering ``embedding()`` with one gated model."""

    def __init__(self, inner: ModelRegistry) -> None:
        self.inner = inner
        self.model = GatedEmbedding(inner.embedding(None))

    def embedding(self, model_id: str | None = None) -> GatedEmbedding:
        return self.model

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def gate_embeddings(setup: Setup) -> GatedEmbedding:
    registry = GatedRegistry(setup.kb.registry)
    setup.kb.writer.registry = registry  # type: ignore[assignment]
    return registry.model

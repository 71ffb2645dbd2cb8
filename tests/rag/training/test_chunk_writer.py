"""The write step's guarantees: a worker that lost its lease writes nothing; a deleted collection's
jobs are dropped; data, index rows, vectors and full-text rows commit together."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from pyfastgpt.ai.registry import build_registry
from pyfastgpt.core.config import Settings
from pyfastgpt.rag.training.worker import TrainingWorker
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
from pyfastgpt.store.models import Team, TeamMember
from tests.fake_llm import FakeLLM


@dataclass
class Setup:
    kb: KnowledgeBase
    ctx: AuthContext
    dataset_id: str


@pytest.fixture(params=["sqlite", "pg"])
async def setup(request: pytest.FixtureRequest, tmp_path: Path, fake: FakeLLM) -> AsyncIterator[Setup]:
    url = request.getfixturevalue("pg").new_database() if request.param == "pg" else ""
    config = tmp_path / "models.yaml"
    config.write_text(
        f'providers:\n  f: {{base_url: "{fake.base_url}", api_key: k}}\n'
        "models:\n  - {id: fake-embedding, type: embedding, provider: f, dimension: 384}\n"
    )
    settings = Settings(data_dir=tmp_path, database_url=url, models_config=config, training_lease_s=0.3,
                        local_llm_enabled=False)  # type: ignore[call-arg]  # fmt: skip
    await upgrade(settings.resolved_database_url)
    db = Database(settings.resolved_database_url)
    registry = build_registry(settings)
    kb = build_knowledge_base(db, settings, registry)
    async with db.write() as session:
        team = Team(name="writer team")
        session.add(team)
        await session.flush()
        member = TeamMember(team_id=team.id, name="o", role="owner")
        session.add(member)
        await session.flush()
        ctx = AuthContext(team_id=team.id, tmb_id=member.id, auth_type="root")
    dataset_id = await DatasetService(kb).create(ctx, DatasetCreate(name="writer kb"))
    try:
        yield Setup(kb, ctx, dataset_id)
    finally:
        await kb.vectors.close()
        await registry.aclose()
        await db.dispose()


async def add_collection(setup: Setup, chunks: int) -> str:
    body = "-----CUSTOM_SPLIT_SIGN-----".join(f"chunk {n} of the writer test" for n in range(chunks))
    draft = CollectionDraft(
        dataset_id=setup.dataset_id, name="c", type="virtual", params={"chunkTriggerType": "forceChunk"}
    )
    result = await CollectionService(setup.kb).create_from_text(setup.ctx, draft, body)
    return str(result["collectionId"])


async def counts(setup: Setup) -> dict[str, int]:
    tables = {"data": "dataset_datas", "indexes": "dataset_data_indexes", "vectors": "dataset_vectors",
              "texts": "dataset_texts", "jobs": "training_jobs"}  # fmt: skip
    return await setup.kb.db.run_read(
        lambda conn: {
            name: int(
                conn.execute(
                    text(f"SELECT count(*) FROM {table} WHERE dataset_id = :d"), {"d": setup.dataset_id}
                ).scalar_one()
            )
            for name, table in tables.items()
        }
    )


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

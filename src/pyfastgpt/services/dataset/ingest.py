"""Raw text → resolved chunk settings → chunks → a collection and its queued training jobs."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, insert

from pyfastgpt.core.clock import utcnow
from pyfastgpt.core.cpu_work import run_cpu
from pyfastgpt.core.errors import InvalidRequest
from pyfastgpt.core.ids import new_id
from pyfastgpt.rag.splitter import ChunkSettings, resolve_chunk_settings
from pyfastgpt.rag.text_jobs import split_chunks
from pyfastgpt.rag.training.queue import JobDraft, insert_jobs
from pyfastgpt.services.dataset.access import COLLECTIONS
from pyfastgpt.services.dataset.kb import KnowledgeBase

QA_MIN_CHARS = 4000


def settings_wire(settings: ChunkSettings) -> dict[str, Any]:
    """The resolved settings in FastGPT's camelCase (stored on the collection)."""
    return {
        "trainingType": settings.training_type,
        "chunkSettingMode": settings.chunk_setting_mode,
        "chunkSplitMode": settings.chunk_split_mode,
        "chunkSize": settings.chunk_size,
        "indexSize": settings.index_size,
        "paragraphChunkDeep": settings.paragraph_chunk_deep,
        "paragraphChunkMinSize": settings.paragraph_chunk_min_size,
        "chunkSplitter": settings.chunk_splitter,
        "qaPrompt": settings.qa_prompt,
        "indexPrefixTitle": settings.index_prefix_title,
        "autoIndexes": settings.auto_indexes,
        "chunkTriggerType": settings.chunk_trigger_type,
        "chunkTriggerMinSize": settings.chunk_trigger_min_size,
    }


@dataclass(slots=True)
class CollectionDraft:
    dataset_id: str
    name: str
    type: str
    parent_id: str | None = None
    tags: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    raw_link: str | None = None
    file_id: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class IngestPlan:
    settings: ChunkSettings
    chunks: list[str]
    raw_length: int
    raw_hash: str


def resolve(kb: KnowledgeBase, dataset: Any, params: Mapping[str, Any]) -> ChunkSettings:
    training_type = params.get("trainingType") or params.get("mode") or "chunk"
    if training_type not in ("chunk", "qa", "auto"):
        raise InvalidRequest(f"Unsupported trainingType {training_type}", key="invalidParams")
    asked = ChunkSettings.from_wire({**params, "trainingType": training_type})
    embed = kb.registry.info(dataset.vector_model)
    llm_context = llm_response = None
    if dataset.agent_model:
        try:
            llm = kb.registry.info(dataset.agent_model)
            llm_context, llm_response = llm.max_context, llm.max_response
        except Exception:
            llm_context = None
    return resolve_chunk_settings(
        asked,
        embedding_max_tokens=embed.max_context,
        embedding_default_tokens=embed.default_token,
        llm_max_context=llm_context,
        llm_max_response=llm_response,
    )


async def plan_text(kb: KnowledgeBase, dataset: Any, text: str, params: Mapping[str, Any]) -> IngestPlan:
    """The resolved settings and the chunks of ``text`` (split in a text worker of the request lane: a large
    text takes a while, and the request waits for it, not for the training loops' batches; see `run_cpu`)."""
    settings = resolve(kb, dataset, params)
    chunks = await run_cpu(kb.settings.resolved_text_processes, split_chunks, text, settings, lane="request")
    return IngestPlan(settings, chunks, len(text), hashlib.sha256(text.encode()).hexdigest())


def insert_collection(conn: Connection, ctx: Any, draft: CollectionDraft, plan: IngestPlan | None) -> str:
    collection_id, now = new_id(), utcnow()
    conn.execute(
        insert(COLLECTIONS).values(
            id=collection_id, parent_id=draft.parent_id or None, team_id=ctx.team_id, tmb_id=ctx.tmb_id,
            dataset_id=draft.dataset_id, type=draft.type, name=draft.name, tags=draft.tags,
            file_id=draft.file_id, raw_link=draft.raw_link,
            raw_text_length=plan.raw_length if plan else 0, hash_raw_text=plan.raw_hash if plan else None,
            metadata=draft.metadata, forbid=False,
            training_type=plan.settings.training_type if plan else "chunk",
            chunk_settings=settings_wire(plan.settings) if plan else {},
            create_time=now, update_time=now,
        )
    )  # fmt: skip
    return collection_id


def chunk_jobs(ctx: Any, dataset_id: str, collection_id: str, plan: IngestPlan) -> list[JobDraft]:
    mode = "qa" if plan.settings.training_type == "qa" else "chunk"
    return [
        JobDraft(
            team_id=ctx.team_id,
            tmb_id=ctx.tmb_id,
            dataset_id=dataset_id,
            collection_id=collection_id,
            mode=mode,
            q=chunk,
            chunk_index=index,
            index_size=plan.settings.index_size,
        )
        for index, chunk in enumerate(plan.chunks)
    ]


def push_result(insert_len: int, over_token: list[Any] | None = None, error: list[Any] | None = None) -> dict[str, Any]:
    return {"insertLen": insert_len, "overToken": over_token or [], "repeat": [], "error": error or []}


def create_with_jobs(conn: Connection, ctx: Any, draft: CollectionDraft, plan: IngestPlan) -> str:
    collection_id = insert_collection(conn, ctx, draft, plan)
    insert_jobs(conn, chunk_jobs(ctx, draft.dataset_id, collection_id, plan))
    return collection_id

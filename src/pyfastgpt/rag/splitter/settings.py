"""Chunk settings of a collection (FastGPT ``computedCollectionChunkSettings``) and the chunk trigger.

Auto mode: paragraph splitting 5 heading levels deep, ``chunk_size`` 1000 for chunk training or
``clamp(llm.max_context - llm.max_response, 2000, 8000)`` for QA, ``index_size`` = the embedding
model's default tokens (512 when unknown; its max tokens for QA), no custom separator.
Custom mode: ``chunk_size = min(chunk_size, max(llm.max_context - llm.max_response, 2000))``;
heading depth only in paragraph mode. ``qa_prompt`` survives only for QA.
(FastGPT leaves an unset custom ``chunk_size``/``index_size`` undefined and later falls back to 512;
the resolved settings carry that 512 directly.)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pyfastgpt.rag.splitter.split import DEFAULT_MAX_CHUNK_SIZE, split_text

TrainingType = Literal["chunk", "qa", "backup", "template", "imageParse", "auto"]
ChunkSettingMode = Literal["auto", "custom"]
ChunkSplitMode = Literal["paragraph", "size", "char"]
ChunkTriggerType = Literal["minSize", "maxSize", "forceChunk"]

AUTO_CHUNK_SIZE = 1000
MIN_CHUNK_SIZE = 64
FALLBACK_SIZE = 512
CHUNK_OVERLAP_RATIO = 0.2

_WIRE_NAMES = {
    "trainingType": "training_type",
    "chunkSettingMode": "chunk_setting_mode",
    "chunkSplitMode": "chunk_split_mode",
    "chunkSize": "chunk_size",
    "indexSize": "index_size",
    "paragraphChunkDeep": "paragraph_chunk_deep",
    "paragraphChunkMinSize": "paragraph_chunk_min_size",
    "paragraphChunkAIMode": "paragraph_chunk_ai_mode",
    "chunkSplitter": "chunk_splitter",
    "qaPrompt": "qa_prompt",
    "autoIndexes": "auto_indexes",
    "indexPrefixTitle": "index_prefix_title",
    "chunkTriggerType": "chunk_trigger_type",
    "chunkTriggerMinSize": "chunk_trigger_min_size",
}


@dataclass(slots=True)
class ChunkSettings:
    """A collection's chunking parameters; after :func:`resolve_chunk_settings`, all final."""

    training_type: TrainingType = "chunk"
    chunk_setting_mode: ChunkSettingMode = "auto"
    chunk_split_mode: ChunkSplitMode | None = None
    chunk_size: int | None = None
    index_size: int | None = None
    paragraph_chunk_deep: int = 5
    paragraph_chunk_min_size: int | None = None
    paragraph_chunk_ai_mode: str | None = None
    chunk_splitter: str | None = None
    qa_prompt: str | None = None
    auto_indexes: bool = False
    index_prefix_title: bool = False
    chunk_trigger_type: ChunkTriggerType = "minSize"
    chunk_trigger_min_size: int = 1000
    max_size: int = DEFAULT_MAX_CHUNK_SIZE  # the LLM's chunk limit: custom separators and merges
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_wire(cls, params: Mapping[str, Any]) -> ChunkSettings:
        """Build from FastGPT's camelCase collection-create parameters (unknown keys are ignored)."""
        values = {_WIRE_NAMES[key]: value for key, value in params.items() if key in _WIRE_NAMES}
        return cls(**{key: value for key, value in values.items() if value is not None})

    @property
    def overlap_ratio(self) -> float:
        return CHUNK_OVERLAP_RATIO if self.training_type == "chunk" else 0.0

    def split_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for :func:`split_text` as FastGPT's collection controller passes them."""
        return {
            "chunk_size": self.chunk_size or FALLBACK_SIZE,
            "overlap_ratio": self.overlap_ratio,
            "custom_reg": [self.chunk_splitter] if self.chunk_splitter else [],
            "max_size": self.max_size,
            "paragraph_deep": self.paragraph_chunk_deep,
            "paragraph_min_size": self.paragraph_chunk_min_size or 100,
        }


def llm_max_chunk_size(max_context: int | None, max_response: int | None) -> int:
    if max_context is None:
        return DEFAULT_MAX_CHUNK_SIZE
    return max(max_context - (max_response or 0), 2000)


def resolve_chunk_settings(
    params: ChunkSettings | Mapping[str, Any],
    *,
    embedding_max_tokens: int | None = None,
    embedding_default_tokens: int | None = None,
    llm_max_context: int | None = None,
    llm_max_response: int | None = None,
) -> ChunkSettings:
    """Resolve what a client asked for against the dataset's embedding model and LLM."""
    asked = params if isinstance(params, ChunkSettings) else ChunkSettings.from_wire(params)
    settings = ChunkSettings(**{name: getattr(asked, name) for name in ChunkSettings.__slots__})
    settings.extra = dict(asked.extra)
    if settings.training_type == "auto":  # abandoned in 4.9: chunk + auto indexes
        settings.training_type, settings.auto_indexes = "chunk", True
    if settings.training_type != "qa":
        settings.qa_prompt = None

    max_chunk = llm_max_chunk_size(llm_max_context, llm_max_response)
    settings.max_size = max_chunk
    max_index = embedding_max_tokens or FALLBACK_SIZE
    if settings.training_type == "qa":
        auto_chunk = (
            DEFAULT_MAX_CHUNK_SIZE if llm_max_context is None else max(min(max_chunk, DEFAULT_MAX_CHUNK_SIZE), 2000)
        )
        auto_index = index_size = max_index
    else:
        auto_chunk = AUTO_CHUNK_SIZE
        auto_index = embedding_default_tokens or FALLBACK_SIZE
        index_size = settings.index_size or FALLBACK_SIZE

    if settings.chunk_setting_mode == "auto":
        settings.chunk_split_mode = "paragraph"
        settings.paragraph_chunk_ai_mode = "forbid"
        settings.paragraph_chunk_deep = 5
        settings.paragraph_chunk_min_size = 100
        settings.chunk_size = auto_chunk
        settings.index_size = auto_index
        settings.chunk_splitter = None
    else:
        if settings.chunk_split_mode != "paragraph":
            settings.paragraph_chunk_deep = 0
        size = settings.chunk_size
        settings.chunk_size = min(size, max_chunk) if size else FALLBACK_SIZE
        settings.index_size = min(index_size, max_index)

    if settings.training_type in ("backup", "template"):
        settings.chunk_splitter = None
        settings.index_prefix_title = False
    return settings


def raw_text_to_chunks(raw_text: str, settings: ChunkSettings) -> list[str]:
    """Split a collection's raw text unless the chunk trigger says to keep it as one chunk.

    ``minSize`` (default): texts shorter than ``chunk_trigger_min_size`` stay whole; ``maxSize``:
    texts shorter than 70 % of the LLM's chunk limit stay whole; ``forceChunk``: always split.
    """
    length = len(raw_text.strip())
    if not length:
        return []
    if settings.chunk_trigger_type == "maxSize" and length < settings.max_size * 0.7:
        return [raw_text]
    if settings.chunk_trigger_type != "forceChunk" and length < settings.chunk_trigger_min_size:
        return [raw_text]
    return split_text(raw_text, **settings.split_kwargs())

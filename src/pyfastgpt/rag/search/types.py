"""What a knowledge-base search takes and answers (`searchDatasetData`'s props and result); the
workflow's dataset node, `searchTest` and the MCP dataset tool all speak these."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pyfastgpt.ai.usage import UsageItem


@dataclass(slots=True)
class DatasetSearchParams:
    team_id: str
    dataset_ids: list[str]
    query: str
    limit: int = 5000  # max tokens of the returned quotes
    similarity: float = 0.0
    search_mode: str = "embedding"  # embedding | fullTextRecall | mixedRecall
    embedding_weight: float = 0.5
    using_rerank: bool = False
    rerank_model: str | None = None
    rerank_weight: float = 0.5
    using_extension_query: bool = False
    extension_model: str | None = None
    extension_bg: str = ""
    collection_filter: Any = None
    histories: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class DatasetSearchResult:
    quotes: list[dict[str, Any]]  # {id, datasetId, collectionId, sourceName, sourceId, q, a, chunkIndex, score}
    search_mode: str = "embedding"
    limit: int = 5000
    similarity: float = 0.0
    using_rerank: bool = False
    using_similarity_filter: bool = True
    usages: list[UsageItem] = field(default_factory=list)
    query_extension: dict[str, Any] | None = None  # {model, inputTokens, outputTokens, query}
    embedding_tokens: int = 0
    rerank_tokens: int = 0
    embedding_model: str = ""

"""`DatasetSearchService`: FastGPT's knowledge-base search (reference §6.6), behind the workflow's
`DatasetSearch` port and `POST /api/core/dataset/searchTest`.

1. queries: the text, plus LLM rewrites when query extension is on (`extension.py`);
2. candidates: embedding 100 / full-text 100 / mixed 80 + 60;
3. scope: forbidden and deleted collections excluded; `collectionFilterMatch` (`filters.py`);
4–6. embedding and full-text recall per query, RRF (k=60) across queries (`recall.py`);
7. embedding vs full-text: weighted RRF, `embeddingWeight` / `1 - embeddingWeight`;
8. rerank (documents `q\\na`, deduplicated) fused with weight `rerankWeight`; failure → off;
9–11. dedup by normalised q+a, similarity filter, token budget (`fusion.py`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

from pyfastgpt.ai.protocols import EmbeddingModel, ModelRegistry
from pyfastgpt.ai.usage import UsageItem
from pyfastgpt.core.config import Settings
from pyfastgpt.core.errors import InvalidRequest, NotFound, PermissionDenied
from pyfastgpt.rag.search.extension import Extension, extend_query
from pyfastgpt.rag.search.filters import collection_scope, parse_search_filter
from pyfastgpt.rag.search.fusion import (
    Quote,
    filter_by_similarity,
    limit_by_tokens,
    remove_duplicates,
    weighted_rrf,
)
from pyfastgpt.rag.search.recall import Recaller, RecallScope
from pyfastgpt.rag.search.records import DatasetRow, Scope, SearchRecords
from pyfastgpt.rag.search.types import DatasetSearchParams, DatasetSearchResult
from pyfastgpt.store.db import Database
from pyfastgpt.store.fulltext.types import FullTextIndex
from pyfastgpt.store.vector.types import VectorStore

log = logging.getLogger(__name__)

SEARCH_MODES = ("embedding", "fullTextRecall", "mixedRecall")
RECALL_LIMITS = {"embedding": (100, 0), "fullTextRecall": (0, 100), "mixedRecall": (80, 60)}
USAGE_SEARCH = "Dataset search"
USAGE_RERANK = "Rerank"
USAGE_EXTENSION = "core.module.template.Query extension"


def _clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return min(max(float(value), low), high)


class DatasetSearchService:
    """Implements `pyfastgpt.workflow.ports.DatasetSearch`."""

    def __init__(
        self,
        db: Database,
        registry: ModelRegistry,
        vector_store: VectorStore,
        fulltext_index: FullTextIndex,
        settings: Settings | None = None,
    ) -> None:
        self.registry = registry
        self.settings = settings
        self.records = SearchRecords(db)
        self.recaller = Recaller(self.records, vector_store, fulltext_index)

    # ------------------------------------------------------------------ checks
    async def authorise(
        self, team_id: str, dataset_ids: Sequence[str], *, all_collections: bool = True
    ) -> tuple[list[DatasetRow], Scope]:
        """The datasets, all existing and of `team_id` (FastGPT's unExistDataset / unAuthDataset),
        and their collections (all, or only the forbidden and deleted ones)."""
        if not dataset_ids:
            raise InvalidRequest("No dataset selected", key="missingParams")
        scope = await self.records.scope(dataset_ids, all_collections=all_collections)
        found = {d.id: d for d in scope.datasets}
        rows = []
        for dataset_id in dict.fromkeys(dataset_ids):
            row = found.get(dataset_id)
            if row is None or row.deleted:
                raise NotFound(f"Dataset {dataset_id} does not exist", key="unExistDataset")
            if row.team_id != team_id:
                raise PermissionDenied(key="unAuthDataset")
            rows.append(row)
        return rows, scope

    def embedding_model_id(self, datasets: Sequence[DatasetRow]) -> str:
        default = (self.settings.default_embedding if self.settings else "") or None
        ids = {d.vector_model or default or self.registry.embedding(None).model_id for d in datasets}
        if len(ids) > 1:
            raise InvalidRequest(
                "The selected datasets use different embedding models "
                f"({', '.join(sorted(ids))}); only datasets with the same embedding model can be searched together",
                key="invalidParams",
            )
        return ids.pop()

    # ------------------------------------------------------------------ search
    async def search(self, params: DatasetSearchParams) -> DatasetSearchResult:
        mode = params.search_mode if params.search_mode in SEARCH_MODES else "embedding"
        similarity = _clamp(params.similarity or 0)
        search_filter = parse_search_filter(params.collection_filter)
        restricted = search_filter is not None and search_filter.restricts_collections
        datasets, loaded = await self.authorise(params.team_id, params.dataset_ids, all_collections=restricted)
        model_id = self.embedding_model_id(datasets)
        dataset_ids = [d.id for d in datasets]
        forbidden, allowed = collection_scope(loaded.collections, search_filter)
        scope = RecallScope(
            team_id=params.team_id,
            dataset_ids=dataset_ids,
            collection_ids=allowed,
            forbid_collection_ids=forbidden,
            metadata=search_filter.metadata if search_filter else None,
        )
        usages: list[UsageItem] = []
        extension = Extension(queries=[params.query], rerank_query=params.query)
        if params.using_extension_query and params.query.strip():
            extension = await extend_query(
                self.registry,
                query=params.query,
                model_id=params.extension_model,
                background=params.extension_bg or "",
                histories=params.histories,
            )
            if extension.model:
                usages.append(
                    self._usage(USAGE_EXTENSION, extension.model, extension.input_tokens, extension.output_tokens)
                )

        embedding_limit, full_text_limit = RECALL_LIMITS[mode]
        if allowed is not None and not allowed:
            embedding_limit = full_text_limit = 0  # the filter leaves no collection: nothing to recall
        model = self.registry.embedding(model_id) if embedding_limit else None
        (embedding_list, embedding_tokens), full_text_list = await asyncio.gather(
            self._embedding(scope, model, extension.queries, embedding_limit),
            self.recaller.full_text(scope, extension.queries, full_text_limit),
        )
        if embedding_tokens:
            usages.insert(0, self._usage(USAGE_SEARCH, model_id, embedding_tokens))

        weight = _clamp(params.embedding_weight if params.embedding_weight is not None else 0.5)
        recalled = weighted_rrf([(weight, embedding_list), (1 - weight, full_text_list)])
        using_rerank = False
        rerank_tokens = 0
        rerank_model_id = ""
        if params.using_rerank and extension.rerank_query.strip() and recalled:
            recalled, rerank_tokens, rerank_model_id = await self._rerank(
                params.rerank_model, extension.rerank_query, recalled, _clamp(params.rerank_weight)
            )
            using_rerank = bool(rerank_model_id)
            if using_rerank:
                usages.append(self._usage(USAGE_RERANK, rerank_model_id, rerank_tokens))

        unique = remove_duplicates(recalled)
        kept, using_filter = filter_by_similarity(
            unique, using_rerank=using_rerank, search_mode=mode, similarity=similarity
        )
        quotes = limit_by_tokens(kept, params.limit)
        return DatasetSearchResult(
            quotes=quotes,
            search_mode=mode,
            limit=params.limit,
            similarity=similarity,
            using_rerank=using_rerank,
            using_similarity_filter=using_filter,
            usages=usages,
            query_extension=self._extension_info(extension),
            embedding_tokens=embedding_tokens,
            rerank_tokens=rerank_tokens,
            embedding_model=model_id,
        )

    async def _embedding(
        self, scope: RecallScope, model: EmbeddingModel | None, queries: Sequence[str], limit: int
    ) -> tuple[list[Quote], int]:
        if model is None or limit <= 0:
            return [], 0
        return await self.recaller.embedding(scope, model, queries, limit)

    async def _rerank(
        self, model_id: str | None, query: str, recalled: list[Quote], weight: float
    ) -> tuple[list[Quote], int, str]:
        """(results, tokens, model id); on any failure the recalled list unchanged and no model."""
        try:
            model = self.registry.rerank(model_id)
            if model is None:
                return recalled, 0, ""
            documents = remove_duplicates(recalled)
            texts = [f"{d.get('q') or ''}\n{d.get('a') or ''}".strip() for d in documents]
            result = await model.rerank(query, texts)
            if len(result.scores) != len(documents) or not documents:
                raise ValueError("the rerank model answered no scores")
        except Exception as exc:  # rerank is best effort, as in FastGPT
            log.warning("rerank failed, searching without it: %s", exc)
            return recalled, 0, ""
        order = sorted(range(len(documents)), key=lambda i: result.scores[i], reverse=True)
        reranked = [
            {**documents[i], "score": [{"type": "reRank", "value": float(result.scores[i]), "index": rank}]}
            for rank, i in enumerate(order)
        ]
        if weight >= 1:
            return reranked, result.tokens, model.model_id
        return weighted_rrf([(1 - weight, recalled), (weight, reranked)]), result.tokens, model.model_id

    def _usage(self, module: str, model_id: str, input_tokens: int, output_tokens: int = 0) -> UsageItem:
        try:
            name = self.registry.info(model_id).name
        except Exception:
            name = model_id
        points = self.registry.points(model_id, input_tokens, output_tokens)
        return UsageItem(module, name, input_tokens, output_tokens, points)

    @staticmethod
    def _extension_info(extension: Extension) -> dict[str, Any] | None:
        if not extension.model:
            return None
        return {
            "model": extension.model,
            "inputTokens": extension.input_tokens,
            "outputTokens": extension.output_tokens,
            "query": "\n".join(extension.extension_queries or []),
        }

"""Step 4–6 of the search: embedding recall and full-text recall per query, fused across queries."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from pyfastgpt.ai.protocols import EmbeddingModel
from pyfastgpt.rag.fulltext import asegment_query
from pyfastgpt.rag.search.filters import metadata_matches
from pyfastgpt.rag.search.fusion import Quote, concat_recall_lists
from pyfastgpt.rag.search.records import SearchRecords
from pyfastgpt.store.fulltext.types import FullTextIndex, TextHit
from pyfastgpt.store.vector.types import VectorHit, VectorStore

# With a metadata filter, candidates are fetched this many times over (at most MAX_FETCH) and
# filtered afterwards, so that about `limit` survive a selective filter.
METADATA_OVERFETCH = 5
MAX_FETCH = 2000


@dataclass(slots=True)
class RecallScope:
    team_id: str
    dataset_ids: list[str]
    collection_ids: list[str] | None  # None: no restriction
    forbid_collection_ids: list[str]
    metadata: dict[str, Any] | None = None

    def fetch_size(self, limit: int) -> int:
        return limit if self.metadata is None else min(max(limit * METADATA_OVERFETCH, limit), MAX_FETCH)

    def keeps(self, item: Quote) -> bool:
        return self.metadata is None or metadata_matches(self.metadata, item.get("metadata"))


def _ranked(items: list[Quote], score_type: str, limit: int) -> list[Quote]:
    """Re-number the rank `index` after dropping hits, and cut to `limit`."""
    ranked = []
    for index, item in enumerate(items[:limit]):
        score = [{"type": score_type, "value": item.pop("_score"), "index": index}]
        ranked.append({**item, "score": score})
    return ranked


class Recaller:
    def __init__(self, records: SearchRecords, vector_store: VectorStore, fulltext: FullTextIndex) -> None:
        self.records = records
        self.vector_store = vector_store
        self.fulltext = fulltext

    async def embedding(
        self, scope: RecallScope, model: EmbeddingModel, queries: Sequence[str], limit: int
    ) -> tuple[list[Quote], int]:
        """Embed the queries (one call), search each, map vector ids to data (first hit per data wins);
        RRF across queries. Returns (fused list cut to `limit`, embedding tokens)."""
        queries = [q.strip() for q in queries if q.strip()]
        if limit <= 0 or not queries:
            return [], 0
        embedded = await model.embed_queries(queries)
        fetch = scope.fetch_size(limit)
        hit_lists: list[list[VectorHit]] = await asyncio.gather(
            *(
                self.vector_store.search(
                    team_id=scope.team_id,
                    dataset_ids=scope.dataset_ids,
                    query=np.asarray(vector, dtype=np.float32),
                    limit=fetch,
                    collection_ids=scope.collection_ids,
                    forbid_collection_ids=scope.forbid_collection_ids,
                )
                for vector in embedded.vectors
            )
        )
        index_ids = [hit.id for hits in hit_lists for hit in hits]
        quotes = await self.records.by_index_ids(scope.team_id, scope.dataset_ids, index_ids)
        lists: list[list[Quote]] = []
        for hits in hit_lists:
            seen: set[str] = set()
            items: list[Quote] = []
            for hit in sorted(hits, key=lambda h: h.score, reverse=True):
                quote = quotes.get(hit.id)
                if quote is None or quote["id"] in seen or not scope.keeps(quote):
                    continue
                seen.add(quote["id"])
                items.append({**quote, "_score": float(hit.score)})
            lists.append(_ranked(items, "embedding", limit))
        return concat_recall_lists(lists, limit), embedded.tokens

    async def full_text(self, scope: RecallScope, queries: Sequence[str], limit: int) -> list[Quote]:
        """Segment each query (jieba search mode), search the full-text index; RRF across queries."""
        queries = [q.strip() for q in queries if q.strip()]
        if limit <= 0 or not queries:
            return []
        fetch = scope.fetch_size(limit)

        async def one(query: str) -> list[TextHit]:
            tokens = await asegment_query(query)
            if not tokens:
                return []
            return await self.fulltext.search(
                team_id=scope.team_id,
                dataset_ids=scope.dataset_ids,
                query_tokens=tokens,
                limit=fetch,
                collection_ids=scope.collection_ids,
                forbid_collection_ids=scope.forbid_collection_ids,
            )

        hit_lists = await asyncio.gather(*(one(q) for q in queries))
        data_ids = [hit.data_id for hits in hit_lists for hit in hits]
        quotes = await self.records.by_data_ids(scope.team_id, scope.dataset_ids, data_ids)
        lists: list[list[Quote]] = []
        for hits in hit_lists:
            seen: set[str] = set()
            items: list[Quote] = []
            for hit in hits:
                quote = quotes.get(hit.data_id)
                if quote is None or hit.data_id in seen or not scope.keeps(quote):
                    continue
                seen.add(hit.data_id)
                items.append({**quote, "_score": float(hit.score)})
            lists.append(_ranked(items, "fullText", limit))
        return concat_recall_lists(lists, limit)

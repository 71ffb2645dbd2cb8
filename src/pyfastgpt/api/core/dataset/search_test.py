"""`POST /api/core/dataset/searchTest`: one search over a dataset, as FastGPT's search test page runs it."""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from pyfastgpt.api.deps import Auth, Svc
from pyfastgpt.api.envelope import ok
from pyfastgpt.api.schema_docs import NOT_BLANK, required_in_schema
from pyfastgpt.core.errors import InvalidRequest, PermissionDenied
from pyfastgpt.core.limits import QueryText
from pyfastgpt.rag.search.types import DatasetSearchParams, DatasetSearchResult
from pyfastgpt.services.auth import AuthContext
from pyfastgpt.services.dataset.search_usage import record_search_usage

router = APIRouter(prefix="/api/core/dataset", tags=["dataset search"])

DEFAULT_LIMIT = 5000
MAX_LIMIT = 20000


_TAGS = {"type": ["array", "null"], "items": {"type": ["string", "null"]}}
_TIME = {
    "anyOf": [
        {"type": "null"},
        {"type": "string", "maxLength": 0},
        {"type": "string", "format": "date-time"},
        {"type": "number", "minimum": 0, "maximum": 253_402_300_799_000},
    ]
}
# `rag/search/filters.py` `parse_search_filter`; its JSON or JSON5 text is read too (FastGPT's workflow form).
FILTER_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {
            "type": "object",
            "properties": {
                "tags": {"type": ["object", "null"], "properties": {"$and": _TAGS, "$or": _TAGS}},
                "createTime": {"type": ["object", "null"], "properties": {"$gte": _TIME, "$lte": _TIME}},
                "collectionIds": {"type": ["array", "null"], "items": {"type": "string"}},
                "metadata": {"type": ["object", "null"], "description": "Mongo-style: `$and`, `$or`, `$not`, `$eq`, …"},
            },
        },
        {"type": "null"},
    ],
    "description": "Which collections to search (tags, creation time, ids, metadata); JSON or JSON5 text of it is read too.",
}


class SearchTestBody(BaseModel):
    model_config = ConfigDict(extra="allow", json_schema_extra=required_in_schema("datasetId", "text"))
    datasetId: str = ""
    text: QueryText = Field(default="", json_schema_extra=NOT_BLANK)
    limit: int | None = None
    similarity: float | None = None
    searchMode: str = "embedding"
    embeddingWeight: float | None = None
    usingReRank: bool = False
    rerankModel: str | None = None
    rerankWeight: float | None = None
    datasetSearchUsingExtensionQuery: bool = False
    datasetSearchExtensionModel: str | None = None
    datasetSearchExtensionBg: str = ""
    collectionFilterMatch: Annotated[Any, WithJsonSchema(FILTER_SCHEMA)] = None


def params_of(ctx: AuthContext, body: SearchTestBody) -> DatasetSearchParams:
    limit = DEFAULT_LIMIT if body.limit is None else min(max(int(body.limit), 1), MAX_LIMIT)
    return DatasetSearchParams(
        team_id=ctx.team_id,
        dataset_ids=[body.datasetId],
        query=body.text,
        limit=limit,
        similarity=body.similarity or 0.0,
        search_mode=body.searchMode or "embedding",
        embedding_weight=0.5 if body.embeddingWeight is None else body.embeddingWeight,
        using_rerank=body.usingReRank,
        rerank_model=body.rerankModel or None,
        rerank_weight=0.5 if body.rerankWeight is None else body.rerankWeight,
        using_extension_query=body.datasetSearchUsingExtensionQuery,
        extension_model=body.datasetSearchExtensionModel or None,
        extension_bg=body.datasetSearchExtensionBg or "",
        collection_filter=body.collectionFilterMatch,
    )


def response_of(result: DatasetSearchResult, seconds: float) -> dict[str, Any]:
    data: dict[str, Any] = {
        "list": result.quotes,
        "duration": f"{seconds:.3f}s",
        "searchMode": result.search_mode,
        "limit": result.limit,
        "similarity": result.similarity,
        "usingReRank": result.using_rerank,
        "usingSimilarityFilter": result.using_similarity_filter,
    }
    if result.query_extension:
        data["queryExtensionModel"] = result.query_extension.get("model")
    return data


@router.post("/searchTest")
async def search_test(body: SearchTestBody, ctx: Auth, services: Svc) -> dict[str, Any]:
    if not body.datasetId or not body.text.strip():
        raise InvalidRequest("datasetId and text are required", key="missingParams")
    if not ctx.is_team_wide:
        raise PermissionDenied("An app-bound API key cannot read datasets", key="unAuthDataset")
    start = time.perf_counter()
    result = await services.dataset_search.search(params_of(ctx, body))
    seconds = time.perf_counter() - start
    await record_search_usage(services.db, services.keys, ctx, result)
    return ok(response_of(result, seconds))

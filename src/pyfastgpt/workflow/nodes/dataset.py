"""`datasetSearchNode` (through the injected `DatasetSearch`) and `datasetConcatNode` (RRF merge)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyfastgpt.ai.tokens import count_tokens
from pyfastgpt.rag.search.types import DatasetSearchParams
from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.inputs import NodeInputs, wire
from pyfastgpt.workflow.node import Node, NodeResult, NodeRunError, register_node
from pyfastgpt.workflow.values import js_number

RRF_K = 60


def limit_by_tokens(quotes: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """Walk in order summing tokens of q+a; stop once over `limit` (last may overshoot)."""
    result: list[dict[str, Any]] = []
    total = 0
    for item in quotes:
        total += count_tokens(f"{item.get('q', '')}{item.get('a', '')}")
        result.append(item)
        if total > limit:
            break
    return result


def rrf_merge(lists: list[list[dict[str, Any]]], k: int = RRF_K) -> list[dict[str, Any]]:
    """`datasetSearchResultConcat`: reciprocal-rank fusion keyed by quote id."""
    scores: dict[str, float] = {}
    items: dict[str, dict[str, Any]] = {}
    for quotes in lists:
        for rank, item in enumerate(quotes):
            key = str(item.get("id"))
            scores[key] = scores.get(key, 0.0) + 1 / (k + rank + 1)
            items.setdefault(key, item)
    ordered = sorted(scores, key=lambda key: scores[key], reverse=True)
    merged: list[dict[str, Any]] = []
    for index, key in enumerate(ordered):
        item = dict(items[key])
        others = [s for s in item.get("score") or [] if s.get("type") != "rrf"]
        item["score"] = [*others, {"type": "rrf", "value": scores[key], "index": index}]
        merged.append(item)
    return merged


@dataclass(slots=True)
class DatasetSearchInputs(NodeInputs):
    datasets: Any = wire("datasets", factory=list, or_default=True)
    user_input: Any = wire("userChatInput", "", or_default=True)
    limit: Any = wire("limit")
    similarity: Any = wire("similarity")
    search_mode: Any = wire("searchMode", "embedding", or_default=True)
    embedding_weight: Any = wire("embeddingWeight", 0.5)
    using_rerank: Any = wire("usingReRank")
    rerank_model: str | None = wire("rerankModel", None, or_default=True)
    rerank_weight: Any = wire("rerankWeight", 0.5)
    using_extension_query: Any = wire("datasetSearchUsingExtensionQuery")
    extension_model: str | None = wire("datasetSearchExtensionModel", None, or_default=True)
    extension_bg: Any = wire("datasetSearchExtensionBg", "", or_default=True)
    collection_filter: Any = wire("collectionFilterMatch")


@register_node
class DatasetSearchNode(Node[DatasetSearchInputs]):
    node_type = "datasetSearchNode"
    inputs_type = DatasetSearchInputs

    async def run(self, ctx: NodeContext, inputs: DatasetSearchInputs) -> NodeResult:
        datasets = [d for d in inputs.datasets if isinstance(d, dict) and d.get("datasetId")]
        if not datasets:
            raise NodeRunError("core.chat.error.Select dataset empty")
        query = str(inputs.user_input)
        if not query:
            raise NodeRunError("core.chat.error.User input empty")
        search = ctx.deps.dataset_search
        if search is None:
            raise NodeRunError("Knowledge-base search is not available")
        params = DatasetSearchParams(
            team_id=ctx.run_state.team_id,
            dataset_ids=[str(d["datasetId"]) for d in datasets],
            query=query,
            limit=int(js_number(inputs.limit) or 5000),
            similarity=float(js_number(inputs.similarity) or 0),
            search_mode=str(inputs.search_mode),
            embedding_weight=float(js_number(inputs.embedding_weight) or 0),
            using_rerank=bool(inputs.using_rerank),
            rerank_model=inputs.rerank_model,
            rerank_weight=float(js_number(inputs.rerank_weight) or 0),
            using_extension_query=bool(inputs.using_extension_query),
            extension_model=inputs.extension_model,
            extension_bg=str(inputs.extension_bg),
            collection_filter=inputs.collection_filter,
            histories=ctx.histories,
        )
        result = await search.search(params)
        quotes = result.quotes
        points = sum(u.total_points for u in result.usages)
        response: dict[str, Any] = {
            "totalPoints": points,
            "query": query,
            "embeddingModel": result.embedding_model,
            "embeddingTokens": result.embedding_tokens,
            "similarity": result.similarity if result.using_similarity_filter else None,
            "limit": result.limit,
            "searchMode": result.search_mode,
            "embeddingWeight": params.embedding_weight if result.search_mode == "mixedRecall" else None,
            "searchUsingReRank": result.using_rerank,
            "rerankModel": params.rerank_model if result.using_rerank else None,
            "rerankWeight": params.rerank_weight if result.using_rerank else None,
            "quoteList": quotes,
        }
        if result.query_extension:
            response["extensionModel"] = result.query_extension.get("model")
            response["extensionResult"] = result.query_extension.get("query")
        return NodeResult(
            data={"quoteQA": quotes},
            response=response,
            usages=list(result.usages),
            tool_responses=[
                {
                    "id": q.get("id"),
                    "sourceName": q.get("sourceName"),
                    "updateTime": q.get("updateTime"),
                    "content": f"{q.get('q', '')}\n{q.get('a', '')}".strip(),
                }
                for q in quotes
            ],
        )


@dataclass(slots=True)
class DatasetConcatInputs(NodeInputs):
    limit: Any = wire("limit")


@register_node
class DatasetConcatNode(Node[DatasetConcatInputs]):
    node_type = "datasetConcatNode"
    inputs_type = DatasetConcatInputs

    async def run(self, ctx: NodeContext, inputs: DatasetConcatInputs) -> NodeResult:
        limit = int(js_number(inputs.limit) or 5000)
        # the quote lists are inputs added to the node, under keys it cannot know in advance
        lists = [
            value
            for item in ctx.node.inputs
            if item.get("key") not in ("limit",) and item.get("valueType") == "datasetQuote"
            for value in [ctx.params.get(str(item.get("key")))]
            if isinstance(value, list)
        ]
        quotes = limit_by_tokens(rrf_merge(lists), limit)
        return NodeResult(data={"quoteQA": quotes}, response={"concatLength": len(quotes)})

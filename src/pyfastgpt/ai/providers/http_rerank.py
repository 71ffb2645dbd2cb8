"""Rerank over HTTP: Jina / Cohere / TEI style `POST /rerank {query, documents, top_n}`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pyfastgpt.ai.errors import ModelError
from pyfastgpt.ai.protocols import RerankResult
from pyfastgpt.ai.providers.transport import HttpTransport
from pyfastgpt.ai.tokens import count_tokens
from pyfastgpt.core.observability import observed_model


@observed_model("rerank")
class HttpRerankModel:
    """A `RerankModel` behind a rerank endpoint. Accepts `{results: [{index, relevance_score}]}`
    (Jina, Cohere, vLLM), `{data: [...]}` and TEI's bare `[{index, score}]`."""

    def __init__(
        self,
        model_id: str,
        *,
        transport: HttpTransport,
        upstream_model: str | None = None,
        path: str = "/rerank",
        default_body: dict[str, Any] | None = None,
    ) -> None:
        self.model_id = model_id
        self.transport = transport
        self.upstream_model = upstream_model or model_id
        self.path = path
        self.default_body = default_body or {}

    async def rerank(self, query: str, documents: Sequence[str]) -> RerankResult:
        if not documents:
            return RerankResult(scores=[], tokens=0)
        body = {
            **self.default_body,
            "model": self.upstream_model,
            "query": query,
            "documents": list(documents),
            "top_n": len(documents),
        }
        answer = await self.transport.post_json(self.path, body)
        items = answer if isinstance(answer, list) else (answer.get("results") or answer.get("data"))
        scores = [0.0] * len(documents)
        try:
            for item in items:
                index = int(item["index"])
                score = item.get("relevance_score", item.get("score"))
                if not 0 <= index < len(documents) or score is None:
                    raise ValueError(f"bad result {item}")
                scores[index] = float(score)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            message = f"unexpected rerank answer: {str(answer)[:200]}"
            raise ModelError(message, provider=self.transport.provider) from exc
        return RerankResult(scores=scores, tokens=self._tokens(answer, query, documents))

    @staticmethod
    def _tokens(answer: Any, query: str, documents: Sequence[str]) -> int:
        if isinstance(answer, dict):
            usage = answer.get("usage") or {}
            billed = (answer.get("meta") or {}).get("billed_units") or {}
            for value in (usage.get("total_tokens"), billed.get("input_tokens"), billed.get("search_units")):
                if isinstance(value, int | float):
                    return int(value)
        return count_tokens(query) * len(documents) + sum(count_tokens(d) for d in documents)

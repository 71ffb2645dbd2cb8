"""Embeddings over an OpenAI-compatible `/embeddings` endpoint, in batches of `batch_size`."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

import numpy as np

from pyfastgpt.ai.errors import ModelError
from pyfastgpt.ai.protocols import EmbeddingResult, Vectors
from pyfastgpt.ai.providers.transport import HttpTransport
from pyfastgpt.ai.tokens import count_tokens
from pyfastgpt.core.observability import observed_model


def l2_normalise(vectors: Vectors) -> Vectors:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    normalised: Vectors = (vectors / norms).astype(np.float32, copy=False)
    return normalised


@observed_model("embedding")
class OpenAIEmbeddingModel:
    """An `EmbeddingModel` served by an OpenAI-compatible provider.

    `query_body` / `passage_body` are extra request fields for queries and for stored passages
    (FastGPT's `queryConfig` / `dbConfig`); vectors are L2-normalised unless `normalise=False`.
    """

    def __init__(
        self,
        model_id: str,
        *,
        transport: HttpTransport,
        dimension: int,
        max_tokens: int = 512,
        batch_size: int = 32,
        upstream_model: str | None = None,
        normalise: bool = True,
        default_body: dict[str, Any] | None = None,
        query_body: dict[str, Any] | None = None,
        passage_body: dict[str, Any] | None = None,
        path: str = "/embeddings",
    ) -> None:
        self.model_id = model_id
        self.dimension = dimension
        self.max_tokens = max_tokens
        self.batch_size = max(1, batch_size)
        self.transport = transport
        self.upstream_model = upstream_model or model_id
        self.normalise = normalise
        self.default_body = default_body or {}
        self.query_body = query_body or {}
        self.passage_body = passage_body or {}
        self.path = path

    async def embed_queries(self, texts: Sequence[str]) -> EmbeddingResult:
        return await self._embed(texts, self.query_body)

    async def embed_passages(self, texts: Sequence[str]) -> EmbeddingResult:
        return await self._embed(texts, self.passage_body)

    async def _embed(self, texts: Sequence[str], extra: dict[str, Any]) -> EmbeddingResult:
        parts: list[Vectors] = []
        tokens = 0
        for start in range(0, len(texts), self.batch_size):
            batch = list(texts[start : start + self.batch_size])
            vectors, used = await self._embed_batch(batch, extra)
            parts.append(vectors)
            tokens += used
        if not parts:
            return EmbeddingResult(vectors=np.zeros((0, self.dimension), dtype=np.float32), tokens=0)
        vectors = np.concatenate(parts) if len(parts) > 1 else parts[0]
        return EmbeddingResult(vectors=l2_normalise(vectors) if self.normalise else vectors, tokens=tokens)

    async def _embed_batch(self, batch: list[str], extra: dict[str, Any]) -> tuple[Vectors, int]:
        body = {**self.default_body, **extra, "model": self.upstream_model, "input": batch}
        body.setdefault("encoding_format", "float")
        answer = await self.transport.post_json(self.path, body)
        provider = self.transport.provider
        try:
            items = sorted(answer["data"], key=lambda item: int(item.get("index", 0)))
            rows = [self._decode(item["embedding"]) for item in items]
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelError(f"unexpected embeddings answer: {str(answer)[:200]}", provider=provider) from exc
        if len(rows) != len(batch):
            raise ModelError(f"asked for {len(batch)} embeddings, got {len(rows)}", provider=provider)
        vectors = np.vstack(rows).astype(np.float32, copy=False)
        if vectors.shape[1] != self.dimension:
            raise ModelError(
                f"model {self.model_id} returned {vectors.shape[1]}-d vectors, configured {self.dimension}",
                provider=provider,
            )
        usage = answer.get("usage") if isinstance(answer, dict) else None
        used = usage.get("prompt_tokens", usage.get("total_tokens")) if isinstance(usage, dict) else None
        return vectors, int(used) if used is not None else sum(count_tokens(t) for t in batch)

    @staticmethod
    def _decode(raw: Any) -> np.ndarray[Any, np.dtype[np.float32]]:
        if isinstance(raw, str):
            return np.frombuffer(base64.b64decode(raw), dtype=np.float32)
        return np.asarray(raw, dtype=np.float32)

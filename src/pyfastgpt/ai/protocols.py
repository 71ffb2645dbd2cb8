"""The model layer's contract: chat, embedding and rerank models behind protocols.

Everything above `ai/` (workflow nodes, knowledge-base search, services) talks to models only
through these types and `ModelRegistry`; providers (OpenAI-compatible HTTP, embedded local
models, test doubles) implement them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

Role = Literal["system", "user", "assistant", "tool"]
ModelType = Literal["llm", "embedding", "rerank"]


@dataclass(slots=True)
class ToolCall:
    id: str
    name: str
    arguments: str  # JSON text, as the model produced it


@dataclass(slots=True)
class ChatMessage:
    """One OpenAI-style message. `content` is a string or a list of parts:
    ``{"type": "text", "text": …}`` / ``{"type": "image_url", "image_url": {"url": …}}``."""

    role: Role
    content: str | list[dict[str, Any]] | None = None
    name: str | None = None
    tool_calls: list[ToolCall] | None = None
    tool_call_id: str | None = None
    reasoning_content: str | None = None


@dataclass(slots=True)
class ToolSpec:
    name: str
    description: str
    parameters: dict[str, Any]  # JSON schema


@dataclass(slots=True)
class ChatRequest:
    messages: list[ChatMessage]
    model: str | None = None  # None: the registry's default LLM
    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None
    stop: list[str] | None = None
    response_format: dict[str, Any] | None = None  # {"type": "json_object"} or json_schema
    tools: list[ToolSpec] | None = None
    tool_choice: str | dict[str, Any] | None = None
    reasoning: bool = False  # ask for / pass through reasoning_content
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Usage:
    input_tokens: int = 0
    output_tokens: int = 0


@dataclass(slots=True)
class ChatResult:
    content: str
    reasoning_content: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    finish_reason: str = "stop"
    usage: Usage = field(default_factory=Usage)
    model: str = ""


@dataclass(slots=True)
class ToolCallDelta:
    index: int
    id: str | None = None
    name: str | None = None
    arguments: str = ""  # streamed fragment of the JSON arguments


@dataclass(slots=True)
class ChatDelta:
    """One streamed piece. The last delta of a stream carries `finish_reason` and `usage`."""

    content: str = ""
    reasoning_content: str = ""
    tool_calls: list[ToolCallDelta] = field(default_factory=list)
    finish_reason: str | None = None
    usage: Usage | None = None


@runtime_checkable
class ChatModel(Protocol):
    model_id: str

    async def complete(self, request: ChatRequest) -> ChatResult: ...

    def stream(self, request: ChatRequest) -> AsyncIterator[ChatDelta]: ...


Vectors = npt.NDArray[np.float32]  # shape (n, dimension), L2-normalised


@dataclass(slots=True)
class EmbeddingResult:
    vectors: Vectors
    tokens: int


@runtime_checkable
class EmbeddingModel(Protocol):
    model_id: str
    dimension: int
    max_tokens: int
    batch_size: int

    async def embed_queries(self, texts: Sequence[str]) -> EmbeddingResult: ...

    async def embed_passages(self, texts: Sequence[str]) -> EmbeddingResult: ...


@dataclass(slots=True)
class RerankResult:
    scores: list[float]  # aligned with the documents passed in; higher is more relevant
    tokens: int = 0


@runtime_checkable
class RerankModel(Protocol):
    model_id: str

    async def rerank(self, query: str, documents: Sequence[str]) -> RerankResult: ...


@dataclass(slots=True)
class PriceTier:
    max_input_tokens: float | None  # thousands of input tokens; None: open-ended last tier
    input_price: float
    output_price: float


@dataclass(slots=True)
class ModelInfo:
    """A registry entry (no secrets)."""

    id: str
    type: ModelType
    name: str
    provider: str
    max_context: int = 16000
    max_response: int = 4000
    dimension: int | None = None
    is_default: bool = False
    input_price: float = 0.0
    output_price: float = 0.0
    chars_points_price: float = 0.0
    price_tiers: list[PriceTier] = field(default_factory=list)
    vision: bool = False
    tool_choice: bool = True
    reasoning: bool = False
    # provider-side model name (FastGPT's `model`); empty: same as `id`
    upstream_model: str = ""
    # embedding: FastGPT's `defaultToken`, the chunk size datasets use when they set none
    default_token: int | None = None
    # llm: FastGPT's `quoteMaxToken`, the most tokens of knowledge-base quotes in a prompt
    quote_max_token: int | None = None
    function_call: bool = False
    avatar: str = ""


class ModelRegistry(Protocol):
    def llm(self, model_id: str | None = None) -> ChatModel: ...

    def embedding(self, model_id: str | None = None) -> EmbeddingModel: ...

    def rerank(self, model_id: str | None = None) -> RerankModel | None: ...

    def resolve(self, model_type: ModelType, model_id: str | None) -> str: ...

    def info(self, model_id: str) -> ModelInfo: ...

    def list_models(self) -> list[ModelInfo]: ...

    def points(self, model_id: str, input_tokens: int, output_tokens: int = 0) -> float: ...

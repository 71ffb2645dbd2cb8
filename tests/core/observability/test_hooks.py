"""The engine's and the chat round's hooks: nothing happens when metrics and tracing are off; with
tracing on a node span is the current span while the node runs, so the model calls it makes (real
OpenAI-compatible providers against the fake provider over HTTP) are its children and carry the
chat and app ids; with metrics on, nodes that raise are counted."""

from __future__ import annotations

import pytest
from opentelemetry.trace import SpanKind

from pyfastgpt.ai.providers.openai_chat import OpenAIChatModel
from pyfastgpt.ai.providers.openai_embedding import OpenAIEmbeddingModel
from pyfastgpt.ai.providers.transport import HttpTransport
from pyfastgpt.core.observability import metrics, node_span, observe_chat_round, tracing
from pyfastgpt.core.observability.hooks import _NOOP, chat_ids
from tests.core.observability.support import Node, Run, ask, by_name, recorded_spans
from tests.fake_llm import EMBEDDING_MODEL, FakeLLM, Reply


def test_off_means_untouched(metrics_off: None) -> None:
    assert not tracing.ON and not metrics.ON
    assert node_span(Run(), Node()) is _NOOP  # one shared object: nothing built per node
    rounds = metrics.REGISTRY.get_sample_value("pyfastgpt_chat_rounds_total")
    observe_chat_round("app", "chat")
    assert metrics.REGISTRY.get_sample_value("pyfastgpt_chat_rounds_total") == rounds
    assert chat_ids.get() is None


async def test_node_span_parents_model_calls(fake: FakeLLM, transport: HttpTransport) -> None:
    fake.script(Reply(content="answer", usage=(9, 4)), Reply(content="streamed answer", chunks=3, usage=(6, 3)))
    fake.set_embedding_dimension(EMBEDDING_MODEL, 8)
    model = OpenAIChatModel("fake-llm", transport=transport)
    embedder = OpenAIEmbeddingModel(EMBEDDING_MODEL, transport=transport, dimension=8)
    with recorded_spans() as exporter:
        with node_span(Run(), Node()):
            await model.complete(ask("one"))
            deltas = [delta async for delta in model.stream(ask("two"))]
            await embedder.embed_queries(["three"])
        await model.complete(ask("outside any node"))
        spans = exporter.get_finished_spans()
    assert "".join(d.content for d in deltas) == "streamed answer"
    node = by_name(spans, "node chatNode")
    assert node.attributes == {
        "fastgpt.node.id": "n1",
        "fastgpt.node.type": "chatNode",
        "fastgpt.node.name": "AI chat",
        "fastgpt.app_id": "app-1",
        "fastgpt.chat_id": "chat-1",
    }
    inside = [s for s in spans if s.parent is not None and s.parent.span_id == node.context.span_id]  # type: ignore[union-attr]
    assert sorted(s.name for s in inside) == ["chat fake-llm", "chat fake-llm", f"embeddings {EMBEDDING_MODEL}"]
    usages = sorted(
        ((s.attributes or {})["gen_ai.usage.input_tokens"], (s.attributes or {})["gen_ai.usage.output_tokens"])
        for s in inside
        if s.name == "chat fake-llm"
    )
    assert usages == [(6, 3), (9, 4)]
    for span in inside:
        assert span.kind == SpanKind.CLIENT
        assert (span.attributes or {})["fastgpt.chat_id"] == "chat-1"
        assert (span.attributes or {})["fastgpt.app_id"] == "app-1"
    [outside] = [s for s in spans if s.parent is None and s.name == "chat fake-llm"]
    assert "fastgpt.chat_id" not in (outside.attributes or {})


def test_nodes_that_raise_are_counted_without_tracing(metrics_on: None) -> None:
    before = metrics.REGISTRY.get_sample_value("pyfastgpt_errors_total", {"source": "node"}) or 0.0
    with pytest.raises(ValueError), node_span(Run(), Node()):
        raise ValueError("node failed")
    with node_span(Run(), Node()):
        pass
    assert metrics.REGISTRY.get_sample_value("pyfastgpt_errors_total", {"source": "node"}) == before + 1

"""`@observed_model`: off, a call is the provider's own coroutine or iterator; on, failed calls and
streams closed early are told apart from good ones in spans and metrics, and tokens are counted
without tracing too. Real OpenAI-compatible providers against the fake provider over HTTP."""

from __future__ import annotations

import pytest
from opentelemetry.trace import StatusCode

from pyfastgpt.ai.errors import ModelError
from pyfastgpt.ai.providers.openai_chat import OpenAIChatModel
from pyfastgpt.ai.providers.transport import HttpTransport
from pyfastgpt.core.observability import metrics, node_span, observe_chat_round, tracing
from tests.core.observability.support import Node, Run, ask, by_name, recorded_spans
from tests.fake_llm import FakeLLM, Reply


def test_off_means_the_providers_own_call(metrics_off: None) -> None:
    assert not tracing.ON and not metrics.ON
    model = OpenAIChatModel("fake-llm", transport=HttpTransport(provider="openai", base_url="http://127.0.0.1:9"))
    pending = model.complete(ask("hi"))
    assert pending.cr_code is OpenAIChatModel.complete.__wrapped__.__code__  # type: ignore[attr-defined]
    pending.close()
    stream = model.stream(ask("hi"))
    assert stream.ag_code is OpenAIChatModel.stream.__wrapped__.__code__  # type: ignore[attr-defined]


async def test_failures_and_abandoned_streams(fake: FakeLLM, transport: HttpTransport, metrics_on: None) -> None:
    fake.script(Reply(fault="500"), Reply(content="one two three four", chunks=4))
    model = OpenAIChatModel("fake-llm", transport=transport)
    labels = {"kind": "llm", "model": "fake-llm"}
    before = {
        outcome: metrics.REGISTRY.get_sample_value("pyfastgpt_model_calls_total", {**labels, "outcome": outcome}) or 0
        for outcome in ("error", "cancelled")
    }
    errors_before = metrics.REGISTRY.get_sample_value("pyfastgpt_errors_total", {"source": "node"}) or 0
    with recorded_spans() as exporter:
        with pytest.raises(ModelError), node_span(Run(), Node()):
            await model.complete(ask("fails"))
        stream = model.stream(ask("abandoned"))
        first = await stream.__anext__()  # type: ignore[attr-defined]
        await stream.aclose()  # type: ignore[attr-defined]
        spans = exporter.get_finished_spans()
    assert first.content
    failed, abandoned = [s for s in spans if s.name == "chat fake-llm"]
    assert failed.status.status_code == StatusCode.ERROR
    assert by_name(spans, "node chatNode").status.status_code == StatusCode.ERROR
    assert (abandoned.attributes or {})["fastgpt.cancelled"] is True
    assert abandoned.status.status_code == StatusCode.UNSET
    for outcome in ("error", "cancelled"):
        now = metrics.REGISTRY.get_sample_value("pyfastgpt_model_calls_total", {**labels, "outcome": outcome})
        assert now == before[outcome] + 1
    assert metrics.REGISTRY.get_sample_value("pyfastgpt_errors_total", {"source": "node"}) == errors_before + 1


async def test_metrics_without_tracing(fake: FakeLLM, transport: HttpTransport, metrics_on: None) -> None:
    fake.script(Reply(content="x", usage=(21, 8)))
    labels = {"kind": "llm", "model": "fake-llm"}

    def sample(name: str, **extra: str) -> float:
        return metrics.REGISTRY.get_sample_value(name, {**labels, **extra}) or 0.0

    before = (
        sample("pyfastgpt_model_tokens_total", direction="input"),
        sample("pyfastgpt_model_tokens_total", direction="output"),
    )
    rounds = metrics.REGISTRY.get_sample_value("pyfastgpt_chat_rounds_total") or 0.0
    assert not tracing.ON
    with node_span(Run(), Node()):
        await OpenAIChatModel("fake-llm", transport=transport).complete(ask("count"))
    observe_chat_round("app", "chat")
    after = (
        sample("pyfastgpt_model_tokens_total", direction="input"),
        sample("pyfastgpt_model_tokens_total", direction="output"),
    )
    assert (after[0] - before[0], after[1] - before[1]) == (21, 8)
    assert metrics.REGISTRY.get_sample_value("pyfastgpt_chat_rounds_total") == rounds + 1

"""Traces of a real chat round over HTTP: request span → node spans → model-call span, carrying the
chat and app ids, on both backends, for JSON answers and streams; an incoming `traceparent` is
continued."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.trace import SpanKind, StatusCode

from tests.api.core.chat.support import new_chat_id
from tests.api.observability.support import recorded_spans, wait_for_spans
from tests.conftest import FAKE_MODEL
from tests.fake_llm import FakeLLM, Reply
from tests.support.live import LiveServer

COMPLETIONS = "/api/v1/chat/completions"


def answer_of(body: str, stream: bool) -> str:
    if not stream:
        return str(json.loads(body)["choices"][0]["message"]["content"])
    chunks = [json.loads(line[6:]) for line in body.splitlines() if line.startswith("data: {")]
    return "".join(chunk["choices"][0]["delta"].get("content") or "" for chunk in chunks)


def request_span(spans: Sequence[ReadableSpan], chat_id: str) -> ReadableSpan | None:
    for span in spans:
        if span.kind == SpanKind.SERVER and (span.attributes or {}).get("fastgpt.chat_id") == chat_id:
            return span
    return None


def children(spans: Sequence[ReadableSpan], parent: ReadableSpan) -> list[ReadableSpan]:
    assert parent.context is not None
    return [s for s in spans if s.parent is not None and s.parent.span_id == parent.context.span_id]


@pytest.mark.parametrize("stream", [False, True])
def test_chat_round_span_tree(server: LiveServer, fake: FakeLLM, stream: bool) -> None:
    chat_id = new_chat_id("trace")
    fake.script(Reply(content="traced answer", chunks=3, usage=(11, 7)))
    with recorded_spans() as exporter, server.client(server.app_key) as client:
        response = client.post(
            COMPLETIONS,
            json={"chatId": chat_id, "stream": stream, "messages": [{"role": "user", "content": "hello"}]},
        )
        assert response.status_code == 200
        assert answer_of(response.text, stream) == "traced answer"
        spans = wait_for_spans(exporter, lambda found: request_span(found, chat_id) is not None)

    root = request_span(spans, chat_id)
    assert root is not None, [s.name for s in spans]
    assert root.name == f"POST {COMPLETIONS}"
    attributes = root.attributes or {}
    assert attributes["http.route"] == COMPLETIONS
    assert attributes["http.response.status_code"] == 200
    assert attributes["fastgpt.app_id"] == server.app_id
    assert root.parent is None

    nodes = [s for s in children(spans, root) if s.name.startswith("node ")]
    assert {s.name for s in nodes} >= {"node workflowStart", "node chatNode"}
    for node in nodes:
        assert node.context is not None and node.context.trace_id == root.context.trace_id  # type: ignore[union-attr]
        assert (node.attributes or {})["fastgpt.chat_id"] == chat_id
        assert (node.attributes or {})["fastgpt.app_id"] == server.app_id
    chat_node = next(s for s in nodes if s.name == "node chatNode")

    [model] = children(spans, chat_node)
    assert model.name == f"chat {FAKE_MODEL}"
    assert model.kind == SpanKind.CLIENT
    model_attributes = model.attributes or {}
    assert model_attributes["gen_ai.request.model"] == FAKE_MODEL
    assert model_attributes["fastgpt.chat_id"] == chat_id
    assert model_attributes["fastgpt.app_id"] == server.app_id
    assert (model_attributes["gen_ai.usage.input_tokens"], model_attributes["gen_ai.usage.output_tokens"]) == (11, 7)
    assert model.status.status_code == StatusCode.UNSET


def test_incoming_traceparent_is_continued(sqlite_server: LiveServer) -> None:
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    with recorded_spans() as exporter, sqlite_server.client() as client:
        response = client.get("/healthz", headers={"traceparent": f"00-{trace_id}-00f067aa0ba902b7-01"})
        assert response.status_code == 200
        spans = wait_for_spans(exporter, lambda found: any(s.name == "GET /healthz" for s in found))
    [span] = [s for s in spans if s.name == "GET /healthz"]
    assert span.context is not None and format(span.context.trace_id, "032x") == trace_id
    assert span.parent is not None and format(span.parent.span_id, "016x") == "00f067aa0ba902b7"


def test_failed_model_call_marks_its_span(sqlite_server: LiveServer, fake: FakeLLM) -> None:
    chat_id = new_chat_id("trace-fail")
    fake.script(Reply(fault="malformed"))  # not retried: one failed call
    with recorded_spans() as exporter, sqlite_server.client(sqlite_server.app_key) as client:
        client.post(COMPLETIONS, json={"chatId": chat_id, "messages": [{"role": "user", "content": "fail"}]})
        spans = wait_for_spans(exporter, lambda found: request_span(found, chat_id) is not None)
    [model] = [s for s in spans if s.kind == SpanKind.CLIENT and (s.attributes or {}).get("fastgpt.chat_id") == chat_id]
    assert model.status.status_code == StatusCode.ERROR
    assert [event.name for event in model.events] == ["exception"]

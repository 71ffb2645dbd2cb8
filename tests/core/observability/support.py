"""Shared by the observability tests: an SDK tracer provider with an in-memory exporter installed
as the process's tracer for a test, and stand-ins for the engine's node and run."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from pyfastgpt.ai.protocols import ChatMessage, ChatRequest
from pyfastgpt.core.observability import tracing


@contextmanager
def recorded_spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracing.install(provider)
    try:
        yield exporter
    finally:
        tracing.uninstall()
        provider.shutdown()


@dataclass
class Node:
    """What `node_span` reads of the engine's `RuntimeNode`."""

    node_id: str = "n1"
    name: str = "AI chat"
    flow_node_type: str = "chatNode"


@dataclass
class Run:
    """What `node_span` reads of the engine's `RunState`."""

    app_id: str = "app-1"
    chat_id: str = "chat-1"


def ask(text: str) -> ChatRequest:
    return ChatRequest(messages=[ChatMessage(role="user", content=text)])


def by_name(spans: tuple[ReadableSpan, ...] | list[ReadableSpan], name: str) -> ReadableSpan:
    [span] = [span for span in spans if span.name == name]
    return span

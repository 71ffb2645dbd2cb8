"""Shared by the HTTP observability tests: the in-memory span recorder of the core tests, and a
wait for spans that end after the answer was sent."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from tests.core.observability.support import recorded_spans

__all__ = ["recorded_spans", "wait_for_spans"]


def wait_for_spans(
    exporter: InMemorySpanExporter, ready: Callable[[Sequence[ReadableSpan]], bool], timeout_s: float = 15.0
) -> Sequence[ReadableSpan]:
    """The finished spans once `ready` holds (a request span ends just after its body is sent)."""
    deadline = time.monotonic() + timeout_s
    while True:
        spans = exporter.get_finished_spans()
        if ready(spans) or time.monotonic() > deadline:
            return spans
        time.sleep(0.02)

"""In-process figures for `bench/observability.py`, precise where the end-to-end ones are noisy.

- `hook_cost_when_off`: ns a node hook and a model-call hook add to a bare call with metrics and
  tracing off (`timeit`, best of 5).
- `cost_per_round`: process CPU µs of everything observability does for one chat round of the demo
  app — the request middleware, the chat-round hook, three node hooks, one model call — driven through
  the real `ObservabilityMiddleware`, hooks and SDK (spans exported by the batch processor over
  OTLP/HTTP to the local receiver, the export thread's CPU included), minus the same round without
  them. The round's own work (routing, database, the provider call) is left out: it is the same in
  every mode, and the end-to-end bench measures it.
"""

from __future__ import annotations

import asyncio
import os
import time
import timeit
from types import SimpleNamespace
from typing import Any

from starlette.types import Message, Receive, Scope, Send

from pyfastgpt.api.observability.middleware import ObservabilityMiddleware
from pyfastgpt.core.observability import metrics, node_span, observe_chat_round, observed_model, tracing

ROUTE = SimpleNamespace(path="/api/v1/chat/completions")  # what FastAPI's router leaves in the scope
RUN = SimpleNamespace(app_id="6620d1f3a1b2c3d4e5f60718", chat_id="bench-chat")
GUIDE = SimpleNamespace(node_id="userGuide", name="System config", flow_node_type="userGuide")
START = SimpleNamespace(node_id="workflowStartNodeId", name="Start", flow_node_type="workflowStart")
CHAT = SimpleNamespace(node_id="7BdojPlukIQw", name="AI chat", flow_node_type="chatNode")
RESULT = SimpleNamespace(usage=SimpleNamespace(input_tokens=40, output_tokens=20))


class _Bare:
    model_id = "fake-llm"

    async def complete(self, request: Any) -> Any:
        return RESULT


@observed_model("llm")
class _Observed(_Bare):
    async def complete(self, request: Any) -> Any:
        return RESULT


def hook_cost_when_off() -> tuple[float, float]:
    """ns added per call by the node hook and by the model-call hook (metrics and tracing off)."""
    assert not metrics.ON and not tracing.ON

    def bare() -> None:
        pass

    def node() -> None:
        with node_span(RUN, CHAT):
            pass

    model = _Observed()

    def call() -> None:
        model.complete(None).close()

    bare_model = _Bare()

    def bare_call() -> None:
        bare_model.complete(None).close()

    number = 200_000

    def best(stmt: Any) -> float:
        return min(timeit.repeat(stmt, number=number, repeat=5)) / number * 1e9

    return best(node) - best(bare), best(call) - best(bare_call)


async def _round(scope: Scope, receive: Receive, send: Send) -> None:
    scope["route"] = ROUTE
    observe_chat_round(RUN.app_id, RUN.chat_id)
    for node in (GUIDE, START):
        with node_span(RUN, node):
            pass
    with node_span(RUN, CHAT):
        await _MODEL.complete(None)
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": b"{}"})


_MODEL = _Observed()


async def _drive(app: Any, rounds: int) -> None:
    base: Scope = {"type": "http", "method": "POST", "path": "/api/v1/chat/completions", "headers": []}

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        return None

    for _ in range(rounds):
        await app(dict(base), receive, send)


def _cpu_us_per_round(app: Any, rounds: int, flush: Any = None) -> float:
    started = time.process_time()
    asyncio.run(_drive(app, rounds))
    if flush is not None:
        flush()
    return (time.process_time() - started) / rounds * 1e6


def cost_per_round(otlp_url: str, rounds: int = 3000, passes: int = 5) -> dict[str, float]:
    """CPU µs per round added by metrics, and by metrics + traces, over the round with both off."""
    environ = {
        "OTEL_EXPORTER_OTLP_ENDPOINT": otlp_url,
        "OTEL_SERVICE_NAME": "pyfastgpt-bench-inprocess",
        # rounds here come back to back: a queue holding a whole pass, so no span is dropped unexported
        "OTEL_BSP_MAX_QUEUE_SIZE": str(rounds * 5),
    }
    previous = {key: os.environ.get(key) for key in environ}
    os.environ.update(environ)
    try:
        provider = tracing.provider_from_env()
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    assert provider is not None
    with_middleware = ObservabilityMiddleware(_round, routes=[], metrics_enabled=True)
    results: dict[str, list[float]] = {"off": [], "metrics": [], "metrics+traces": []}
    try:
        for _ in range(passes):
            results["off"].append(_cpu_us_per_round(_round, rounds))
            metrics.acquire()
            try:
                results["metrics"].append(_cpu_us_per_round(with_middleware, rounds))
                tracing.install(provider)
                try:
                    results["metrics+traces"].append(
                        _cpu_us_per_round(with_middleware, rounds, lambda: provider.force_flush(30_000))
                    )
                finally:
                    tracing.uninstall()
            finally:
                metrics.release()
    finally:
        provider.shutdown()
    best = {mode: min(values) for mode, values in results.items()}
    return {mode: best[mode] - best["off"] for mode in ("metrics", "metrics+traces")}

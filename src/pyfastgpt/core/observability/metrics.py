"""Prometheus metrics of this process (prometheus-client), recorded only while `ON`.

`ON` is true while at least one server in the process runs with `METRICS_ENABLED` (`acquire` /
`release` from the app's lifespan); every recording hook checks it first, so with metrics off a
hook costs one global lookup. Label children are cached in plain dicts: a recording is a dict
lookup and an `inc`/`observe`, never `labels()`'s lock and tuple building.

Names (all prefixed `pyfastgpt_`):

- `http_requests_total{method,route,status}`, `http_request_duration_seconds{method,route}` —
  `route` is the route *template* (`/api/core/chat/getHistories`, `/api/mcp/app/{key}/mcp`),
  `unmatched` for paths no route serves;
- `chat_rounds_total`;
- `model_calls_total{kind,model,outcome}`, `model_call_duration_seconds{kind,model}`,
  `model_tokens_total{kind,model,direction}` (`direction`: `input` / `output`);
- `errors_total{source}` (`http`: 5xx answers, `model`: failed model calls, `node`: workflow
  nodes that raised);
- training queue gauges, read from the database at scrape time (`api/observability`).
"""

from __future__ import annotations

import threading
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, PlatformCollector, ProcessCollector

ON = False
_holders = 0
_lock = threading.Lock()

REGISTRY = CollectorRegistry()
ProcessCollector(registry=REGISTRY)
PlatformCollector(registry=REGISTRY)

HTTP_REQUESTS = Counter(
    "pyfastgpt_http_requests",
    "HTTP requests answered, by route template and status.",
    ("method", "route", "status"),
    registry=REGISTRY,
)
HTTP_DURATION = Histogram(
    "pyfastgpt_http_request_duration_seconds",
    "Time from request to the end of the response body, by route template.",
    ("method", "route"),
    registry=REGISTRY,
)
CHAT_ROUNDS = Counter("pyfastgpt_chat_rounds", "Chat rounds started.", registry=REGISTRY)
MODEL_CALLS = Counter(
    "pyfastgpt_model_calls",
    "Model calls, by kind (llm, embedding, rerank), model id and outcome (ok, error, cancelled).",
    ("kind", "model", "outcome"),
    registry=REGISTRY,
)
MODEL_DURATION = Histogram(
    "pyfastgpt_model_call_duration_seconds",
    "Duration of one model call (a whole stream for streamed answers), by kind and model id.",
    ("kind", "model"),
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0),
    registry=REGISTRY,
)
MODEL_TOKENS = Counter(
    "pyfastgpt_model_tokens",
    "Tokens of model calls, by kind, model id and direction (input, output).",
    ("kind", "model", "direction"),
    registry=REGISTRY,
)
ERRORS = Counter(
    "pyfastgpt_errors",
    "Errors, by source (http: 5xx answers, model: failed model calls, node: workflow nodes that raised).",
    ("source",),
    registry=REGISTRY,
)

_children: dict[tuple[Any, ...], Any] = {}


def _child(metric: Any, *labels: str) -> Any:
    key = (id(metric), *labels)
    child = _children.get(key)
    if child is None:
        child = _children[key] = metric.labels(*labels)
    return child


def acquire() -> None:
    """A server with metrics on starts: record from now on."""
    global ON, _holders
    with _lock:
        _holders += 1
        ON = True


def release() -> None:
    """That server stops: stop recording when no other one needs it."""
    global ON, _holders
    with _lock:
        _holders = max(0, _holders - 1)
        ON = _holders > 0


def http_request(method: str, route: str, status: int, seconds: float) -> None:
    _child(HTTP_REQUESTS, method, route, str(status)).inc()
    _child(HTTP_DURATION, method, route).observe(seconds)
    if status >= 500:
        _child(ERRORS, "http").inc()


def chat_round() -> None:
    CHAT_ROUNDS.inc()


def model_call(kind: str, model: str, outcome: str, seconds: float, input_tokens: int, output_tokens: int) -> None:
    _child(MODEL_CALLS, kind, model, outcome).inc()
    _child(MODEL_DURATION, kind, model).observe(seconds)
    if input_tokens:
        _child(MODEL_TOKENS, kind, model, "input").inc(input_tokens)
    if output_tokens:
        _child(MODEL_TOKENS, kind, model, "output").inc(output_tokens)
    if outcome == "error":
        _child(ERRORS, "model").inc()


def error(source: str) -> None:
    _child(ERRORS, source).inc()

"""The hooks the workflow engine and the chat round call (model calls: `model_calls.py`).

Each hook reads `tracing.ON` / `metrics.ON` first: with both off it returns at once (a shared
no-op context manager), so nothing is built, timed or labelled. With tracing on:

- `node_span(run, node)` opens span `node <flowNodeType>` as the current span (model calls made
  by the node become its children) with `fastgpt.node.*`, `fastgpt.app_id`, `fastgpt.chat_id`,
  and hands the ids to model-call spans through a context variable;
- `observe_chat_round(app_id, chat_id)` puts the ids on the current (request) span.

With metrics on they count chat rounds and nodes that raise. Nodes and runs are read duck-typed
(`core` imports nothing above it).
"""

from __future__ import annotations

from contextvars import ContextVar
from types import TracebackType
from typing import Any, Protocol

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import Span, Status, StatusCode

from pyfastgpt.core.observability import metrics, tracing

APP_ID = "fastgpt.app_id"
CHAT_ID = "fastgpt.chat_id"

# (app id, chat id) of the round or node running in this context: model-call spans copy them.
chat_ids: ContextVar[tuple[str, str] | None] = ContextVar("pyfastgptchat_ids", default=None)


class NodeLike(Protocol):
    node_id: str
    name: str
    flow_node_type: str


class RunLike(Protocol):
    app_id: str
    chat_id: str


class _NoOp:
    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


_NOOP = _NoOp()


class _NodeErrors:
    """Metrics on, tracing off: only count the nodes that raise."""

    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None and issubclass(kind, Exception):
            metrics.error("node")


_NODE_ERRORS = _NodeErrors()


class _NodeSpan:
    __slots__ = ("_context_token", "_ids", "_ids_token", "_span")

    def __init__(self, run: RunLike, node: NodeLike) -> None:
        self._ids = (run.app_id, run.chat_id)
        self._span = tracing.TRACER.start_span(
            f"node {node.flow_node_type}",
            attributes={
                "fastgpt.node.id": node.node_id,
                "fastgpt.node.type": node.flow_node_type,
                "fastgpt.node.name": node.name,
                APP_ID: run.app_id,
                CHAT_ID: run.chat_id,
            },
        )

    def __enter__(self) -> Span:
        self._ids_token = chat_ids.set(self._ids)
        self._context_token = otel_context.attach(trace.set_span_in_context(self._span))
        return self._span

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, _tb: TracebackType | None
    ) -> None:
        otel_context.detach(self._context_token)
        chat_ids.reset(self._ids_token)
        if isinstance(value, Exception):
            self._span.record_exception(value)
            self._span.set_status(Status(StatusCode.ERROR, str(value)[:200]))
            if metrics.ON:
                metrics.error("node")
        self._span.end()


def node_span(run: RunLike, node: NodeLike) -> Any:
    """`with node_span(self.run, node):` around one node's `run`."""
    if tracing.ON:
        return _NodeSpan(run, node)
    if metrics.ON:
        return _NODE_ERRORS
    return _NOOP


def observe_chat_round(app_id: str, chat_id: str) -> None:
    """A chat round starts: count it, tag the current span and the context with its ids."""
    if metrics.ON:
        metrics.chat_round()
    if tracing.ON:
        chat_ids.set((app_id, chat_id))
        span = trace.get_current_span()
        span.set_attribute(APP_ID, app_id)
        span.set_attribute(CHAT_ID, chat_id)

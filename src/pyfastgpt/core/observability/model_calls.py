"""Model calls as spans and metrics: `@observed_model(kind)` on a provider class.

Every `complete` / `stream` / `embed_queries` / `embed_passages` / `rerank` call then gets, with
tracing on, a client span `<operation> <model id>` with the GenAI attributes
(`gen_ai.operation.name`, `gen_ai.request.model`, `gen_ai.usage.input_tokens` / `output_tokens`)
and the chat and app ids of the node that made it; with metrics on, a count by outcome (`ok`,
`error`, `cancelled` for a stream its reader closed early), the duration and the tokens. Model
spans never become the current span, so a stream may be read across `await`s and closed from
anywhere. With both off, a call is the provider's own coroutine or iterator, returned after one
function frame and two flag reads. Results are read duck-typed: `usage.input_tokens` /
`usage.output_tokens` (chat results, the last delta of a stream) or `tokens` (embeddings, rerank).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

from opentelemetry.trace import Span, SpanKind, Status, StatusCode

from pyfastgpt.core.observability import metrics, tracing
from pyfastgpt.core.observability.hooks import APP_ID, CHAT_ID, chat_ids

OPERATIONS = {"llm": "chat", "embedding": "embeddings", "rerank": "rerank"}
OBSERVED_METHODS = ("complete", "stream", "embed_queries", "embed_passages", "rerank")

T = TypeVar("T")


class ModelCall:
    """One model call in flight: a span (tracing on), a clock, token counts."""

    __slots__ = ("input_tokens", "kind", "model", "output_tokens", "span", "started")

    def __init__(self, kind: str, model: str) -> None:
        self.kind = kind
        self.model = model
        self.input_tokens = 0
        self.output_tokens = 0
        self.span: Span | None = None
        if tracing.ON:
            attributes: dict[str, str] = {
                "gen_ai.operation.name": OPERATIONS.get(kind, kind),
                "gen_ai.request.model": model,
            }
            ids = chat_ids.get()
            if ids is not None:
                attributes[APP_ID], attributes[CHAT_ID] = ids
            self.span = tracing.TRACER.start_span(
                f"{OPERATIONS.get(kind, kind)} {model}", kind=SpanKind.CLIENT, attributes=attributes
            )
        self.started = time.perf_counter()

    def usage_from(self, result: Any) -> None:
        """Token counts from a `ChatResult` / final `ChatDelta` (`usage`) or an embedding / rerank
        result (`tokens`)."""
        usage = getattr(result, "usage", None)
        if usage is not None:
            self.input_tokens = int(usage.input_tokens)
            self.output_tokens = int(usage.output_tokens)
            return
        tokens = getattr(result, "tokens", None)
        if isinstance(tokens, int):
            self.input_tokens = tokens

    def end(self, error: BaseException | None = None) -> None:
        seconds = time.perf_counter() - self.started
        if error is None:
            outcome = "ok"
        elif isinstance(error, Exception):
            outcome = "error"
        else:  # CancelledError, GeneratorExit: the caller stopped listening
            outcome = "cancelled"
        span = self.span
        if span is not None:
            if self.input_tokens or self.output_tokens:
                span.set_attribute("gen_ai.usage.input_tokens", self.input_tokens)
                span.set_attribute("gen_ai.usage.output_tokens", self.output_tokens)
            if outcome == "error" and error is not None:
                span.record_exception(error)
                span.set_status(Status(StatusCode.ERROR, str(error)[:200]))
            elif outcome == "cancelled":
                span.set_attribute("fastgpt.cancelled", True)
            span.end()
        if metrics.ON:
            metrics.model_call(self.kind, self.model, outcome, seconds, self.input_tokens, self.output_tokens)


async def _observed_call(kind: str, model: str, call: Any) -> Any:
    observed = ModelCall(kind, model)
    try:
        result = await call
    except BaseException as exc:
        observed.end(exc)
        raise
    observed.usage_from(result)
    observed.end()
    return result


async def _observed_stream(kind: str, model: str, stream: AsyncIterator[Any]) -> AsyncIterator[Any]:
    observed = ModelCall(kind, model)
    failure: BaseException | None = None
    try:
        async for item in stream:
            if getattr(item, "usage", None) is not None:
                observed.usage_from(item)
            yield item
    except BaseException as exc:
        failure = exc
        raise
    finally:
        aclose = getattr(stream, "aclose", None)
        if aclose is not None:
            await aclose()
        observed.end(failure)


def _wrap(kind: str, name: str, method: Callable[..., Any]) -> Callable[..., Any]:
    if name == "stream":

        def stream(self: Any, *args: Any, **kwargs: Any) -> Any:
            if not (tracing.ON or metrics.ON):
                return method(self, *args, **kwargs)
            return _observed_stream(kind, self.model_id, method(self, *args, **kwargs))

        wrapper = stream
    else:

        def call(self: Any, *args: Any, **kwargs: Any) -> Any:
            if not (tracing.ON or metrics.ON):
                return method(self, *args, **kwargs)
            return _observed_call(kind, self.model_id, method(self, *args, **kwargs))

        wrapper = call
    wrapper.__name__ = method.__name__
    wrapper.__qualname__ = method.__qualname__
    wrapper.__doc__ = method.__doc__
    wrapper.__wrapped__ = method  # type: ignore[attr-defined]
    return wrapper


def observed_model(kind: str) -> Callable[[type[T]], type[T]]:
    """Class decorator for a model provider of `kind` (`llm`, `embedding`, `rerank`): its public
    calls become observed. Off, a call costs one function frame and two flag reads."""

    def decorate(cls: type[T]) -> type[T]:
        for name in OBSERVED_METHODS:
            method = cls.__dict__.get(name)
            if method is not None:
                setattr(cls, name, _wrap(kind, name, method))
        return cls

    return decorate

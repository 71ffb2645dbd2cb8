"""Chat over an OpenAI-compatible `/chat/completions` endpoint: complete and stream."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from pyfastgpt.ai.errors import ModelError
from pyfastgpt.ai.protocols import ChatDelta, ChatRequest, ChatResult, ToolCall, Usage
from pyfastgpt.ai.providers.openai_wire import (
    delta_from_chunk,
    estimate_usage,
    request_body,
    result_from_wire,
    usage_from_wire,
)
from pyfastgpt.ai.providers.transport import HttpTransport
from pyfastgpt.core.observability import observed_model


@observed_model("llm")
class OpenAIChatModel:
    """A `ChatModel` served by an OpenAI-compatible provider.

    `upstream_model` is the name sent to the provider (defaults to `model_id`); `default_body`
    holds extra request fields from the model's config (FastGPT's `defaultConfig`).
    """

    def __init__(
        self,
        model_id: str,
        *,
        transport: HttpTransport,
        upstream_model: str | None = None,
        default_body: dict[str, Any] | None = None,
        path: str = "/chat/completions",
    ) -> None:
        self.model_id = model_id
        self.transport = transport
        self.upstream_model = upstream_model or model_id
        self.default_body = default_body or {}
        self.path = path

    async def complete(self, request: ChatRequest) -> ChatResult:
        body = request_body(request, self.upstream_model, stream=False, defaults=self.default_body)
        answer = await self.transport.post_json(self.path, body)
        try:
            return result_from_wire(answer, request, self.model_id)
        except (ValueError, TypeError, AttributeError) as exc:
            raise ModelError(f"unexpected answer: {exc}", provider=self.transport.provider) from exc

    async def stream(self, request: ChatRequest) -> AsyncIterator[ChatDelta]:
        body = request_body(request, self.upstream_model, stream=True, defaults=self.default_body)
        provider = self.transport.provider
        finish: str | None = None
        usage: Usage | None = None
        done = False
        content: list[str] = []
        reasoning: list[str] = []
        calls: dict[int, ToolCall] = {}
        events = self.transport.stream_events(self.path, body)
        try:
            async for event, data in events:
                if data.strip() == "[DONE]":
                    done = True
                    continue  # read to the end so the connection goes back to the pool
                try:
                    chunk = json.loads(data)
                except ValueError as exc:
                    raise ModelError(f"malformed stream chunk: {data[:200]!r}", provider=provider) from exc
                if not isinstance(chunk, dict):
                    raise ModelError(f"malformed stream chunk: {data[:200]!r}", provider=provider)
                if event == "error" or "error" in chunk:
                    error = chunk.get("error", chunk)
                    message = error.get("message") if isinstance(error, dict) else str(error)
                    raise ModelError(f"stream error: {message}", provider=provider)
                usage = usage_from_wire(chunk.get("usage")) or usage
                delta, chunk_finish = delta_from_chunk(chunk)
                finish = chunk_finish or finish
                if delta is None:
                    continue
                content.append(delta.content)
                reasoning.append(delta.reasoning_content)
                for part in delta.tool_calls:
                    call = calls.setdefault(part.index, ToolCall(id=part.id or "", name="", arguments=""))
                    call.id = part.id or call.id
                    call.name += part.name or ""
                    call.arguments += part.arguments
                yield delta
                if chunk.get("object") == "chat.completion":  # a JSON answer to a stream request
                    done = True
        finally:
            await events.aclose()
        if not done and finish is None:
            raise ModelError("stream ended before the answer was complete", provider=provider)
        if usage is None:
            usage = estimate_usage(request, "".join(content), "".join(reasoning), list(calls.values()))
        yield ChatDelta(finish_reason=finish or ("tool_calls" if calls else "stop"), usage=usage)

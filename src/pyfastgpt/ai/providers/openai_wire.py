"""Translation between the model-layer dataclasses and OpenAI's chat-completions JSON (I/O-free)."""

from __future__ import annotations

from typing import Any

from pyfastgpt.ai.protocols import (
    ChatDelta,
    ChatMessage,
    ChatRequest,
    ChatResult,
    ToolCall,
    ToolCallDelta,
    Usage,
)
from pyfastgpt.ai.tokens import count_messages_tokens, count_tokens


def message_to_wire(message: ChatMessage) -> dict[str, Any]:
    wire: dict[str, Any] = {"role": message.role, "content": message.content}
    if message.name:
        wire["name"] = message.name
    if message.tool_calls:
        wire["tool_calls"] = [
            {"id": call.id, "type": "function", "function": {"name": call.name, "arguments": call.arguments}}
            for call in message.tool_calls
        ]
    if message.tool_call_id:
        wire["tool_call_id"] = message.tool_call_id
    if message.reasoning_content:
        wire["reasoning_content"] = message.reasoning_content
    return wire


def request_body(request: ChatRequest, model: str, *, stream: bool, defaults: dict[str, Any]) -> dict[str, Any]:
    """The JSON body of a chat-completions call; `defaults` (the model's config) under request fields."""
    body: dict[str, Any] = {
        **defaults,
        "model": model,
        "messages": [message_to_wire(m) for m in request.messages],
    }
    optional: dict[str, Any] = {
        "temperature": request.temperature,
        "top_p": request.top_p,
        "max_tokens": request.max_tokens,
        "stop": request.stop or None,
        "response_format": request.response_format,
        "tool_choice": request.tool_choice if request.tools else None,
    }
    body.update({key: value for key, value in optional.items() if value is not None})
    if request.tools:
        body["tools"] = [
            {
                "type": "function",
                "function": {"name": t.name, "description": t.description, "parameters": t.parameters},
            }
            for t in request.tools
        ]
    if stream:
        body["stream"] = True
        body["stream_options"] = {"include_usage": True}
    else:
        body["stream"] = False
    body.update(request.extra)
    return body


def usage_from_wire(raw: Any) -> Usage | None:
    if not isinstance(raw, dict):
        return None
    prompt = raw.get("prompt_tokens", raw.get("input_tokens"))
    completion = raw.get("completion_tokens", raw.get("output_tokens"))
    if prompt is None and completion is None:
        return None
    return Usage(input_tokens=int(prompt or 0), output_tokens=int(completion or 0))


def estimate_usage(request: ChatRequest, content: str, reasoning: str, calls: list[ToolCall]) -> Usage:
    output = count_tokens(content) + count_tokens(reasoning)
    output += sum(count_tokens(c.name) + count_tokens(c.arguments) for c in calls)
    return Usage(input_tokens=count_messages_tokens(request.messages, request.tools), output_tokens=output)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):  # some servers send content parts
        return "".join(str(p.get("text", "")) if isinstance(p, dict) else str(p) for p in value)
    return str(value)


def _reasoning(message: dict[str, Any]) -> str:
    return _text(message.get("reasoning_content") or message.get("reasoning"))


def result_from_wire(body: Any, request: ChatRequest, model: str) -> ChatResult:
    """A `ChatResult` from a chat-completions answer; raises ValueError on an unexpected shape."""
    if not isinstance(body, dict) or not isinstance(body.get("choices"), list) or not body["choices"]:
        raise ValueError(f"no choices in answer: {str(body)[:200]}")
    choice = body["choices"][0]
    message = choice.get("message") or {}
    calls = [
        ToolCall(
            id=str(call.get("id") or f"call_{index}"),
            name=str((call.get("function") or {}).get("name") or ""),
            arguments=_text((call.get("function") or {}).get("arguments")) or "{}",
        )
        for index, call in enumerate(message.get("tool_calls") or [])
    ]
    content, reasoning = _text(message.get("content")), _reasoning(message)
    usage = usage_from_wire(body.get("usage")) or estimate_usage(request, content, reasoning, calls)
    finish = choice.get("finish_reason") or ("tool_calls" if calls else "stop")
    return ChatResult(
        content=content,
        reasoning_content=reasoning,
        tool_calls=calls,
        finish_reason=str(finish),
        usage=usage,
        model=str(body.get("model") or model),
    )


def delta_from_chunk(chunk: dict[str, Any]) -> tuple[ChatDelta | None, str | None]:
    """The delta (None when the chunk carries nothing to show) and the finish reason of one chunk."""
    choices = chunk.get("choices") or []
    if not choices:
        return None, None
    choice = choices[0]
    raw = choice.get("delta") or choice.get("message") or {}
    delta = ChatDelta(content=_text(raw.get("content")), reasoning_content=_reasoning(raw))
    for position, call in enumerate(raw.get("tool_calls") or []):
        function = call.get("function") or {}
        delta.tool_calls.append(
            ToolCallDelta(
                index=int(call.get("index", position)),
                id=call.get("id"),
                name=function.get("name"),
                arguments=_text(function.get("arguments")),
            )
        )
    finish = choice.get("finish_reason")
    if not (delta.content or delta.reasoning_content or delta.tool_calls):
        return None, finish
    return delta, finish

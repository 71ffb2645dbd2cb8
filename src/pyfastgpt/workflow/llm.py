"""Calling a chat model from a node: streaming answer/reasoning deltas, usage and points."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pyfastgpt.ai.protocols import ChatMessage, ChatRequest, ModelInfo, ToolCall
from pyfastgpt.ai.tokens import count_messages_tokens, count_tokens
from pyfastgpt.workflow.cite import CITE_MARKER, CiteFilter, remove_cites
from pyfastgpt.workflow.context import NodeContext
from pyfastgpt.workflow.events import AnswerDelta, UsageItem

_THINK = re.compile(r"^\s*<think>(.*?)</think>\s*", re.DOTALL)


@dataclass
class LLMAnswer:
    content: str = ""
    reasoning: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    finish_reason: str = "stop"
    input_tokens: int = 0
    output_tokens: int = 0
    model: str = ""
    model_name: str = ""
    points: float = 0.0

    def usage(self, module_name: str) -> UsageItem:
        return UsageItem(
            module_name=module_name,
            model=self.model_name,
            input_tokens=self.input_tokens,
            output_tokens=self.output_tokens,
            total_points=self.points,
        )


def model_info(ctx: NodeContext, model_id: str | None) -> ModelInfo:
    """The registry entry of the LLM that serves `model_id`: the default LLM when the name is empty
    or not configured here (FastGPT's `getLLMModel`), so node responses name the model that ran."""
    return ctx.registry.info(ctx.registry.resolve("llm", model_id or None))


def parse_think(content: str) -> tuple[str, str]:
    """Split a leading `<think>…</think>` block off the content: (reasoning, answer)."""
    match = _THINK.match(content)
    if not match:
        return "", content
    return match.group(1).strip(), content[match.end() :]


async def call_llm(
    ctx: NodeContext,
    request: ChatRequest,
    *,
    stream_answer: bool = False,
    stream_reasoning: bool = False,
    on_tool_delta: Callable[[ToolCall, str, bool], None] | None = None,
) -> LLMAnswer:
    """Run one chat completion; forward deltas as `AnswerDelta` events when asked."""
    retain = ctx.run_state.retain_dataset_cite
    answer_filter = CiteFilter()
    reasoning_filter = CiteFilter()
    model = ctx.registry.llm(request.model or None)
    request.model = model.model_id
    info = ctx.registry.info(model.model_id)
    answer = LLMAnswer(model=model.model_id, model_name=info.name or model.model_id)
    usage_seen = False
    if ctx.run_state.stream and (stream_answer or stream_reasoning or request.tools):
        calls: dict[int, ToolCall] = {}
        async for delta in model.stream(request):
            if delta.reasoning_content:
                answer.reasoning += delta.reasoning_content
                piece = delta.reasoning_content if retain else reasoning_filter.feed(delta.reasoning_content)
                if stream_reasoning and piece:
                    ctx.emit(AnswerDelta(reasoning_content=piece))
            if delta.content:
                answer.content += delta.content
                piece = delta.content if retain else answer_filter.feed(delta.content)
                if stream_answer and piece:
                    ctx.emit(AnswerDelta(content=piece))
            for call in delta.tool_calls:
                is_new = call.index not in calls
                current = calls.setdefault(call.index, ToolCall(id="", name="", arguments=""))
                current.id = call.id or current.id
                current.name += call.name or ""
                current.arguments += call.arguments
                if on_tool_delta is not None:
                    on_tool_delta(current, call.arguments, is_new)
            if delta.finish_reason:
                answer.finish_reason = delta.finish_reason
            if delta.usage is not None:
                usage_seen = True
                answer.input_tokens = delta.usage.input_tokens
                answer.output_tokens = delta.usage.output_tokens
        answer.tool_calls = [calls[i] for i in sorted(calls)]
        if not retain:
            tail_reasoning, tail_answer = reasoning_filter.flush(), answer_filter.flush()
            if stream_reasoning and tail_reasoning:
                ctx.emit(AnswerDelta(reasoning_content=tail_reasoning))
            if stream_answer and tail_answer:
                ctx.emit(AnswerDelta(content=tail_answer))
    else:
        result = await model.complete(request)
        answer.content = result.content or ""
        answer.reasoning = result.reasoning_content or ""
        answer.tool_calls = list(result.tool_calls)
        if on_tool_delta is not None:
            for full_call in answer.tool_calls:
                on_tool_delta(full_call, "", True)
        answer.finish_reason = result.finish_reason
        if result.usage.input_tokens or result.usage.output_tokens:
            usage_seen = True
            answer.input_tokens = result.usage.input_tokens
            answer.output_tokens = result.usage.output_tokens
        if not answer.reasoning and request.reasoning and info.reasoning:
            answer.reasoning, answer.content = parse_think(answer.content)
        if not retain:
            answer.reasoning, answer.content = remove_cites(answer.reasoning), remove_cites(answer.content)
        if stream_reasoning and answer.reasoning:
            ctx.emit(AnswerDelta(reasoning_content=answer.reasoning, fast=True))
        if stream_answer and answer.content:
            ctx.emit(AnswerDelta(content=answer.content, fast=True))
    if not retain and (CITE_MARKER.search(answer.content) or CITE_MARKER.search(answer.reasoning)):
        answer.content, answer.reasoning = remove_cites(answer.content), remove_cites(answer.reasoning)
    if not usage_seen:
        answer.input_tokens = count_messages_tokens(request.messages)
        answer.output_tokens = count_tokens(answer.content) + count_tokens(answer.reasoning)
    answer.points = ctx.registry.points(model.model_id, answer.input_tokens, answer.output_tokens)
    return answer


def adapt_content(content: Any, vision: bool) -> Any:
    """Keep what a model accepts: text always, images only with vision; file links dropped."""
    if not isinstance(content, list):
        return content
    parts: list[dict[str, Any]] = []
    for part in content:
        kind = part.get("type")
        if kind == "text":
            parts.append({"type": "text", "text": part.get("text", "")})
        elif kind == "image_url" and vision:
            parts.append(part)
    if not parts:
        return ""
    if all(p["type"] == "text" for p in parts):
        return "\n".join(str(p["text"]) for p in parts) if len(parts) > 1 else str(parts[0]["text"])
    return parts


def adapt_messages(messages: list[ChatMessage], vision: bool) -> list[ChatMessage]:
    out: list[ChatMessage] = []
    for message in messages:
        content = adapt_content(message.content, vision) if message.role == "user" else message.content
        out.append(
            ChatMessage(
                role=message.role,
                content=content,
                name=message.name,
                tool_calls=message.tool_calls,
                tool_call_id=message.tool_call_id,
            )
        )
    return out


def fit_context(messages: list[ChatMessage], max_tokens: int) -> list[ChatMessage]:
    """`filterGPTMessageByMaxContext`: keep system + the newest turns that fit `max_tokens`."""
    if max_tokens <= 0:
        return messages
    system = [m for m in messages if m.role == "system"]
    rest = [m for m in messages if m.role != "system"]
    if not rest:
        return messages
    budget = max_tokens - count_messages_tokens(system)
    kept: list[ChatMessage] = [rest[-1]]
    budget -= count_messages_tokens(kept)
    index = len(rest) - 2
    while index >= 0:
        chunk = [rest[index]]
        # keep assistant/user turns together by walking back to the previous user message
        while chunk[0].role != "user" and index > 0:
            index -= 1
            chunk.insert(0, rest[index])
        tokens = count_messages_tokens(chunk)
        if tokens > budget:
            break
        budget -= tokens
        kept = chunk + kept
        index -= 1
    return system + kept

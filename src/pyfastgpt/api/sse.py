"""FastGPT's SSE framing of workflow events (§3.5). Knows events, not nodes.

detail=false: a plain OpenAI stream (`data: {chunk}` lines only, then `data: [DONE]`).
detail=true: named events (`event: answer`, `flowNodeStatus`, `toolCall`, …); v1 sends the node
responses once at the end as `flowResponses`, v2 sends one `flowNodeResponse` per finished node.
Order at the end: `workflowDuration`, the stop chunk, `[DONE]`, then (v1, detail) `flowResponses`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import orjson

from pyfastgpt.workflow.events import (
    AnswerDelta,
    InteractiveEvent,
    NodeResponse,
    NodeStatus,
    ToolCallEvent,
    ToolParamsEvent,
    ToolResponseEvent,
    VariablesUpdated,
    WorkflowDone,
    WorkflowEvent,
)

HEARTBEAT = b": ping\n\n"
SSE_HEADERS = {
    "Cache-Control": "no-cache, no-transform",
    "X-Accel-Buffering": "no",
    "Connection": "keep-alive",
}
SSE_MEDIA_TYPE = "text/event-stream;charset=utf-8"


def frame(event: str | None, data: Any) -> bytes:
    payload = data if isinstance(data, bytes) else orjson.dumps(data)
    head = b"event: " + event.encode() + b"\n" if event else b""
    return head + b"data: " + payload + b"\n\n"


class SseEncoder:
    def __init__(
        self,
        *,
        chat_id: str,
        detail: bool,
        api_version: int,
        show_running_status: bool = True,
        public_responses: Callable[[list[dict[str, Any]]], list[dict[str, Any]]] | None = None,
    ) -> None:
        self.chat_id = chat_id
        self.detail = detail
        self.api_version = api_version
        self.show_running_status = show_running_status
        self.public_responses = public_responses or (lambda responses: responses)
        self.created = int(time.time())

    def chunk(
        self, *, content: str | None = None, reasoning: str | None = None, finish: str | None = None
    ) -> dict[str, Any]:
        delta: dict[str, Any] = {"role": "assistant"}
        if finish is None:
            delta["content"] = content or ""
            if reasoning:
                delta["reasoning_content"] = reasoning
        return {
            "id": self.chat_id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": "",
            "choices": [{"delta": delta if finish is None else {}, "index": 0, "finish_reason": finish}],
        }

    def _named(self, name: str, data: Any) -> list[bytes]:
        return [frame(name, data)] if self.detail else []

    def encode(self, event: WorkflowEvent) -> list[bytes]:
        if isinstance(event, AnswerDelta):
            content = event.content
            if not content and not event.reasoning_content:
                return []
            name = "fastAnswer" if event.fast else "answer"
            return [
                frame(name if self.detail else None, self.chunk(content=content, reasoning=event.reasoning_content))
            ]
        if isinstance(event, NodeStatus):
            if not self.show_running_status:
                return []
            return self._named("flowNodeStatus", {"status": "running", "name": event.name})
        if isinstance(event, ToolCallEvent | ToolParamsEvent | ToolResponseEvent):
            if not self.show_running_status:
                return []
            name = {ToolCallEvent: "toolCall", ToolParamsEvent: "toolParams", ToolResponseEvent: "toolResponse"}[
                type(event)
            ]
            return self._named(name, {"tool": event.tool})
        if isinstance(event, VariablesUpdated):
            return self._named("updateVariables", event.variables)
        if isinstance(event, InteractiveEvent):
            return self._named("interactive", {"interactive": event.interactive})
        if isinstance(event, NodeResponse):
            if self.api_version != 2:
                return []
            return (
                [frame("flowNodeResponse", r) for r in self.public_responses([event.response])] if self.detail else []
            )
        if isinstance(event, WorkflowDone):
            return self.finish(event.result.flow_responses, event.result.duration_seconds)
        return []

    def chat_title(self, title: str) -> list[bytes]:
        """`chatTitle` (4.15): a title model's name for the new chat (detail streams only)."""
        return self._named("chatTitle", {"title": title})

    def finish(self, flow_responses: list[dict[str, Any]], duration_seconds: float) -> list[bytes]:
        frames = self._named("workflowDuration", {"durationSeconds": duration_seconds})
        frames.append(frame("answer" if self.detail else None, self.chunk(finish="stop")))
        frames.append(frame("answer" if self.detail else None, b"[DONE]"))
        if self.detail and self.api_version == 1:
            frames.append(frame("flowResponses", self.public_responses(flow_responses)))
        return frames

    def error(self, message: str, *, status_text: str = "error", code: int = 500) -> bytes:
        data = {
            "code": code,
            "statusText": status_text,
            "message": message,
            "error": {"message": message, "type": status_text, "code": code},
        }
        return frame("error" if self.detail else None, data)

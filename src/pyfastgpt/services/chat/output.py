"""Shape a finished round as FastGPT's (OpenAI-compatible) completion response (§3.4)."""

from __future__ import annotations

import time
from typing import Any

from pyfastgpt.core.chat_text import value_text
from pyfastgpt.workflow.events import RunResult
from pyfastgpt.workflow.interactive import public_interactive


def _public_part(part: dict[str, Any], *, with_type: bool) -> dict[str, Any]:
    out = dict(part)
    if isinstance(out.get("interactive"), dict):
        out["interactive"] = public_interactive(out["interactive"])
    if not with_type:
        out.pop("type", None)
    elif "type" not in out:
        for kind in ("text", "file", "tools", "interactive", "reasoning"):
            if kind in out:
                out["type"] = "tool" if kind == "tools" else kind
                break
    return out


def response_content(value: list[dict[str, Any]], *, detail: bool, api_version: int) -> str | list[dict[str, Any]]:
    """A single text part → string; detail=false → the text parts joined by newlines; detail=true with
    several parts or any tool/interactive/file part → the value items (v1 with `type`, v2 without)."""
    rich = len(value) > 1 or any(p.get("type") in ("tool", "interactive", "file") for p in value)
    if detail and rich:
        return [_public_part(p, with_type=api_version == 1) for p in value]
    return value_text(value)


def reasoning_of(value: list[dict[str, Any]]) -> str:
    return "".join(str((p.get("reasoning") or {}).get("content", "")) for p in value if p.get("type") == "reasoning")


def token_usage(result: RunResult) -> dict[str, int]:
    prompt = sum(u.input_tokens for u in result.usages)
    completion = sum(u.output_tokens for u in result.usages)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def completion_body(
    *,
    chat_id: str,
    result: RunResult,
    detail: bool,
    api_version: int,
    responses: list[dict[str, Any]] | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    value = result.assistant_responses or [{"type": "text", "text": {"content": ""}}]
    visible = [p for p in value if p.get("type") != "reasoning"]
    message: dict[str, Any] = {
        "role": "assistant",
        "content": response_content(visible or value, detail=detail, api_version=api_version),
    }
    reasoning = reasoning_of(value)
    if reasoning:
        message["reasoning_content"] = reasoning
    body: dict[str, Any] = {
        "id": chat_id,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": "",
        "usage": token_usage(result),
        "choices": [{"message": message, "finish_reason": "stop", "index": 0}],
    }
    if title is not None:
        body["title"] = title
    if result.error:
        body["error"] = result.error
    if detail:
        body["responseData"] = result.flow_responses if responses is None else responses
        body["newVariables"] = result.new_variables
    return body
